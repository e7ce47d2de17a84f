import type { ErrorObject } from 'ajv';
import type { DiagnosticDraft } from '../diagnostics/types.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { childPointer, decodePointer } from '../source/pointer.js';
import { embeddedSchemas, isSchemaObject, schemaNodes } from './json-schema-walk.js';

/** The id every problem inside an embedded JSON Schema carries (tool parameters, `schemas:`, inputs, outputs). */
export const EMBEDDED_RULE_ID = 'schema/embedded';

/** A subschema position: draft-07 allows a mapping or a boolean. Nested schemas are checked on their own. */
const SUBSCHEMA = { type: ['object', 'boolean'] };
const SCHEMA_MAP = { type: 'object', additionalProperties: SUBSCHEMA };
const SCHEMA_LIST = { type: 'array', minItems: 1, items: SUBSCHEMA };
const NON_NEGATIVE = { type: 'integer', minimum: 0 };
const STRING_LIST = { type: 'array', items: { type: 'string' }, uniqueItems: true };
export const SIMPLE_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/**
 * The JSON Schema draft-07 meta-schema for ONE schema object, with three changes: subschemas are only
 * required to be a mapping or a boolean (the walker checks each one in turn, so every error path is
 * absolute and lands on the right YAML node); unknown keywords are errors (JSON Schema ignores them, so
 * `requird` would silently drop a constraint); and `$defs` (2019-09, accepted by the OpenAI API) is
 * allowed beside `definitions`. Precompiled at build time with the topology schema.
 */
export const EMBEDDED_META_SCHEMA = {
  $id: 'https://switchboard.dev/schema/embedded-json-schema.json',
  title: 'a JSON Schema (draft-07)',
  type: 'object',
  additionalProperties: false,
  properties: {
    $id: { type: 'string' },
    $schema: { type: 'string' },
    $ref: { type: 'string' },
    $comment: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    default: true,
    readOnly: { type: 'boolean' },
    writeOnly: { type: 'boolean' },
    examples: { type: 'array' },
    multipleOf: { type: 'number', exclusiveMinimum: 0 },
    maximum: { type: 'number' },
    exclusiveMaximum: { type: 'number' },
    minimum: { type: 'number' },
    exclusiveMinimum: { type: 'number' },
    maxLength: NON_NEGATIVE,
    minLength: NON_NEGATIVE,
    pattern: { type: 'string' },
    additionalItems: SUBSCHEMA,
    items: { anyOf: [SUBSCHEMA, SCHEMA_LIST], title: 'a JSON Schema, or a list of them' },
    maxItems: NON_NEGATIVE,
    minItems: NON_NEGATIVE,
    uniqueItems: { type: 'boolean' },
    contains: SUBSCHEMA,
    maxProperties: NON_NEGATIVE,
    minProperties: NON_NEGATIVE,
    required: STRING_LIST,
    additionalProperties: SUBSCHEMA,
    definitions: SCHEMA_MAP,
    $defs: SCHEMA_MAP,
    properties: SCHEMA_MAP,
    patternProperties: SCHEMA_MAP,
    dependencies: { type: 'object', additionalProperties: { anyOf: [SUBSCHEMA, STRING_LIST], title: 'a JSON Schema or a list of property names' } },
    propertyNames: SUBSCHEMA,
    const: true,
    enum: { type: 'array', minItems: 1, uniqueItems: true },
    type: {
      anyOf: [{ enum: SIMPLE_TYPES }, { type: 'array', items: { enum: SIMPLE_TYPES }, minItems: 1, uniqueItems: true }],
      title: 'a JSON Schema type (`string`, `number`, `integer`, `boolean`, `object`, `array` or `null`) or a list of them',
    },
    format: { type: 'string' },
    contentMediaType: { type: 'string' },
    contentEncoding: { type: 'string' },
    if: SUBSCHEMA,
    then: SUBSCHEMA,
    else: SUBSCHEMA,
    allOf: SCHEMA_LIST,
    anyOf: SCHEMA_LIST,
    oneOf: SCHEMA_LIST,
    not: SUBSCHEMA,
  },
} as const;

export const JSON_SCHEMA_KEYWORDS: readonly string[] = Object.keys(EMBEDDED_META_SCHEMA.properties);

export type ValidateOne = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
type ToDrafts = (errors: readonly ErrorObject[]) => DiagnosticDraft[];

/**
 * Check every JSON Schema the topology embeds against the draft-07 meta-schema, one subschema at a
 * time, plus what the meta-schema cannot say: `pattern`s must compile, local `$ref`s must resolve.
 */
