import { defineRule } from './define.js';
import { childPointer } from '../source/pointer.js';
import type { JsonSchema } from '../model/types.js';
import { indexOf } from '../model/queries.js';
import { didYouMean, listNames } from '../diagnostics/suggest.js';
import { isSchemaObject, schemaNodes, type SchemaNode } from '../schema/json-schema-walk.js';
import { JSON_SCHEMA_KEYWORDS } from '../schema/embedded-schema.js';
import type { RuleReport } from './types.js';

/** OpenAI's "Supported schemas" for Structured Outputs (strict mode), as documented at STRICT_MODE_SOURCE. */
export const STRICT_MODE_SOURCE = 'https://developers.openai.com/api/docs/guides/structured-outputs#supported-schemas';

export const STRICT_LIMITS = {
  /** "A schema may have up to 5000 object properties total, with up to 10 levels of nesting." */
  properties: 5000,
  nesting: 10,
  /** "A schema may have up to 1000 enum values across all enum properties." */
  enumValues: 1000,
  /** "total string length of all property names, definition names, enum values, and const values cannot exceed 120,000 characters" */
  totalStringLength: 120_000,
  /** "For a single enum property with string values, the total string length of all enum values cannot exceed 15,000 characters when there are more than 250 enum values." */
  largeEnumValues: 250,
  largeEnumStringLength: 15_000,
} as const;

/**
 * Keywords the page lists as not supported, plus two the API is seen rejecting in practice although the
 * page does not list them ("In context=(), 'oneOf' is not permitted", "'default' is not permitted").
 * The page also lists `dependentRequired` and `dependentSchemas`, which are not draft-07 keywords:
 * schema/embedded reports them as unknown.
 */
const UNSUPPORTED = new Set(['allOf', 'not', 'if', 'then', 'else', 'oneOf', 'default']);

/**
 * Keywords the page documents (types, `anyOf`, `enum`, `const`, definitions and `$ref`, the string,
 * number and array constraints — `minLength`/`maxLength` and `patternProperties` are listed as
 * unsupported only for fine-tuned models), plus the annotations `title` and `description`, and `$schema`
 * and `$comment`, which the API ignores (the SDK's own zod-derived tool schemas carry `$schema`).
 */
const SUPPORTED = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', '$ref', '$defs', 'definitions',
  'title', 'description', '$schema', '$comment',
  'pattern', 'format', 'minLength', 'maxLength',
  'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'minItems', 'maxItems', 'patternProperties',
]);

const KNOWN_KEYWORDS = new Set(JSON_SCHEMA_KEYWORDS);

export const STRICT_FORMATS = ['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid'];

