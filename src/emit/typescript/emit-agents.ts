import { docComment, jsonLiteral, lit, multiline, propertyKey } from '../code.js';
import { indexOf } from '../../model/queries.js';
import type { Agent, Edge, ProjectFiles, Topology } from '../../model/types.js';
import { cmp } from '../../diagnostics/types.js';
import { emitBindings, emitFilters, emitSignatures, emitTools, emitTypes, stepCall } from './emit-declarations.js';
import { allocateNames, allSteps, refKey, schemaKey, schemaUses, type Names } from './names.js';

export interface EmitContext {
  readonly topology: Topology;
  readonly files: ProjectFiles;
  /** The header line naming the source. */
  readonly header: string;
  /** Import specifier (relative to the output folder, `.js` extension) for a module reference path. */
  readonly importPath: (referencePath: string) => string;
}

/** agents.ts: types, typed bindings of user code, tools, filters, agents, then the handoff wiring. */
export function emitAgents(ctx: EmitContext): string {
  const { topology } = ctx;
  const names = allocateNames(topology);
  const steps = allSteps(topology);
  const outputs = topology.agents.flatMap((a) => (a.output ? [names.schemaType.get(schemaKey(a.output))!] : []));
  const sdkValues = ['Agent', ...(topology.edges.some((e) => e.kind === 'handoff') ? ['handoff'] : []), ...(topology.tools.length ? ['tool'] : [])];
  const sdkTypes = [
    'RunContext',
    ...(steps.length ? ['HandoffInputData'] : []),
    ...(schemaUses(topology).length ? ['ToolInputParameters'] : []),
    ...(outputs.length ? ['JsonSchemaDefinition'] : []),
  ];
  const extensions = [
    ...(steps.some((s) => s.kind === 'removeAllTools') ? ['removeAllTools'] : []),
    ...(topology.agents.some((a) => a.instructionsPrefix === 'recommended') ? ['RECOMMENDED_PROMPT_PREFIX'] : []),
  ];
  const inputTypeOf = (key: string | undefined) => (key ? names.schemaType.get(key)! : 'undefined');
  return [
    ctx.header,
    '',
    `import { ${sdkValues.join(', ')}, ${sdkTypes.map((t) => `type ${t}`).join(', ')} } from "@openai/agents";`,
    ...(extensions.length ? [`import { ${extensions.join(', ')} } from "@openai/agents-core/extensions";`] : []),
    ...(topology.context ? [`import type { ${topology.context.exportName} as UserContext } from ${lit(ctx.importPath(topology.context.path))};`] : []),
    ...[...names.module.entries()].sort(([a], [b]) => cmp(a, b)).map(([path, id]) => `import * as ${id} from ${lit(ctx.importPath(path))};`),
    '',
    ...emitSignatures(topology, topology.context ? 'UserContext' : undefined),
    ...emitTypes(topology, names),
    ...emitBindings(topology, names, inputTypeOf),
    ...emitTools(topology, names),
    ...emitFilters(topology, names),
    ...topology.agents.flatMap((agent) => emitAgent(ctx, names, agent)),
    ...emitWiring(topology, names),
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
    ...(outputs.length ? ['', docComment('What a run can end with: text, or the structured output of an agent that declares `output`.'), `export type FinalOutput = string | ${[...new Set(outputs)].join(' | ')};`] : []),
  ].join('\n') + '\n';
}

function emitAgent(ctx: EmitContext, names: Names, agent: Agent): string[] {
  const output = agent.output ? names.outputConst.get(schemaKey(agent.output)) : undefined;
  const instructions = instructionsExpression(ctx, names, agent);
  const list = (refs: readonly { path: string; exportName: string }[]) => refs.map((r) => `${names.module.get(r.path)}.${r.exportName}`).join(', ');
  return [
    docComment(agent.description ?? `The agent \`${agent.id}\`.`),
    `export const ${names.agent.get(agent.id)} = new Agent<TopologyContext${output ? `, typeof ${output}` : ''}>({`,
    `  name: ${lit(agent.name)},`,
    ...(instructions ? [`  instructions: ${instructions},`] : []),
    ...(agent.model ? [`  model: ${lit(agent.model.value)},`] : []),
    ...(Object.keys(agent.modelSettings).length ? [`  modelSettings: ${jsonLiteral(agent.modelSettings)},`] : []),
    ...(agent.handoffDescription ? [`  handoffDescription: ${multiline(agent.handoffDescription.value)},`] : []),
    `  tools: [${agent.tools.map((t) => names.tool.get(t.value)).join(', ')}],`,
    ...(agent.inputGuardrails.length ? [`  inputGuardrails: [${list(agent.inputGuardrails)}],`] : []),
    ...(agent.outputGuardrails.length ? [`  outputGuardrails: [${list(agent.outputGuardrails)}],`] : []),
    ...(output ? [`  outputType: ${output},`] : []),
    '});',
    '',
  ];
}

