import { docComment, jsonDoc, lit, multiline, propertyKey } from '../code.js';
import { typeMembers } from './schema-to-type.js';
import { arrow, assignment, object, render, str, unionType, type Doc } from './layout.js';
import { allFilterSteps, describeFilterStep, indexOf } from '../../model/queries.js';
import type { FilterStep, JsonSchema, Topology } from '../../model/types.js';
import { bindingKey, bindings, schemaKey, schemaUses, type Names } from './names.js';

// Fixed declarations, written as prettier prints them (the layout tests hold them to that).
const TOOL_IMPLEMENTATION = [
  docComment('What a tool implementation receives: its declared parameters and the SDK run context.'),
  'export type ToolImplementation<Params> = (',
  '  args: Params,',
  '  context?: RunContext<TopologyContext>,',
  ') => unknown;',
];
const HANDOFF_HOOK = [
  docComment("An edge's `onHandoff` hook: the run context and the parsed handoff input."),
  'export type HandoffHook<Input> = (',
  '  context: RunContext<TopologyContext>,',
  '  input: Input,',
  ') => void | Promise<void>;',
];
const HANDOFF_INPUT_FILTER = [docComment('A handoff input filter (the SDK requires them to be synchronous).'), 'export type HandoffInputFilter = (data: HandoffInputData) => HandoffInputData;'];
const HANDOFF_ENABLED = [
  docComment("An edge's `enabled` predicate: whether the model is offered the handoff on this turn."),
  'export type HandoffEnabled = (args: {',
  '  runContext: RunContext<TopologyContext>;',
  '  agent: Agent<any, any>;',
  '}) => boolean | Promise<boolean>;',
];
const DYNAMIC_INSTRUCTIONS = [
  docComment('Instructions built at run time.'),
  'export type DynamicInstructions = (',
  '  runContext: RunContext<TopologyContext>,',
  '  agent: Agent<TopologyContext, any>,',
  ') => string | Promise<string>;',
];

/** The signatures user code must have; tsc checks every user export against one of them. */
export function emitSignatures(topology: Topology, contextType: string | undefined): string[] {
  return [
    docComment(contextType ? `The run context every tool, hook and filter receives (${contextType}).` : 'This topology declares no `context:`, so the run context is untyped.'),
    `export type TopologyContext = ${contextType ?? 'unknown'};`,
    ...TOOL_IMPLEMENTATION,
    ...HANDOFF_HOOK,
    ...(allFilterSteps(topology).length ? HANDOFF_INPUT_FILTER : []),
    ...(topology.edges.some((e) => e.enabled?.kind === 'predicate') ? HANDOFF_ENABLED : []),
    ...(topology.agents.some((a) => a.instructions?.kind === 'dynamic') ? DYNAMIC_INSTRUCTIONS : []),
    '',
  ];
}

/** Parameter types of tools, input/output types and their JSON Schemas, and prompt fragments. */
export function emitTypes(topology: Topology, names: Names): string[] {
  const out: string[] = [];
  for (const tool of topology.tools) {
    out.push(docComment(`Parameters of the tool \`${tool.id}\`; its implementation must accept this type.`), unionType(typeMembers(tool.parameters), 0, `export type ${names.params.get(tool.id)} = `, ';'), '');
  }
  const schemas = indexOf(topology).schemas;
  for (const use of schemaUses(topology)) {
    const key = schemaKey(use);
    const schema: JsonSchema = use.kind === 'named' ? (schemas.get(use.name)?.schema ?? {}) : use.schema;
    out.push(
      docComment(use.kind === 'named' ? `The schema \`${use.name}\`.` : 'A schema declared inline.'),
      unionType(typeMembers(schema), 0, `export type ${names.schemaType.get(key)} = `, ';'),
      render(jsonDoc(schema), 0, `export const ${names.schemaConst.get(key)} = `, ' satisfies ToolInputParameters;'),
    );
    const output = names.outputConst.get(key);
    if (output) {
      const definition = object([['type', str('"json_schema"')], ['name', str(lit(names.schemaType.get(key)!))], ['strict', 'true'], ['schema', names.schemaConst.get(key)!]]);
      out.push(render(definition, 0, `export const ${output} = `, ' satisfies JsonSchemaDefinition;'));
    }
    out.push('');
  }
  if (topology.fragments.length) {
    const fragments = object(topology.fragments.map((f) => [propertyKey(f.name), multiline(f.text)] as const), true);
    out.push(docComment('Reusable prompt fragments (`fragments:` in the YAML).'), render(fragments, 0, 'export const promptFragments = ', ' as const;'), '');
  }
  return out;
}

/**
 * Each user export bound to a typed constant, so tsc reports a signature mismatch here, by name.
 * `include` picks a subset by binding key (voice.ts binds only the hooks and predicates it uses).
 */