export default defineRule({
  id: 'strict-input-schema',
  defaultSeverity: 'error',
  description: 'Handoff inputs, structured outputs and tool parameters are valid for the SDK\'s strict JSON-Schema mode.',
  docs:
    'Strict mode (the default for tools, forced by the SDK for handoff inputs, and used for structured outputs) guarantees the model\'s arguments match the schema, but the API only accepts a subset of JSON Schema, and rejects the whole request otherwise. Checked on every schema used strictly: the root is `type: object` and not an `anyOf`; every object sets `additionalProperties: false` and lists every property in `required` (and nothing else there); only the documented keywords are used (`allOf`, `not`, `if`/`then`/`else`, `dependentRequired` and `dependentSchemas` are listed as unsupported; the API also rejects `oneOf` and `default` ("\'oneOf\' is not permitted"); `examples`, `uniqueItems` and other keywords are outside the documented subset); `format` is one of ' +
    listNames(STRICT_FORMATS.map(String)) +
    `; and the size limits hold — at most ${STRICT_LIMITS.properties} object properties in all, ${STRICT_LIMITS.nesting} levels of nesting (counted here with the root object as level 1 and one more per \`properties\` or \`items\` step; OpenAI does not document how it counts), ${STRICT_LIMITS.enumValues} enum values in all, 120,000 characters of property names, definition names, enum and const values, and 15,000 characters of values in one string enum with more than ${STRICT_LIMITS.largeEnumValues} values. Limits and keywords are quoted from the "Supported schemas" section of OpenAI's Structured Outputs guide, ${STRICT_MODE_SOURCE} (older copies of the page say 100 properties and 5 levels; the limits were raised in 2025). Express optional values as a union with null (\`type: [string, "null"]\`). A tool may opt out with \`strict: false\`; the SDK then requires its root to allow additional properties. Encodes @openai/agents >=0.20.0 <0.21.0: \`handoff()\` with an input type always sets \`strictJsonSchema: true\`.`,
  sdk: { range: '>=0.20.0 <0.21.0', behaviour: 'handoff() forces strict JSON schema on input types; tools default to strict' },
  check({ topology, report }) {
    for (const tool of topology.tools) {
      const pointer = childPointer(tool.pointer, 'parameters');
      if (tool.strict) checkStrict(tool.parameters, pointer, `parameters of tool \`${tool.id}\``, report);
      else if (tool.parameters.additionalProperties === false) {
        report({
          pointer: childPointer(pointer, 'additionalProperties'),
          message: `tool \`${tool.id}\` sets \`strict: false\`, which the SDK only accepts with \`additionalProperties: true\` at the root`,
          hint: 'drop `strict: false` (and keep the schema strict), or allow additional properties',
        });
      }
    }
    const schemas = indexOf(topology).schemas;
    const checked = new Set<string>();
    // Handoff inputs are forced strict by the SDK; structured outputs are emitted strict.
    const uses = [
      ...topology.edges.flatMap((e) => (e.input ? [{ use: e.input, inline: `the input of the handoff from \`${e.from.value}\` to \`${e.to.value}\`` }] : [])),
      ...topology.agents.flatMap((a) => (a.output ? [{ use: a.output, inline: `the output of agent \`${a.id}\`` }] : [])),
    ];
    for (const { use: input, inline } of uses) {
      const target = input.kind === 'named' ? schemas.get(input.name) : undefined;
      const [schema, pointer, label] =
        input.kind === 'inline' ? [input.schema, input.pointer, inline] : [target?.schema, target?.pointer ?? '', `schema \`${input.name}\``];
      if (!schema || checked.has(pointer)) continue;
      checked.add(pointer);
      checkStrict(schema, pointer, label, report);
    }
  },
});

type Report = (finding: RuleReport) => void;

/**
 * The strict-mode problems of one schema as sent to the API, pointers relative to its root: for tests
 * and tools that check schemas outside a topology (e.g. in recorded request bodies).
 */
export function strictModeProblems(schema: JsonSchema, label = 'the schema'): RuleReport[] {
  const found: RuleReport[] = [];
  checkStrict(schema, '', label, (finding) => found.push(finding));
  return found;
}

