/**
 * What OpenAI's strict mode (Structured Outputs, `strict: true` function tools) accepts, as a checker for
 * schemas found in recorded request bodies: an object root that is not `anyOf`; `additionalProperties:
 * false` on every object; every property listed in `required`; only the supported keywords and string
 * formats; at most 10 levels of nesting, 5,000 properties and 1,000 enum values in all.
 * Source: platform.openai.com/docs/guides/structured-outputs ("Supported schemas").
 */

const KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  '$ref',
  '$defs',
  'definitions',
  'description',
  'title',
  // The SDK's own zod-derived schemas (agent-as-tool input) carry it, and the API accepts them.
  '$schema',
  // string
  'pattern',
  'format',
  // number
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  // array
  'minItems',
  'maxItems',
]);
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
const MAX_DEPTH = 10;
const MAX_PROPERTIES = 5000;
const MAX_ENUM_VALUES = 1000;

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every way the schema breaks the strict-mode subset, each with a JSON pointer; empty when it complies. */
export function strictSchemaProblems(root: unknown): string[] {
  const problems: string[] = [];
  if (!isSchema(root) || root.type !== 'object' || 'anyOf' in root) return ['(root) must be a schema of type object, not anyOf'];
  let properties = 0;
  let enumValues = 0;
  const visit = (schema: unknown, pointer: string, depth: number): void => {
    if (!isSchema(schema)) return void problems.push(`${pointer || '/'} is not a schema`);
    const types = [schema.type].flat();
    // Levels of nesting count objects and arrays; a scalar leaf adds none.
    if (depth > MAX_DEPTH && (types.includes('object') || types.includes('array'))) problems.push(`${pointer} nests deeper than ${MAX_DEPTH} levels`);
    for (const key of Object.keys(schema)) if (!KEYWORDS.has(key)) problems.push(`${pointer}/${key} is not supported in strict mode`);
    if (typeof schema.format === 'string' && !FORMATS.has(schema.format)) problems.push(`${pointer}/format "${schema.format}" is not supported in strict mode`);
    if (Array.isArray(schema.enum)) enumValues += schema.enum.length;
    if (types.includes('object') || isSchema(schema.properties)) {
      const props = isSchema(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? schema.required : []);
      if (schema.additionalProperties !== false) problems.push(`${pointer}/additionalProperties must be false`);
      for (const [name, child] of Object.entries(props)) {
        properties++;
        if (!required.has(name)) problems.push(`${pointer}/required must list "${name}"`);
        visit(child, `${pointer}/properties/${name}`, depth + 1);
      }
      for (const name of required) if (!(String(name) in props)) problems.push(`${pointer}/required lists "${String(name)}", which is not a property`);
    }
    if (schema.items !== undefined) visit(schema.items, `${pointer}/items`, depth + 1);
    if (Array.isArray(schema.anyOf)) schema.anyOf.forEach((branch, i) => visit(branch, `${pointer}/anyOf/${i}`, depth + 1));
    for (const defs of ['$defs', 'definitions'] as const) {
      if (isSchema(schema[defs])) for (const [name, child] of Object.entries(schema[defs])) visit(child, `${pointer}/${defs}/${name}`, depth);
    }
  };
  visit(root, '', 1);
  if (properties > MAX_PROPERTIES) problems.push(`more than ${MAX_PROPERTIES} properties in all`);
  if (enumValues > MAX_ENUM_VALUES) problems.push(`more than ${MAX_ENUM_VALUES} enum values in all`);
  return problems;
}
