import { docComment, jsonLiteral, lit, multiline, NameAllocator, propertyKey } from '../code.js';
import { schemaToType } from './schema-to-type.js';
import { agentIdentifier, camelCase, pascalCase, toolIdentifier, toolParamsType } from '../../model/naming.js';
import { indexOf } from '../../model/queries.js';
import type { Agent, CodeRef, Edge, FilterStep, JsonSchema, ProjectFiles, Topology } from '../../model/types.js';
import { cmp } from '../../diagnostics/types.js';

export interface EmitContext {
  readonly topology: Topology;
  readonly files: ProjectFiles;
  /** The header line naming the source. */
  readonly header: string;
  /** Import specifier (relative to the output folder, `.js` extension) for a module reference path. */
  readonly importPath: (referencePath: string) => string;
}

/** Names chosen for one topology's generated declarations. */
interface Names {
  readonly allocate: NameAllocator;
  readonly agent: Map<string, string>;
  readonly tool: Map<string, string>;
  readonly params: Map<string, string>;
  readonly schemaType: Map<string, string>;
  readonly schemaConst: Map<string, string>;
  readonly filter: Map<string, string>;
  readonly module: Map<string, string>;
  readonly binding: Map<string, string>;
}

/** agents.ts: parameter and input types, typed bindings of user code, tools, filters, agents, then handoffs. */
export function emitAgents(ctx: EmitContext): string {
  const { topology } = ctx;
  const names = allocateNames(ctx);
  const usesFilters = topology.filters.length > 0 || topology.edges.some((e) => e.filter?.kind === 'inline');
  const steps = allSteps(topology);
  const sdkValues = ['Agent', ...(topology.edges.length ? ['handoff'] : []), ...(topology.tools.length ? ['tool'] : [])];
  const sdkTypes = ['RunContext', ...(usesFilters ? ['HandoffInputData'] : []), ...(hasInputs(topology) ? ['ToolInputParameters'] : [])];
  const lines: string[] = [
    ctx.header,
    '',
    `import { ${sdkValues.join(', ')}, ${sdkTypes.map((t) => `type ${t}`).join(', ')} } from "@openai/agents";`,
    ...(steps.some((s) => s.kind === 'removeAllTools') ? ['import { removeAllTools } from "@openai/agents-core/extensions";'] : []),
    ...[...names.module.entries()].sort(([a], [b]) => cmp(a, b)).map(([path, id]) => `import * as ${id} from ${lit(ctx.importPath(path))};`),
    '',
    docComment('What a tool implementation receives: its declared parameters and the SDK run context.'),
    'export type ToolImplementation<Params> = (args: Params, context?: RunContext<unknown>) => unknown;',
    docComment("An edge's `onHandoff` hook: the run context and the parsed handoff input."),
    'export type HandoffHook<Input> = (context: RunContext<unknown>, input: Input) => void | Promise<void>;',
    ...(usesFilters ? [docComment('A handoff input filter (the SDK requires them to be synchronous).'), 'export type HandoffInputFilter = (data: HandoffInputData) => HandoffInputData;'] : []),
    '',
    ...emitTypes(ctx, names),
    ...emitBindings(ctx, names),
    ...emitTools(ctx, names),
    ...emitFilters(ctx, names, steps),
    ...topology.agents.flatMap((agent) => emitAgent(ctx, names, agent)),
    ...emitHandoffs(ctx, names),
    '',
    docComment(`The agent every conversation starts with (\`${topology.entry.value}\`).`),
    `export const entryAgent = ${names.agent.get(topology.entry.value)};`,
    '',
    docComment('Every agent, keyed by its id in the YAML.'),
    'export const agents = {',
    ...topology.agents.map((a) => `  ${propertyKey(a.id)}: ${names.agent.get(a.id)},`),
    '} as const;',
    '',
    'export type AgentId = keyof typeof agents;',
  ];
  return lines.join('\n') + '\n';
}