function typesOf(schema: JsonSchema): unknown[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function checkStrict(root: JsonSchema, pointer: string, label: string, report: Report): void {
  if (root.type !== 'object') {
    report({ pointer: root.type === undefined ? pointer : childPointer(pointer, 'type'), onKey: root.type === undefined, message: `${label} must have \`type: object\` at the root` });
    return;
  }
  if (root.anyOf !== undefined) {
    report({ pointer: childPointer(pointer, 'anyOf'), onKey: true, message: `${label}: the root must be a plain object, not an \`anyOf\``, hint: 'move the union into a property' });
  }
  const nodes = schemaNodes(root, pointer);
  for (const node of nodes) checkNode(node, label, report);
  checkLimits(nodes, pointer, label, report);
}

function checkNode({ schema, pointer }: SchemaNode, label: string, report: Report): void {
  const properties = isSchemaObject(schema.properties) ? schema.properties : undefined;
  if (typesOf(schema).includes('object') || (schema.type === undefined && properties)) {
    if (schema.additionalProperties !== false) {
      report({
        pointer: schema.additionalProperties === undefined ? pointer : childPointer(pointer, 'additionalProperties'),
        onKey: schema.additionalProperties === undefined,
        message: `${label}: strict mode needs \`additionalProperties: false\` on every object`,
      });
    }
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    const requiredSet = new Set(required);
    const names = Object.keys(properties ?? {});
    for (const name of names) {
      if (requiredSet.has(name)) continue;
      report({
        pointer: childPointer(pointer, 'properties', name),
        onKey: true,
        message: `${label}: property \`${name}\` is not in \`required\`; strict mode needs every property there`,
        hint: 'list it in `required`; to make it optional, allow null: `type: [string, "null"]`',
      });
    }
    const declared = new Set(names);
    required.forEach((name, i) => {
      if (declared.has(name)) return;
      // Bounded: a did-you-mean over thousands of names for each stray entry would be quadratic.
      const suggestion = names.length <= 500 ? didYouMean(name, names) : undefined;
      report({
        pointer: childPointer(pointer, 'required', i),
        message: `${label}: \`required\` lists \`${name}\`, which is not a property${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        hint: names.length ? `properties: ${listNames(names)}` : 'this object declares no properties',
        ...(suggestion ? { suggestion } : {}),
      });
    });
  }
  for (const keyword of Object.keys(schema)) {
    // Keywords JSON Schema does not know at all are schema/embedded's to report (with a did-you-mean).
    if (SUPPORTED.has(keyword) || !KNOWN_KEYWORDS.has(keyword)) continue;
    report({
      pointer: childPointer(pointer, keyword),
      onKey: true,
      message: UNSUPPORTED.has(keyword)
        ? `${label}: \`${keyword}\` is not supported in strict mode`
        : `${label}: \`${keyword}\` is not in strict mode's documented subset of JSON Schema`,
      hint:
        keyword === 'oneOf' ? 'use `anyOf`' : keyword === 'allOf' ? 'merge the schemas into one object' : keyword === 'default' || keyword === 'examples' ? 'say it in the `description` instead' : `supported keywords: ${listNames([...SUPPORTED], 30)}`,
    });
  }
  if (typeof schema.format === 'string' && !STRICT_FORMATS.includes(schema.format)) {
    const suggestion = didYouMean(schema.format, STRICT_FORMATS);
    report({
      pointer: childPointer(pointer, 'format'),
      message: `${label}: format \`${schema.format}\` is not supported in strict mode${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
      hint: `supported formats: ${listNames(STRICT_FORMATS)}; otherwise use \`pattern\``,
      ...(suggestion ? { suggestion } : {}),
    });
  }
}

/** The documented size limits, counted over the whole schema (definitions included). */
function checkLimits(nodes: readonly SchemaNode[], pointer: string, label: string, report: Report): void {
  let properties = 0;
  let enumValues = 0;
  let stringLength = 0;
  let deepest: SchemaNode | undefined;
  for (const node of nodes) {
    const { schema } = node;
    if (isSchemaObject(schema.properties)) {
      const names = Object.keys(schema.properties);
      properties += names.length;
      for (const name of names) stringLength += name.length;
    }
    for (const keyword of ['$defs', 'definitions'] as const) {
      const definitions = schema[keyword];
      if (isSchemaObject(definitions)) for (const name of Object.keys(definitions)) stringLength += name.length;
    }
    if (Array.isArray(schema.enum)) {
      enumValues += schema.enum.length;
      let enumLength = 0;
      for (const value of schema.enum) if (typeof value === 'string') enumLength += value.length;
      stringLength += enumLength;
      const strings = schema.enum.filter((v) => typeof v === 'string').length;
      if (strings > STRICT_LIMITS.largeEnumValues && enumLength > STRICT_LIMITS.largeEnumStringLength) {
        report({
          pointer: childPointer(node.pointer, 'enum'),
          message: `${label}: this enum has ${strings} string values totalling ${enumLength} characters; strict mode allows ${STRICT_LIMITS.largeEnumStringLength.toLocaleString('en-US')} characters in an enum of more than ${STRICT_LIMITS.largeEnumValues} values`,
        });
      }
    }
    if (typeof schema.const === 'string') stringLength += schema.const.length;
    // Definitions are reached through `$ref`, so their depth is not known here; they are not counted.
    if (!node.inDefinitions && (!deepest || node.level > deepest.level)) deepest = node;
  }
  const limit = (count: number, max: number, what: string) => {
    if (count > max) report({ pointer, onKey: true, message: `${label} has ${count.toLocaleString('en-US')} ${what}; strict mode allows ${max.toLocaleString('en-US')}` });
  };
  limit(properties, STRICT_LIMITS.properties, 'object properties in all');
  limit(enumValues, STRICT_LIMITS.enumValues, 'enum values in all');
  limit(stringLength, STRICT_LIMITS.totalStringLength, 'characters of property names, definition names, enum and const values');
  if (deepest && deepest.level > STRICT_LIMITS.nesting) {
    report({
      pointer: deepest.pointer,
      onKey: true,
      message: `${label} nests ${deepest.level} levels deep here; strict mode allows ${STRICT_LIMITS.nesting}`,
      hint: 'flatten the structure, or pass the inner part as a JSON string',
    });
  }
}
