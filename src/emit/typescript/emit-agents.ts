import { docComment, jsonDoc, lit, multiline, propertyKey } from '../code.js';
import { allFilterSteps, indexOf } from '../../model/queries.js';
import type { Agent, Edge, ProjectFiles, Topology } from '../../model/types.js';
import { cmp } from '../../diagnostics/types.js';
import { emitBindings, emitFilters, emitRecommendedPrefix, emitSignatures, emitTypes, stepCall } from './emit-declarations.js';
import { emitArgumentCheck, emitTools } from './emit-validators.js';
import { agentHostedTools, agentMcpServers, emitMcpLifecycle, emitMcpServers, localMcpServers, mcpSdkImports } from './emit-mcp.js';
import { arrow, array, call, importStatement, object, render, str, unionType, type Doc } from './layout.js';
import { allocateNames, bindingKey, schemaKey, schemaUses, type Names } from './names.js';

export interface EmitContext {
  readonly topology: Topology;
  readonly files: ProjectFiles;
  /** The header line naming the source. */
  readonly header: string;
  /** Import specifier (relative to the output folder, `.js` extension) for a module reference path. */
  readonly importPath: (referencePath: string) => string;
  /** The YAML file's folder relative to the output folder, with `/` (MCP server working directories resolve against it). */
  readonly topologyDir: string;
}

/**
 * agents.ts: types, typed bindings of user code, tools, filters, agents, then the handoff wiring. It
 * imports only `@openai/agents` (and the user's modules): under strict layouts (pnpm, npm `linked`)
 * nothing else the SDK depends on can be resolved from the user's project.
 */
export function emitAgents(ctx: EmitContext): string {
  const { topology } = ctx;
  const names = allocateNames(topology);
  const steps = allFilterSteps(topology);
  const outputs = topology.agents.flatMap((a) => (a.output ? [names.schemaType.get(schemaKey(a.output))!] : []));
  const mcp = mcpSdkImports(topology);
  const sdkValues = ['Agent', ...(topology.edges.some((e) => e.kind === 'handoff') ? ['handoff'] : []), ...(topology.tools.length ? ['tool'] : []), ...mcp.values];
  const sdkTypes = [
    ...mcp.types,
    'RunContext',
    ...(steps.length ? ['HandoffInputData'] : []),
    ...(schemaUses(topology).length || topology.tools.length ? ['ToolInputParameters'] : []),
    ...(outputs.length ? ['JsonSchemaDefinition'] : []),
  ];
  return [
    ctx.header,
    '',
    importStatement([...sdkValues, ...sdkTypes.map((t) => `type ${t}`)], '"@openai/agents"'),
    ...(topology.context ? [importStatement([`${topology.context.exportName} as UserContext`], lit(ctx.importPath(topology.context.path)), 'import type')] : []),
    ...[...names.module.entries()].sort(([a], [b]) => cmp(a, b)).map(([path, id]) => `import * as ${id} from ${lit(ctx.importPath(path))};`),
    ...(localMcpServers(topology).some((s) => s.transport === 'stdio') ? ['import { fileURLToPath } from "node:url";'] : []),
    '',
    ...emitSignatures(topology, topology.context ? 'UserContext' : undefined),
    ...(topology.agents.some((a) => a.instructionsPrefix === 'recommended') ? emitRecommendedPrefix() : []),
    ...emitTypes(topology, names),
    ...emitBindings(topology, names),
    ...emitTools(topology, names),
    ...emitFilters(topology, names),
    ...emitMcpServers(topology, ctx.topologyDir),
    ...topology.agents.flatMap((agent) => emitAgent(ctx, names, agent)),
    ...emitWiring(topology, names),
    ...emitMcpLifecycle(topology, (id) => names.agent.get(id)!),
    '',
    docComment(`The agent every conversation starts with (\`${topology.entry.value}\`).`),
    `export const entryAgent = ${names.agent.get(topology.entry.value)};`,
    '',
    docComment('Every agent, keyed by its id in the YAML.'),
    render(object(topology.agents.map((a) => [propertyKey(a.id), names.agent.get(a.id)!] as const), true), 0, 'export const agents = ', ' as const;'),
    '',
    'export type AgentId = keyof typeof agents;',
    ...(outputs.length
      ? ['', docComment('What a run can end with: text, or the structured output of an agent that declares `output`.'), unionType(['string', ...new Set(outputs)], 0, 'export type FinalOutput = ', ';')]
      : []),
    ...emitArgumentCheck(topology),
  ].join('\n') + '\n';
}

