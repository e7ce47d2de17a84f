import { childPointer } from '../source/pointer.js';

/**
 * Where a JSON Schema (draft-07, plus `$defs`) holds further schemas. The embedded-schema check and the
 * strict-mode rule both walk schemas with this one table, so they agree on what is a subschema.
 */
const SINGLE = ['additionalItems', 'contains', 'additionalProperties', 'propertyNames', 'if', 'then', 'else', 'not'] as const;
const LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies'] as const;

/** Steps that describe a nested value (one more level of the data), as opposed to combinators and definitions. */
const DATA_STEPS = new Set(['properties', 'patternProperties', 'additionalProperties', 'items', 'additionalItems', 'contains']);

export interface SchemaNode {
  readonly schema: Readonly<Record<string, unknown>>;
  /** JSON pointer of this subschema in the topology document. */
  readonly pointer: string;
  /** How many values deep the data this subschema describes sits: 1 for the root, +1 per property or item step. */
  readonly level: number;
  /** Under `definitions`/`$defs`: reached through `$ref`, so its level is not known statically. */
  readonly inDefinitions: boolean;
}

export function isSchemaObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every subschema that is a mapping, root first, depth-first in authoring order. Boolean schemas
 * (`true`/`false`) have nothing to check and are skipped. Iterative, so a deeply nested schema cannot
 * overflow the stack.
 */
export function schemaNodes(root: Readonly<Record<string, unknown>>, pointer: string): SchemaNode[] {
  const out: SchemaNode[] = [];
  const stack: SchemaNode[] = [{ schema: root, pointer, level: 1, inDefinitions: false }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    const children: SchemaNode[] = [];
    const add = (value: unknown, keyword: string, ...path: (string | number)[]) => {
      if (!isSchemaObject(value)) return;
      children.push({
        schema: value,
        pointer: childPointer(node.pointer, keyword, ...path),
        level: node.level + (DATA_STEPS.has(keyword) ? 1 : 0),
        inDefinitions: node.inDefinitions || keyword === 'definitions' || keyword === '$defs',
      });
    };
    const { schema } = node;
    for (const keyword of MAPS) {
      const map = schema[keyword];
      if (isSchemaObject(map)) for (const [name, child] of Object.entries(map)) add(child, keyword, name);
    }
    if (Array.isArray(schema.items)) schema.items.forEach((child, i) => add(child, 'items', i));
    else add(schema.items, 'items');
    for (const keyword of SINGLE) add(schema[keyword], keyword);
    for (const keyword of LISTS) {
      const list = schema[keyword];
      if (Array.isArray(list)) list.forEach((child, i) => add(child, keyword, i));
    }
    // Reverse so the stack yields children in authoring order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/** One embedded JSON Schema in a topology: where it is written and what it is used for. */
export interface EmbeddedSchema {
  readonly schema: Readonly<Record<string, unknown>>;
  readonly pointer: string;
}

/**
 * Every place the topology format embeds a JSON Schema, read from the raw data (the schema stage runs
 * before the model is built): tool `parameters`, `schemas:` entries, inline handoff `input`, inline
 * agent `output`. (`context:` names a TypeScript type, not a schema.)
 */
export function embeddedSchemas(data: unknown): EmbeddedSchema[] {
  if (!isSchemaObject(data)) return [];
  const out: EmbeddedSchema[] = [];
  const each = (map: unknown, visit: (key: string, value: Readonly<Record<string, unknown>>) => void) => {
    if (isSchemaObject(map)) for (const [key, value] of Object.entries(map)) if (isSchemaObject(value)) visit(key, value);
  };
  each(data.tools, (id, tool) => {
    if (isSchemaObject(tool.parameters)) out.push({ schema: tool.parameters, pointer: childPointer('/tools', id, 'parameters') });
  });
  each(data.schemas, (name, schema) => out.push({ schema, pointer: childPointer('/schemas', name) }));
  if (Array.isArray(data.handoffs)) {
    data.handoffs.forEach((edge: unknown, i) => {
      if (isSchemaObject(edge) && isSchemaObject(edge.input)) out.push({ schema: edge.input, pointer: childPointer('/handoffs', i, 'input') });
    });
  }
  each(data.agents, (id, agent) => {
    if (isSchemaObject(agent.output)) out.push({ schema: agent.output, pointer: childPointer('/agents', id, 'output') });
  });
  return out;
}