export function emitBindings(topology: Topology, names: Names, include?: (key: string) => boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const [ref, type, what] of bindings(topology, names.params, names.schemaType)) {
    const key = bindingKey(ref, type);
    if (seen.has(key) || (include && !include(key))) continue;
    seen.add(key);
    out.push(docComment(`${what} (${ref.path}#${ref.exportName}).`), assignment(`const ${names.binding.get(key)}: ${type}`, `${names.module.get(ref.path)}.${ref.exportName}`));
  }
  return out.length ? [...out, ''] : [];
}

export function emitTools(topology: Topology, names: Names): string[] {
  return topology.tools.flatMap((tool) => {
    const impl = tool.implementation ? names.binding.get(bindingKey(tool.implementation, `ToolImplementation<${names.params.get(tool.id)}>`)) : undefined;
    // The SDK types a non-strict JSON schema as `additionalProperties: true`; absent means the same.
    const parameters = tool.strict ? tool.parameters : { ...tool.parameters, additionalProperties: true };
    const options: [string, Doc][] = [
      ['name', str(lit(tool.id))],
      ['description', multiline(tool.description)],
      ['parameters', jsonDoc(parameters)],
      ['strict', String(tool.strict)],
      ...(tool.needsApproval ? [['needsApproval', 'true'] as [string, Doc]] : []),
      ['execute', arrow('(args, context?: RunContext<TopologyContext>)', `${impl}(args as ${names.params.get(tool.id)}, context)`)],
    ];
    return [docComment(`${tool.kind === 'human-escalation' ? 'Human escalation: ' : ''}${tool.description}`), render(object(options, true), 0, `export const ${names.tool.get(tool.id)} = tool(`, ');'), ''];
  });
}

export function emitFilters(topology: Topology, names: Names): string[] {
  const steps = allFilterSteps(topology);
  const out: string[] = [];
  if (steps.some((s) => s.kind === 'keepLast')) out.push(...KEEP_LAST_HELPER);
  if (steps.some((s) => s.kind === 'removeReasoning')) out.push(...REMOVE_REASONING_HELPER);
  for (const filter of topology.filters) {
    out.push(
      docComment(`Filter pipeline \`${filter.name}\`: ${filter.steps.map(describeFilterStep).join(' → ')}.`),
      `export function ${names.filter.get(filter.name)}(data: HandoffInputData): HandoffInputData {`,
      ...filter.steps.map((s) => `  data = ${stepCall(s, names)};`),
      '  return data;',
      '}',
      '',
    );
  }
  return out;
}

export function stepCall(step: FilterStep, names: Names, data = 'data'): string {
  switch (step.kind) {
    case 'removeAllTools':
      return `removeAllTools(${data})`;
    case 'removeReasoning':
      return `removeReasoningItems(${data})`;
    case 'keepLast':
      return `keepLastItems(${data}, ${step.count})`;
    case 'custom':
      return `${names.binding.get(bindingKey(step.implementation, 'HandoffInputFilter'))}(${data})`;
  }
}

const KEEP_LAST_HELPER = [
  docComment('`keepLast: N`: the target sees at most the last N items, counting the history and this turn together.'),
  'function keepLastItems(data: HandoffInputData, count: number): HandoffInputData {',
  '  const newItems = data.newItems.slice(-count);',
  '  const preHandoffItems = data.preHandoffItems.slice(-Math.max(0, count - newItems.length));',
  '  const historyBudget = Math.max(0, count - newItems.length - preHandoffItems.length);',
  '  const inputHistory =',
  '    typeof data.inputHistory === "string"',
  '      ? historyBudget > 0',
  '        ? data.inputHistory',
  '        : []',
  '      : historyBudget > 0',
  '        ? data.inputHistory.slice(-historyBudget)',
  '        : [];',
  '  return { ...data, inputHistory, preHandoffItems, newItems };',
  '}',
  '',
];

const REMOVE_REASONING_HELPER = [
  docComment('`removeReasoning`: drop reasoning items, which a non-reasoning model cannot take as input.'),
  'function removeReasoningItems(data: HandoffInputData): HandoffInputData {',
  '  const inputHistory =',
  '    typeof data.inputHistory === "string"',
  '      ? data.inputHistory',
  '      : data.inputHistory.filter((item) => item.type !== "reasoning");',
  '  const keep = (item: { type: string }) => item.type !== "reasoning_item";',
  '  return {',
  '    ...data,',
  '    inputHistory,',
  '    preHandoffItems: data.preHandoffItems.filter(keep),',
  '    newItems: data.newItems.filter(keep),',
  '  };',
  '}',
  '',
];
