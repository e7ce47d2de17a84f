import { docComment, lit, propertyKey } from '../code.js';
import { unionType } from './layout.js';

type Schema = Readonly<Record<string, unknown>>;

/**
 * A TypeScript type for a JSON Schema, covering what tool parameters and handoff inputs use: objects,
 * arrays, scalars, enums, const, nullable type lists and anyOf/oneOf. Anything else is `unknown`,
 * which never rejects a correct implementation. `indent` is the column the type starts at.
 */
export function schemaToType(schema: unknown, indent = 0): string {
  return typeMembers(schema, indent).join(' | ');
}

/** The members of the union the schema stands for (one member when it is not a union). */
export function typeMembers(schema: unknown, indent = 0): string[] {
  if (!isSchema(schema)) return ['unknown'];
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literalType));
  if ('const' in schema) return [literalType(schema.const)];
  const variants = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(variants)) return union(variants.flatMap((v) => typeMembers(v, indent)));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return union(types.map((t) => typeFor(String(t), schema, indent)));
}

function typeFor(type: string, schema: Schema, indent: number): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = schemaToType(schema.items, indent);
      return /^[\w.]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case 'object':
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

/** An object type, one property per line with its description as a doc comment. */
export function objectType(schema: Schema, indent = 0): string {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const inner = indent + 2;
  const members = Object.entries(properties).map(([name, child]) => {
    const description = isSchema(child) && typeof child.description === 'string' ? `${docComment(child.description, ' '.repeat(inner))}\n` : '';
    return `${description}${unionType(typeMembers(child, inner), inner, `${propertyKey(name)}${required.has(name) ? '' : '?'}: `, ';')}`;
  });
  if (schema.additionalProperties !== false) members.push(`${' '.repeat(inner)}[key: string]: unknown;`);
  return members.length ? `{\n${members.join('\n')}\n${' '.repeat(indent)}}` : '{}';
}

function literalType(value: unknown): string {
  if (typeof value === 'string') return lit(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return 'unknown';
}

function union(parts: string[]): string[] {
  const unique = [...new Set(parts)];
  if (unique.includes('unknown')) return ['unknown'];
  return unique.length ? unique : ['never'];
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