function allocateNames(ctx: EmitContext): Names {
  const { topology } = ctx;
  const allocate = new NameAllocator(['ToolImplementation', 'HandoffHook', 'HandoffInputFilter', 'Agent', 'handoff', 'tool', 'removeAllTools', 'keepLastItems', 'removeReasoningItems', 'entryAgent', 'agents', 'AgentId']);
  const names: Names = { allocate, agent: new Map(), tool: new Map(), params: new Map(), schemaType: new Map(), schemaConst: new Map(), filter: new Map(), module: new Map(), binding: new Map() };
  for (const agent of topology.agents) names.agent.set(agent.id, allocate.allocate(agentIdentifier(agent.id)));
  for (const tool of topology.tools) {
    names.tool.set(tool.id, allocate.allocate(toolIdentifier(tool.id)));
    names.params.set(tool.id, allocate.allocate(toolParamsType(tool.id)));
  }
  for (const schema of topology.schemas) {
    names.schemaType.set(schema.name, allocate.allocate(pascalCase(schema.name)));
    names.schemaConst.set(schema.name, allocate.allocate(`${camelCase(schema.name)}Schema`));
  }
  for (const edge of inlineInputEdges(topology)) {
    const base = edgeLabel(topology, edge);
    names.schemaType.set(inlineKey(edge), allocate.allocate(`${base}Input`));
    names.schemaConst.set(inlineKey(edge), allocate.allocate(`${base.charAt(0).toLowerCase()}${base.slice(1)}InputSchema`));
  }
  for (const filter of topology.filters) names.filter.set(filter.name, allocate.allocate(`${camelCase(filter.name)}Filter`));
  const refs = codeRefsOf(topology);
  for (const ref of [...new Set(refs.map((r) => r.path))].sort(cmp)) {
    const base = ref.split('/').pop()!.replace(/\.[mc]?[jt]s$/, '');
    names.module.set(ref, allocate.allocate(`${camelCase(base) || 'user'}Module`));
  }
  for (const ref of refs) {
    const key = `${ref.path}#${ref.exportName}`;
    if (!names.binding.has(key)) names.binding.set(key, allocate.allocate(ref.exportName));
  }
  return names;
}

function emitTypes(ctx: EmitContext, names: Names): string[] {
  const { topology } = ctx;
  const out: string[] = [];
  for (const tool of topology.tools) {
    out.push(docComment(`Parameters of the tool \`${tool.id}\`; its implementation must accept this type.`), `export type ${names.params.get(tool.id)} = ${schemaToType(tool.parameters)};`, '');
  }
  const inputs: [string, JsonSchema, string][] = [
    ...topology.schemas.filter((s) => usedAsInput(topology, s.name)).map((s) => [s.name, s.schema, `The schema \`${s.name}\`: the payload the model fills in when it hands off.`] as [string, JsonSchema, string]),
    ...inlineInputEdges(topology).map((e) => [inlineKey(e), (e.input as { schema: JsonSchema }).schema, `Handoff input of ${edgeLabel(topology, e)} (declared inline).`] as [string, JsonSchema, string]),
  ];
  for (const [key, schema, doc] of inputs) {
    out.push(
      docComment(doc),
      `export type ${names.schemaType.get(key)} = ${schemaToType(schema)};`,
      `export const ${names.schemaConst.get(key)} = ${jsonLiteral(schema)} satisfies ToolInputParameters;`,
      '',
    );
  }
  return out;
}

/** Each user export bound to a typed constant, so tsc reports a signature mismatch here, by name. */
function emitBindings(ctx: EmitContext, names: Names): string[] {
  const { topology } = ctx;
  const out: string[] = [];
  const bind = (ref: CodeRef, type: string, what: string) => {
    const key = `${ref.path}#${ref.exportName}`;
    const line = `const ${names.binding.get(key)}: ${type} = ${names.module.get(ref.path)}.${ref.exportName};`;
    if (!out.includes(line)) out.push(docComment(`${what} (${ref.path}#${ref.exportName})`), line);
  };
  for (const tool of topology.tools) if (tool.implementation) bind(tool.implementation, `ToolImplementation<${names.params.get(tool.id)}>`, `Implementation of the tool \`${tool.id}\``);
  for (const edge of topology.edges) if (edge.onHandoff) bind(edge.onHandoff, `HandoffHook<${inputType(ctx, names, edge)}>`, 'onHandoff hook');
  for (const step of allSteps(topology)) if (step.kind === 'custom') bind(step.implementation, 'HandoffInputFilter', 'Custom input filter');
  return out.length ? [...out, ''] : [];
}

function emitTools(ctx: EmitContext, names: Names): string[] {
  return ctx.topology.tools.flatMap((tool) => {
    const impl = tool.implementation ? names.binding.get(`${tool.implementation.path}#${tool.implementation.exportName}`) : undefined;
    return [
      docComment(`${tool.kind === 'human-escalation' ? 'Human escalation: ' : ''}${tool.description}`),
      `export const ${names.tool.get(tool.id)} = tool({`,
      `  name: ${lit(tool.id)},`,
      `  description: ${multiline(tool.description)},`,
      // The SDK types a non-strict JSON schema as `additionalProperties: true`; absent means the same.
      `  parameters: ${jsonLiteral(tool.strict ? tool.parameters : { ...tool.parameters, additionalProperties: true })},`,
      `  strict: ${tool.strict},`,
      ...(tool.needsApproval ? ['  needsApproval: true,'] : []),
      `  execute: (args, context) => ${impl}(args as ${names.params.get(tool.id)}, context),`,
      '});',
      '',
    ];
  });
}