/** The prefix, the fragments and the agent's own text, in that order, separated by blank lines. */
function instructionsExpression(ctx: EmitContext, names: Names, agent: Agent): string | undefined {
  const parts = [
    ...(agent.instructionsPrefix === 'recommended' ? ['RECOMMENDED_PROMPT_PREFIX'] : []),
    ...agent.fragments.map((f) => `promptFragments[${lit(f.value)}]`),
  ];
  const own = agent.instructions;
  if (own?.kind === 'dynamic') {
    const build = names.binding.get(refKey(own.implementation))!;
    return parts.length ? `async (runContext, agent) => [${parts.join(', ')}, await ${build}(runContext, agent)].join("\\n\\n")` : build;
  }
  const text = own?.kind === 'inline' ? own.text : own?.kind === 'file' ? ctx.files.byReference.get(own.path)?.text : undefined;
  if (own?.kind === 'file' && text === undefined) throw new Error(`internal: instructions file ${own.path} was not read`);
  if (text !== undefined) parts.push(multiline(text));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `[${parts.join(', ')}].join("\\n\\n")`;
}

/** Handoffs and delegations are wired after every agent exists, so cycles (entry → specialist → entry) resolve. */
function emitWiring(topology: Topology, names: Names): string[] {
  const { agents, outgoing } = indexOf(topology);
  const out = ['// Handoffs are wired after every agent exists, so hand-back cycles (entry → specialist → entry) resolve.'];
  for (const agent of topology.agents) {
    const edges = outgoing.get(agent.id) ?? [];
    const handoffs = edges.filter((e) => e.kind === 'handoff');
    const delegates = edges.filter((e) => e.kind === 'delegate');
    if (handoffs.length) {
      out.push(`${names.agent.get(agent.id)}.handoffs.push(`);
      for (const edge of handoffs) out.push(call(`handoff(${names.agent.get(edge.to.value)}`, handoffOptions(names, edge, agents.get(edge.to.value)!)));
      out.push(');');
    }
    if (delegates.length) {
      out.push(`// \`${agent.id}\` delegates: the target runs as a tool and its answer comes back to \`${agent.id}\`.`, `${names.agent.get(agent.id)}.tools.push(`);
      for (const edge of delegates) out.push(call(`${names.agent.get(edge.to.value)}.asTool(`, delegateOptions(names, edge, agents.get(edge.to.value)!), true));
      out.push(');');
    }
  }
  return out;
}

function call(head: string, options: string[], optionsRequired = false): string {
  if (!options.length) return optionsRequired ? `  ${head}{}),` : `  ${head}),`;
  const opener = head.endsWith('(') ? head : `${head}, `;
  return `  ${opener}{\n${options.map((o) => `    ${o},`).join('\n')}\n  }),`;
}

function handoffOptions(names: Names, edge: Edge, target: Agent): string[] {
  const options: string[] = [];
  if (edge.toolName) options.push(`toolNameOverride: ${lit(edge.toolName.value)}`);
  if (edge.description) options.push(`toolDescriptionOverride: ${lit(`Handoff to the ${target.name} agent to handle the request. ${edge.description.value}`)}`);
  const hook = edge.onHandoff ? names.binding.get(refKey(edge.onHandoff)) : undefined;
  if (edge.input) {
    const key = schemaKey(edge.input);
    options.push(`inputType: ${names.schemaConst.get(key)}`);
    options.push(
      hook
        ? `onHandoff: (context, input) => ${hook}(context, input as ${names.schemaType.get(key)})`
        : '// The SDK requires onHandoff alongside inputType; this edge declares no hook.\n    onHandoff: () => {}',
    );
  } else if (hook) {
    options.push(`onHandoff: (context) => ${hook}(context, undefined)`);
  }
  if (edge.filter?.kind === 'named') options.push(`inputFilter: ${names.filter.get(edge.filter.name)}`);
  if (edge.filter?.kind === 'inline') options.push(`inputFilter: (data) => ${edge.filter.steps.reduce((expr, step) => stepCall(step, names, expr), 'data')}`);
  options.push(...enabledOption(names, edge));
  return options;
}

function delegateOptions(names: Names, edge: Edge, target: Agent): string[] {
  const description = edge.description?.value ?? target.handoffDescription?.value;
  return [
    ...(edge.toolName ? [`toolName: ${lit(edge.toolName.value)}`] : []),
    ...(description ? [`toolDescription: ${multiline(description)}`] : []),
    ...enabledOption(names, edge),
  ];
}

function enabledOption(names: Names, edge: Edge): string[] {
  if (!edge.enabled) return [];
  return [`isEnabled: ${edge.enabled.kind === 'static' ? String(edge.enabled.value) : names.binding.get(refKey(edge.enabled.implementation))}`];
}