function emitAgent(ctx: EmitContext, names: Names, agent: Agent): string[] {
  const output = agent.output ? names.outputConst.get(schemaKey(agent.output)) : undefined;
  const instructions = instructionsDoc(ctx, names, agent);
  const mcpServersDoc = agentMcpServers(ctx.topology, agent);
  const refs = (list: readonly { path: string; exportName: string }[]) => array(list.map((r) => `${names.module.get(r.path)}.${r.exportName}`));
  const config: [string, Doc][] = [
    ['name', str(lit(agent.name))],
    ...(instructions ? [['instructions', instructions] as [string, Doc]] : []),
    ...(agent.model ? [['model', str(lit(agent.model.value))] as [string, Doc]] : []),
    ...(Object.keys(agent.modelSettings).length ? [['modelSettings', jsonDoc(agent.modelSettings)] as [string, Doc]] : []),
    ...(agent.handoffDescription ? [['handoffDescription', multiline(agent.handoffDescription.value)] as [string, Doc]] : []),
    ['tools', array([...agent.tools.map((t) => names.tool.get(t.value)!), ...agentHostedTools(ctx.topology, agent)])],
    ...(mcpServersDoc ? [['mcpServers', mcpServersDoc] as [string, Doc]] : []),
    ...(agent.inputGuardrails.length ? [['inputGuardrails', refs(agent.inputGuardrails)] as [string, Doc]] : []),
    ...(agent.outputGuardrails.length ? [['outputGuardrails', refs(agent.outputGuardrails)] as [string, Doc]] : []),
    ...(output ? [['outputType', output] as [string, Doc]] : []),
  ];
  const generic = `TopologyContext${output ? `, typeof ${output}` : ''}`;
  return [docComment(agent.description ?? `The agent \`${agent.id}\`.`), render(object(config, true), 0, `export const ${names.agent.get(agent.id)} = new Agent<${generic}>(`, ');'), ''];
}

/** The prefix, the fragments and the agent's own text, in that order, separated by blank lines. */
export function instructionsDoc(ctx: EmitContext, names: Names, agent: Agent): Doc | undefined {
  const parts: Doc[] = [
    ...(agent.instructionsPrefix === 'recommended' ? ['RECOMMENDED_PROMPT_PREFIX'] : []),
    ...agent.fragments.map((f) => `promptFragments[${lit(f.value)}]`),
  ];
  const own = agent.instructions;
  if (own?.kind === 'dynamic') {
    const build = names.binding.get(bindingKey(own.implementation, 'DynamicInstructions'))!;
    return parts.length ? arrow('async (runContext, agent)', array([...parts, `await ${build}(runContext, agent)`], '.join("\\n\\n")')) : build;
  }
  const text = own?.kind === 'inline' ? own.text : own?.kind === 'file' ? ctx.files.byReference.get(own.path)?.text : undefined;
  if (own?.kind === 'file' && text === undefined) throw new Error(`internal: instructions file ${own.path} was not read`);
  if (text !== undefined) parts.push(multiline(text));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : array(parts, '.join("\\n\\n")');
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
      const args = handoffs.map((edge) => {
        const target = agents.get(edge.to.value)!;
        const options = handoffOptions(topology, names, edge, agent, target);
        return call(handoffCallee(names, edge, agent, target), [names.agent.get(edge.to.value)!, ...(options.length ? [object(options, true)] : [])]);
      });
      out.push(render(call(`${names.agent.get(agent.id)}.handoffs.push`, args), 0, '', ';'));
    }
    if (delegates.length) {
      const args = delegates.map((edge) => call(`${names.agent.get(edge.to.value)}.asTool`, [object(delegateOptions(names, edge, agents.get(edge.to.value)!), true)]));
      out.push(`// \`${agent.id}\` delegates: the target runs as a tool and its answer comes back to \`${agent.id}\`.`, render(call(`${names.agent.get(agent.id)}.tools.push`, args), 0, '', ';'));
    }
  }
  return out;
}