function emitFilters(ctx: EmitContext, names: Names, steps: readonly FilterStep[]): string[] {
  const out: string[] = [];
  if (steps.some((s) => s.kind === 'keepLast')) out.push(...KEEP_LAST_HELPER);
  if (steps.some((s) => s.kind === 'removeReasoning')) out.push(...REMOVE_REASONING_HELPER);
  for (const filter of ctx.topology.filters) {
    out.push(
      docComment(`Filter pipeline \`${filter.name}\`: ${filter.steps.map(describeStep).join(' → ')}.`),
      `export function ${names.filter.get(filter.name)}(data: HandoffInputData): HandoffInputData {`,
      ...filter.steps.map((s) => `  data = ${stepCall(s, names)};`),
      '  return data;',
      '}',
      '',
    );
  }
  return out;
}

function emitAgent(ctx: EmitContext, names: Names, agent: Agent): string[] {
  const instructions = instructionsText(ctx, agent);
  const settings = Object.keys(agent.modelSettings).length ? [`  modelSettings: ${jsonLiteral(agent.modelSettings)},`] : [];
  return [
    ...(agent.description ? [docComment(agent.description)] : [docComment(`The agent \`${agent.id}\`.`)]),
    `export const ${names.agent.get(agent.id)} = new Agent({`,
    `  name: ${lit(agent.name)},`,
    ...(instructions !== undefined ? [`  instructions: ${multiline(instructions)},`] : []),
    ...(agent.model ? [`  model: ${lit(agent.model.value)},`] : []),
    ...settings,
    ...(agent.handoffDescription ? [`  handoffDescription: ${multiline(agent.handoffDescription.value)},`] : []),
    `  tools: [${agent.tools.map((t) => names.tool.get(t.value)).join(', ')}],`,
    '});',
    '',
  ];
}

function emitHandoffs(ctx: EmitContext, names: Names): string[] {
  const { topology } = ctx;
  const { agents, outgoing } = indexOf(topology);
  const out = ['// Handoffs are wired after every agent exists, so hand-back cycles (entry → specialist → entry) resolve.'];
  for (const agent of topology.agents) {
    const edges = outgoing.get(agent.id) ?? [];
    if (edges.length === 0) continue;
    out.push(`${names.agent.get(agent.id)}.handoffs.push(`);
    for (const edge of edges) {
      const target = agents.get(edge.to.value)!;
      const options = handoffOptions(ctx, names, edge, target);
      out.push(options.length ? `  handoff(${names.agent.get(target.id)}, {\n${options.map((o) => `    ${o},`).join('\n')}\n  }),` : `  handoff(${names.agent.get(target.id)}),`);
    }
    out.push(');');
  }
  return out;
}