export function checkEmbeddedSchemas(data: unknown, validate: ValidateOne, toDrafts: ToDrafts): DiagnosticDraft[] {
  const drafts: DiagnosticDraft[] = [];
  for (const embedded of embeddedSchemas(data)) {
    for (const node of schemaNodes(embedded.schema, embedded.pointer)) {
      if (!validate(node.schema)) {
        const errors = (validate.errors ?? []).map((e) => ({ ...e, instancePath: node.pointer + e.instancePath }));
        for (const draft of toDrafts(errors)) drafts.push(reword(draft, node.schema, node.pointer));
      }
      checkPatterns(node.schema, node.pointer, drafts);
      checkRef(node.schema, node.pointer, embedded.schema, embedded.pointer, drafts);
    }
  }
  return drafts;
}

/** The topology schema's wording, retold for JSON Schema keywords, under one id. */
function reword(draft: DiagnosticDraft, schema: Readonly<Record<string, unknown>>, nodePointer: string): DiagnosticDraft {
  if (draft.ruleId === 'schema/unknown-key' && draft.pointer.startsWith(nodePointer + '/')) {
    const keyword = decodePointer(draft.pointer).at(-1) ?? '';
    const suggestion = didYouMean(keyword, JSON_SCHEMA_KEYWORDS);
    const looksLikeProperty = !suggestion && isSchemaObject(schema[keyword]);
    return {
      ruleId: EMBEDDED_RULE_ID,
      pointer: draft.pointer,
      onKey: true,
      message: `unknown JSON Schema keyword \`${keyword}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
      hint: looksLikeProperty
        ? 'to describe a property, put it under `properties`'
        : 'JSON Schema ignores keywords it does not know, so a misspelt keyword silently drops its constraint; draft-07 keywords and `$defs` are allowed',
      ...(suggestion ? { suggestion } : {}),
    };
  }
  const { ruleId: _ruleId, ...rest } = draft;
  return { ...rest, ruleId: EMBEDDED_RULE_ID };
}

function checkPatterns(schema: Readonly<Record<string, unknown>>, pointer: string, drafts: DiagnosticDraft[]): void {
  const check = (source: string, at: string, onKey: boolean, what: string) => {
    try {
      // The `u` flag, as ajv (and so the run-time argument check) compiles patterns.
      new RegExp(source, 'u');
    } catch (error) {
      const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /s, '');
      drafts.push({ ruleId: EMBEDDED_RULE_ID, pointer: at, onKey, message: `${what} is not a valid regular expression: ${reason}` });
    }
  };
  if (typeof schema.pattern === 'string') check(schema.pattern, childPointer(pointer, 'pattern'), false, '`pattern`');
  if (isSchemaObject(schema.patternProperties)) {
    for (const key of Object.keys(schema.patternProperties)) check(key, childPointer(pointer, 'patternProperties', key), true, `the \`patternProperties\` key ${JSON.stringify(key)}`);
  }
}

/** A `$ref` must point into the same embedded schema: nothing else travels with it to the model API. */
function checkRef(schema: Readonly<Record<string, unknown>>, pointer: string, root: Readonly<Record<string, unknown>>, rootPointer: string, drafts: DiagnosticDraft[]): void {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return;
  const at = childPointer(pointer, '$ref');
  if (!ref.startsWith('#')) {
    drafts.push({ ruleId: EMBEDDED_RULE_ID, pointer: at, message: `\`$ref\` ${JSON.stringify(ref)} points outside this schema`, hint: 'only local references (`#`, `#/$defs/Name`, `#/definitions/Name`) can be resolved: the schema is sent to the model as written' });
    return;
  }
  let target: unknown = root;
  const segments = ref === '#' ? [] : ref.startsWith('#/') ? pointerOfFragment(ref.slice(1)) : undefined;
  if (!segments) {
    drafts.push({ ruleId: EMBEDDED_RULE_ID, pointer: at, message: `\`$ref\` ${JSON.stringify(ref)} is not a JSON pointer such as \`#/$defs/Name\`` });
    return;
  }
  for (const [i, segment] of segments.entries()) {
    const container: unknown = target;
    target = isSchemaObject(container) ? container[segment] : Array.isArray(container) ? container[Number(segment)] : undefined;
    if (target === undefined) {
      const siblings = isSchemaObject(container) ? Object.keys(container) : [];
      const suggestion = didYouMean(segment, siblings);
      const fixed = suggestion ? '#' + childPointer('', ...segments.slice(0, i), suggestion, ...segments.slice(i + 1)) : undefined;
      drafts.push({
        ruleId: EMBEDDED_RULE_ID,
        pointer: at,
        message: `\`$ref\` ${JSON.stringify(ref)} does not resolve in this schema${fixed ? `; did you mean \`${fixed}\`?` : ''}`,
        hint: `\`#\` is the root of the schema at ${rootPointer || '/'}`,
        ...(fixed ? { suggestion: fixed } : {}),
      });
      return;
    }
  }
}

/** A URI fragment (`/$defs/Name`, percent-encoded) as pointer segments; undefined when it is not valid percent-encoding. */
function pointerOfFragment(fragment: string): string[] | undefined {
  try {
    return decodePointer(decodeURIComponent(fragment));
  } catch {
    return undefined;
  }
}