/**
 * `handoff`, with explicit type arguments when caller and target end with different output types:
 * the SDK types `agent.handoffs` as handoffs with the caller's own output type, so a handoff to an
 * agent with `output:` (or from one) fails tsc with TS2345 unless its output type is widened.
 */
function handoffCallee(names: Names, edge: Edge, from: Agent, target: Agent): string {
  const outputOf = (agent: Agent) => (agent.output ? schemaKey(agent.output) : undefined);
  if (outputOf(from) === outputOf(target)) return 'handoff';
  return `handoff<TopologyContext, any${edge.input ? `, typeof ${names.schemaConst.get(schemaKey(edge.input))}` : ''}>`;
}

export function handoffOptions(topology: Topology, names: Names, edge: Edge, from: Agent, target: Agent): [string, Doc][] {
  const options: [string, Doc][] = [];
  if (edge.toolName) options.push(['toolNameOverride', str(lit(edge.toolName.value))]);
  const description = edge.description?.value ?? (target.handoffDescription ? undefined : handBackDescription(topology, edge, from, target));
  if (description) options.push(['toolDescriptionOverride', str(lit(`Handoff to the ${target.name} agent to handle the request. ${description}`))]);
  const hookType = `HandoffHook<${edge.input ? names.schemaType.get(schemaKey(edge.input)) : 'undefined'}>`;
  const hook = edge.onHandoff ? names.binding.get(bindingKey(edge.onHandoff, hookType)) : undefined;
  if (edge.input) {
    const key = schemaKey(edge.input);
    options.push(['inputType', names.schemaConst.get(key)!]);
    if (hook) options.push(['onHandoff', arrow('(context, input)', `${hook}(context, input as ${names.schemaType.get(key)})`)]);
    // The SDK throws when inputType comes without onHandoff.
    else options.push(['onHandoff', arrow('()', '{}')]);
  } else if (hook) {
    options.push(['onHandoff', arrow('(context)', `${hook}(context, undefined)`)]);
  }
  if (edge.filter?.kind === 'named') options.push(['inputFilter', names.filter.get(edge.filter.name)!]);
  if (edge.filter?.kind === 'inline') options.push(['inputFilter', arrow('(data)', edge.filter.steps.reduce((expr, step) => stepCall(step, names, expr), 'data'))]);
  return [...options, ...enabledOption(names, edge)];
}

/**
 * What a hand-back tool tells the model when the hub has no `handoffDescription` (the SDK would
 * describe it only as "Handoff to the … agent to handle the request."): when to use it, from the
 * topology. Undefined for edges that are not hand-backs to the entry.
 */
export function handBackDescription(topology: Topology, edge: Edge, from: Agent, target: Agent): string | undefined {
  if (!edge.handback && edge.to.value !== topology.entry.value) return undefined;
  const routes = target.id === topology.entry.value ? ' (it routes each request to the right agent)' : '';
  const scope = from.handoffDescription ? ` (${from.handoffDescription.value.trim().replace(/\.$/, '')})` : '';
  return `Hand the conversation back to ${target.name}${routes} when the request is outside your scope as ${from.name}${scope}, or when you have finished with it.`;
}

export function delegateOptions(names: Names, edge: Edge, target: Agent): [string, Doc][] {
  const description = edge.description?.value ?? target.handoffDescription?.value;
  return [
    ...(edge.toolName ? [['toolName', str(lit(edge.toolName.value))] as [string, Doc]] : []),
    ...(description ? [['toolDescription', multiline(description)] as [string, Doc]] : []),
    ...enabledOption(names, edge),
  ];
}

function enabledOption(names: Names, edge: Edge): [string, Doc][] {
  if (!edge.enabled) return [];
  return [['isEnabled', edge.enabled.kind === 'static' ? String(edge.enabled.value) : names.binding.get(bindingKey(edge.enabled.implementation, 'HandoffEnabled'))!]];
}
