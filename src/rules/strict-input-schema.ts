import { defineRule } from './define.js';
import { childPointer } from '../source/pointer.js';
import type { JsonSchema } from '../model/types.js';
import { indexOf } from '../model/queries.js';

export default defineRule({
  id: 'strict-input-schema',
  defaultSeverity: 'error',
  description: 'Handoff inputs, structured outputs and tool parameters are valid for the SDK\'s strict JSON-Schema mode.',
  docs: 'Strict mode (the default for tools, and forced for handoff inputs) guarantees the model\'s arguments match the schema, but the API only accepts schemas whose root is an object, whose every property is listed in `required`, and that set `additionalProperties: false` on every object. Express optional values as a union with null (`type: [string, "null"]`). A tool may opt out with `strict: false`; the SDK then requires its root to allow additional properties.',
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
    const uses = [...topology.edges.flatMap((e) => (e.input ? [e.input] : [])), ...topology.agents.flatMap((a) => (a.output ? [a.output] : []))];
    for (const input of uses) {
      const target = input.kind === 'named' ? schemas.get(input.name) : undefined;
      const [schema, pointer, label] =
        input.kind === 'inline' ? [input.schema, input.pointer, 'the inline schema'] : [target?.schema, target?.pointer ?? '', `schema \`${input.name}\``];
      if (!schema || checked.has(pointer)) continue;
      checked.add(pointer);
      checkStrict(schema, pointer, label, report);
    }
  },
});

type Report = (finding: { pointer: string; message: string; onKey?: boolean; hint?: string }) => void;

function checkStrict(schema: JsonSchema, pointer: string, label: string, report: Report, isRoot = true): void {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (isRoot && schema.type !== 'object') {
    report({ pointer: schema.type === undefined ? pointer : childPointer(pointer, 'type'), onKey: schema.type === undefined, message: `${label} must have \`type: object\` at the root` });
    return;
  }
  const properties = isRecord(schema.properties) ? schema.properties : undefined;
  if (types.includes('object')) {
    if (schema.additionalProperties !== false) {
      report({
        pointer: schema.additionalProperties === undefined ? pointer : childPointer(pointer, 'additionalProperties'),
        onKey: schema.additionalProperties === undefined,
        message: `${label}: strict mode needs \`additionalProperties: false\` on every object`,
      });
    }
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    for (const name of Object.keys(properties ?? {})) {
      if (required.has(name)) continue;
      report({
        pointer: childPointer(pointer, 'properties', name),
        onKey: true,
        message: `${label}: property \`${name}\` is not in \`required\`; strict mode needs every property there`,
        hint: 'list it in `required`; to make it optional, allow null: `type: [string, "null"]`',
      });
    }
  }
  for (const [name, child] of Object.entries(properties ?? {})) {
    if (isRecord(child)) checkStrict(child, childPointer(pointer, 'properties', name), label, report, false);
  }
  if (isRecord(schema.items)) checkStrict(schema.items, childPointer(pointer, 'items'), label, report, false);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