function handoffOptions(ctx: EmitContext, names: Names, edge: Edge, target: Agent): string[] {
  const options: string[] = [];
  if (edge.toolName) options.push(`toolNameOverride: ${lit(edge.toolName.value)}`);
  if (edge.description) options.push(`toolDescriptionOverride: ${lit(`Handoff to the ${target.name} agent to handle the request. ${edge.description.value}`)}`);
  const schemaKey = edge.input?.kind === 'named' ? edge.input.name : edge.input ? inlineKey(edge) : undefined;
  if (schemaKey) {
    options.push(`inputType: ${names.schemaConst.get(schemaKey)}`);
    const hook = edge.onHandoff ? names.binding.get(`${edge.onHandoff.path}#${edge.onHandoff.exportName}`) : undefined;
    options.push(
      hook
        ? `onHandoff: (context, input) => ${hook}(context, input as ${names.schemaType.get(schemaKey)})`
        : '// The SDK requires onHandoff alongside inputType; this edge declares no hook.\n    onHandoff: () => {}',
    );
  } else if (edge.onHandoff) {
    options.push(`onHandoff: (context) => ${names.binding.get(`${edge.onHandoff.path}#${edge.onHandoff.exportName}`)}(context, undefined)`);
  }
  if (edge.filter?.kind === 'named') options.push(`inputFilter: ${names.filter.get(edge.filter.name)}`);
  if (edge.filter?.kind === 'inline') {
    const calls = edge.filter.steps.reduce((expr, step) => stepCall(step, names, expr), 'data');
    options.push(`inputFilter: (data) => ${calls}`);
  }
  return options;
}

function inputType(ctx: EmitContext, names: Names, edge: Edge): string {
  if (edge.input?.kind === 'named') return names.schemaType.get(edge.input.name) ?? 'unknown';
  if (edge.input?.kind === 'inline') return names.schemaType.get(inlineKey(edge)) ?? 'unknown';
  return 'undefined';
}

function stepCall(step: FilterStep, names: Names, data = 'data'): string {
  switch (step.kind) {
    case 'removeAllTools':
      return `removeAllTools(${data})`;
    case 'removeReasoning':
      return `removeReasoningItems(${data})`;
    case 'keepLast':
      return `keepLastItems(${data}, ${step.count})`;
    case 'custom':
      return `${names.binding.get(`${step.implementation.path}#${step.implementation.exportName}`)}(${data})`;
  }
}

function describeStep(step: FilterStep): string {
  return step.kind === 'keepLast' ? `keepLast ${step.count}` : step.kind === 'custom' ? `${step.implementation.path}#${step.implementation.exportName}` : step.kind;
}

const KEEP_LAST_HELPER = [
  docComment('`keepLast: N`: the target sees at most the last N items, counting the history and this turn together.'),
  'function keepLastItems(data: HandoffInputData, count: number): HandoffInputData {',
  '  const newItems = data.newItems.slice(-count);',
  '  const preHandoffItems = data.preHandoffItems.slice(-Math.max(0, count - newItems.length));',
  '  const historyBudget = Math.max(0, count - newItems.length - preHandoffItems.length);',
  '  const inputHistory = typeof data.inputHistory === "string" ? (historyBudget > 0 ? data.inputHistory : []) : historyBudget > 0 ? data.inputHistory.slice(-historyBudget) : [];',
  '  return { ...data, inputHistory, preHandoffItems, newItems };',
  '}',
  '',
];

const REMOVE_REASONING_HELPER = [
  docComment('`removeReasoning`: drop reasoning items, which a non-reasoning model cannot take as input.'),
  'function removeReasoningItems(data: HandoffInputData): HandoffInputData {',
  '  const inputHistory = typeof data.inputHistory === "string" ? data.inputHistory : data.inputHistory.filter((item) => item.type !== "reasoning");',
  '  const keep = (item: { type: string }) => item.type !== "reasoning_item";',
  '  return { ...data, inputHistory, preHandoffItems: data.preHandoffItems.filter(keep), newItems: data.newItems.filter(keep) };',
  '}',
  '',
];

function instructionsText(ctx: EmitContext, agent: Agent): string | undefined {
  if (!agent.instructions) return undefined;
  if (agent.instructions.kind === 'inline') return agent.instructions.text;
  const text = ctx.files.byReference.get(agent.instructions.path)?.text;
  if (text === undefined) throw new Error(`internal: instructions file ${agent.instructions.path} was not read`);
  return text;
}

function allSteps(topology: Topology): FilterStep[] {
  return [...topology.filters.flatMap((f) => f.steps), ...uniqueEntries(topology).flatMap((e) => (e.filter?.kind === 'inline' ? e.filter.steps : []))];
}

function codeRefsOf(topology: Topology): CodeRef[] {
  return [
    ...topology.tools.flatMap((t) => (t.implementation ? [t.implementation] : [])),
    ...uniqueEntries(topology).flatMap((e) => (e.onHandoff ? [e.onHandoff] : [])),
    ...allSteps(topology).flatMap((s) => (s.kind === 'custom' ? [s.implementation] : [])),
  ];
}

/** One edge per YAML entry (entries with lists expand to several edges sharing their options). */
function uniqueEntries(topology: Topology): Edge[] {
  const seen = new Set<number>();
  return topology.edges.filter((e) => !seen.has(e.entryIndex) && seen.add(e.entryIndex) !== undefined);
}

function inlineInputEdges(topology: Topology): Edge[] {
  return uniqueEntries(topology).filter((e) => e.input?.kind === 'inline');
}

function inlineKey(edge: Edge): string {
  return `#inline${edge.entryIndex}`;
}

/** `TriageToBilling` for a one-to-one entry, `Handoffs3` for an entry with lists. */
function edgeLabel(topology: Topology, edge: Edge): string {
  const siblings = topology.edges.filter((e) => e.entryIndex === edge.entryIndex);
  return siblings.length === 1 ? `${pascalCase(edge.from.value)}To${pascalCase(edge.to.value)}` : `Handoffs${edge.entryIndex + 1}`;
}

function hasInputs(topology: Topology): boolean {
  return topology.edges.some((e) => e.input !== undefined);
}

function usedAsInput(topology: Topology, name: string): boolean {
  return topology.edges.some((e) => e.input?.kind === 'named' && e.input.name === name);
}
