import type { ts as TS } from '@ts-morph/common';

/**
 * Zod schema expressions (`z.object({...})`, `.describe()`, `.nullable()`, …) read from the syntax tree
 * into the JSON Schema the SDK would send in strict mode: every property required, optional values
 * allowed to be null, `additionalProperties: false`. Only the common shapes are known; anything else
 * comes back as `unsupported` so the importer can report it with its position.
 */
export type ZodResult = { ok: true; schema: Record<string, unknown> } | { ok: false; node: TS.Node; reason: string };

export interface ZodReader {
  ts: typeof TS;
  /** Follows an identifier to the expression it was initialised with (a named sub-schema), if any. */
  resolve(node: TS.Expression): TS.Expression | undefined;
  /** A constant string, number or boolean the expression evaluates to, if it is one. */
  constant(node: TS.Expression): string | number | boolean | undefined;
}

/** Whether an expression is a zod schema built from `z.` (or `zod.`) calls. */
export function isZodExpression(ts: typeof TS, node: TS.Expression): boolean {
  let current: TS.Expression = node;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) current = current.expression.expression;
  return ts.isIdentifier(current) && (current.text === 'z' || current.text === 'zod');
}

export function zodToJsonSchema(reader: ZodReader, node: TS.Expression, depth = 0): ZodResult {
  const { ts } = reader;
  if (depth > 32) return { ok: false, node, reason: 'the zod schema nests too deeply' };
  if (ts.isIdentifier(node)) {
    const target = reader.resolve(node);
    if (target) return zodToJsonSchema(reader, target, depth + 1);
    return { ok: false, node, reason: `\`${node.text}\` is not a zod schema defined in this file` };
  }
  if (ts.isParenthesizedExpression(node)) return zodToJsonSchema(reader, node.expression, depth + 1);
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return { ok: false, node, reason: 'not a zod call' };
  const method = node.expression.name.text;
  const receiver = node.expression.expression;
  const args = node.arguments;
  const isRoot = ts.isIdentifier(receiver) && (receiver.text === 'z' || receiver.text === 'zod');
  if (isRoot) return zodBase(reader, node, method, args, depth);
  const inner = zodToJsonSchema(reader, receiver, depth + 1);
  if (!inner.ok) return inner;
  const schema = { ...inner.schema };
  const num = (i = 0) => (args[i] ? reader.constant(args[i]!) : undefined);
  switch (method) {
    case 'describe': {
      const text = num();
      if (typeof text === 'string') schema.description = text;
      return { ok: true, schema };
    }
    case 'optional':
    case 'nullable':
    case 'nullish':
      // Strict mode needs every property required: an optional value is sent as null instead.
      return { ok: true, schema: withNull(schema) };
    case 'min':
    case 'max':
    case 'length': {
      const value = num();
      if (typeof value !== 'number') return { ok: false, node, reason: `\`.${method}()\` needs a number literal` };
      const keyword = schema.type === 'string' ? 'Length' : schema.type === 'array' ? 'Items' : '';
      if (keyword === '' && method === 'length') return { ok: false, node, reason: '`.length()` on a non-string, non-array schema' };
      if (method !== 'max') schema[keyword ? `min${keyword}` : 'minimum'] = value;
      if (method !== 'min') schema[keyword ? `max${keyword}` : 'maximum'] = value;
      return { ok: true, schema };
    }
    case 'int':
      return { ok: true, schema: { ...schema, type: 'integer' } };
    case 'positive':
      return { ok: true, schema: { ...schema, exclusiveMinimum: 0 } };
    case 'nonnegative':
      return { ok: true, schema: { ...schema, minimum: 0 } };
    case 'email':
    case 'uuid':
      return { ok: true, schema: { ...schema, format: method } };
    case 'url':
      return { ok: true, schema: { ...schema, format: 'uri' } };
    case 'datetime':
      return { ok: true, schema: { ...schema, format: 'date-time' } };
    case 'regex': {
      const pattern = args[0];
      if (pattern && ts.isRegularExpressionLiteral(pattern)) {
        const body = pattern.text.slice(1, pattern.text.lastIndexOf('/'));
        return { ok: true, schema: { ...schema, pattern: body } };
      }
      return { ok: false, node, reason: '`.regex()` needs a regular expression literal' };
    }
    case 'strict':
      return { ok: true, schema };
    default:
      return { ok: false, node, reason: `the zod method \`.${method}()\` is not converted` };
  }
}

function zodBase(reader: ZodReader, node: TS.CallExpression, method: string, args: TS.NodeArray<TS.Expression>, depth: number): ZodResult {
  const { ts } = reader;
  switch (method) {
    case 'string':
    case 'number':
    case 'boolean':
      return { ok: true, schema: { type: method } };
    case 'null':
      return { ok: true, schema: { type: 'null' } };
    case 'int':
      return { ok: true, schema: { type: 'integer' } };
    case 'email':
    case 'uuid':
      return { ok: true, schema: { type: 'string', format: method } };
    case 'literal': {
      const value = args[0] ? reader.constant(args[0]) : undefined;
      if (value === undefined) return { ok: false, node, reason: '`z.literal()` needs a literal value' };
      return { ok: true, schema: { type: typeof value === 'number' ? 'number' : typeof value, const: value } };
    }
    case 'enum': {
      const list = args[0] && (reader.resolve(args[0]) ?? args[0]);
      const items = list && ts.isArrayLiteralExpression(list) ? list.elements.map((e) => reader.constant(e)) : undefined;
      if (!items || items.some((v) => typeof v !== 'string')) return { ok: false, node, reason: '`z.enum()` needs an array of string literals' };
      return { ok: true, schema: { type: 'string', enum: items } };
    }
    case 'array': {
      if (!args[0]) return { ok: false, node, reason: '`z.array()` needs an item schema' };
      const items = zodToJsonSchema(reader, args[0], depth + 1);
      return items.ok ? { ok: true, schema: { type: 'array', items: items.schema } } : items;
    }
    case 'object': {
      const shape = args[0] && (reader.resolve(args[0]) ?? args[0]);
      if (!shape || !ts.isObjectLiteralExpression(shape)) return { ok: false, node, reason: '`z.object()` needs an object literal' };
      const properties: Record<string, unknown> = {};
      for (const property of shape.properties) {
        if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
          return { ok: false, node: property, reason: 'a computed or spread property in `z.object()`' };
        }
        const value = zodToJsonSchema(reader, property.initializer, depth + 1);
        if (!value.ok) return value;
        properties[property.name.text] = value.schema;
      }
      return { ok: true, schema: { type: 'object', properties, required: Object.keys(properties), additionalProperties: false } };
    }
    case 'union': {
      const list = args[0];
      if (!list || !ts.isArrayLiteralExpression(list)) return { ok: false, node, reason: '`z.union()` needs an array literal' };
      const branches: unknown[] = [];
      for (const element of list.elements) {
        const branch = zodToJsonSchema(reader, element, depth + 1);
        if (!branch.ok) return branch;
        branches.push(branch.schema);
      }
      return { ok: true, schema: { anyOf: branches } };
    }
    default:
      return { ok: false, node, reason: `\`z.${method}()\` is not converted` };
  }
}

function withNull(schema: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(schema.anyOf)) return schema.anyOf.some((b) => (b as { type?: unknown }).type === 'null') ? schema : { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  const type = schema.type;
  if (typeof type === 'string') return type === 'null' ? schema : { ...schema, type: [type, 'null'], ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}) };
  if (Array.isArray(type)) return type.includes('null') ? schema : { ...schema, type: [...type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}
