/** TypeScript for the side module: types from JSON Schemas, and stubs whose bodies say what to port. */
import { docComment, lit, propertyKey } from '../../emit/code.js';
import type { JsonSchema } from './types-to-schema.js';

/** A TypeScript type for a JSON Schema (the subset the importer produces). */
export function schemaType(schema: JsonSchema, indent = ''): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((value) => JSON.stringify(value)).join(' | ') || 'never';
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map((option) => schemaType(option, indent)).join(' | ');
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0) return 'unknown';
  return types.map((type) => singleType(type, schema, indent)).join(' | ');
}

function singleType(type: string, schema: JsonSchema, indent: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (Array.isArray(schema.prefixItems)) return `[${(schema.prefixItems as JsonSchema[]).map((item) => schemaType(item, indent)).join(', ')}]`;
      const item = schemaType((schema.items as JsonSchema | undefined) ?? {}, indent);
      return /[ |]/.test(item) ? `Array<${item}>` : `${item}[]`;
    }
    case 'object':
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

export function objectType(schema: JsonSchema, indent = ''): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const inner = `${indent}  `;
  const lines = Object.entries(properties).map(([key, property]) => {
    const doc = typeof property.description === 'string' ? `${docComment(property.description, inner)}\n` : '';
    return `${doc}${inner}${propertyKey(key)}${required.has(key) ? '' : '?'}: ${schemaType(property, inner)};`;
  });
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') lines.push(`${inner}[key: string]: ${schemaType(schema.additionalProperties as JsonSchema, inner)};`);
  else if (schema.additionalProperties === true || (schema.additionalProperties === undefined && Object.keys(properties).length === 0)) lines.push(`${inner}[key: string]: unknown;`);
  return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
}

/** `throw new Error("not implemented: port NAME from FILE:LINE")`, as a string literal safe in any position. */
export function notImplemented(what: string, where: string): string {
  return `throw new Error(${lit(`not implemented: port ${what} from ${where}`)});`;
}

