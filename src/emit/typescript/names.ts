import { NameAllocator } from '../code.js';
import { agentIdentifier, camelCase, pascalCase, toolIdentifier, toolParamsType } from '../../model/naming.js';
import { allFilterSteps, codeRefs, edgeEntries } from '../../model/queries.js';
import type { CodeRef, Edge, SchemaUse, Topology } from '../../model/types.js';
import { cmp } from '../../diagnostics/types.js';

/** Identifiers every generated agents.ts declares itself; user-derived names never take them. */
export const FIXED_NAMES = [
  'ToolImplementation',
  'HandoffHook',
  'HandoffInputFilter',
  'HandoffEnabled',
  'DynamicInstructions',
  'TopologyContext',
  'UserContext',
  'FinalOutput',
  'promptFragments',
  'Agent',
  'handoff',
  'tool',
  'removeAllTools',
  'RECOMMENDED_PROMPT_PREFIX',
  'keepLastItems',
  'removeReasoningItems',
  'itemType',
  'isModelItem',
  'dropItems',
  'MODEL_ITEM_TYPES',
  'callIdOf',
  'TOOL_INPUT_TYPES',
  'TOOL_RUN_ITEM_TYPES',
  'OUTPUT_TYPES',
  'entryAgent',
  'agents',
  'AgentId',
  // The argument check (emit-validators.ts).
  'ParameterSchema',
  'ARGUMENT_FORMATS',
  'DATE_TIME',
  'HOST_LABEL',
  'IPV4_PART',
  'isCalendarDate',
  'isIpv6',
  'argumentProblems',
  'resolveRef',
  'hasType',
  'isObject',
  'sameJson',
  'compiledPatterns',
  'patternOf',
  'validated',
];

/** Names chosen for one topology's generated declarations, each unique and a valid identifier. */
export interface Names {
  readonly agent: ReadonlyMap<string, string>;
  readonly tool: ReadonlyMap<string, string>;
  readonly params: ReadonlyMap<string, string>;
  /** The constant holding a tool's parameters schema (sent to the model, checked on every call). */
  readonly parameters: ReadonlyMap<string, string>;
  /** Keyed by schema name, or `inlineKey(use)` for inline schemas. */
  readonly schemaType: ReadonlyMap<string, string>;
  readonly schemaConst: ReadonlyMap<string, string>;
  /** Output-type definitions (`{ type: 'json_schema', … }`), keyed like schemaType. */
  readonly outputConst: ReadonlyMap<string, string>;
  readonly filter: ReadonlyMap<string, string>;
  /** Namespace import per module path. */
  readonly module: ReadonlyMap<string, string>;
  /** Typed constant per use of a `path#export`: see `bindingKey`. */
  readonly binding: ReadonlyMap<string, string>;
}

/**
 * One typed constant per export *and* the type it is bound to: an export used as two tools with
 * different parameter types needs two bindings, or the second declaration would clash.
 */
export const bindingKey = (ref: CodeRef, type: string) => `${refKey(ref)}|${type}`;

/** Every user export with the type the generated code binds it to, in authoring order. */
export function bindings(topology: Topology, params: ReadonlyMap<string, string>, schemaType: ReadonlyMap<string, string>): [CodeRef, string, string][] {
  const out: [CodeRef, string, string][] = [];
  for (const agent of topology.agents) if (agent.instructions?.kind === 'dynamic') out.push([agent.instructions.implementation, 'DynamicInstructions', `Instructions of \`${agent.id}\``]);
  for (const tool of topology.tools) if (tool.implementation) out.push([tool.implementation, `ToolImplementation<${params.get(tool.id)}>`, `Implementation of the tool \`${tool.id}\``]);
  for (const edge of topology.edges) {
    if (edge.onHandoff) out.push([edge.onHandoff, hookType(edge, schemaType), 'onHandoff hook']);
    if (edge.enabled?.kind === 'predicate') out.push([edge.enabled.implementation, 'HandoffEnabled', 'enabled predicate']);
  }
  for (const step of allFilterSteps(topology)) if (step.kind === 'custom') out.push([step.implementation, 'HandoffInputFilter', 'Custom input filter']);
  return out;
}

/** The type an edge's `onHandoff` is bound to: `HandoffHook<Input>` (`undefined` without an input). */
export const hookType = (edge: Edge, schemaType: ReadonlyMap<string, string>) => `HandoffHook<${edge.input ? schemaType.get(schemaKey(edge.input)) : 'undefined'}>`;

export const refKey = (ref: CodeRef) => `${ref.path}#${ref.exportName}`;
export const inlineKey = (use: SchemaUse) => `#inline${use.pointer}`;
export const schemaKey = (use: SchemaUse) => (use.kind === 'named' ? use.name : inlineKey(use));

export function allocateNames(topology: Topology): Names {
  const allocate = new NameAllocator(FIXED_NAMES);
  const map = <T>(items: readonly T[], key: (t: T) => string, name: (t: T) => string) => {
    const out = new Map<string, string>();
    for (const item of items) if (!out.has(key(item))) out.set(key(item), allocate.allocate(name(item)));
    return out;
  };
  const agent = map(topology.agents, (a) => a.id, (a) => agentIdentifier(a.id));
  const tool = map(topology.tools, (t) => t.id, (t) => toolIdentifier(t.id));
  const params = map(topology.tools, (t) => t.id, (t) => toolParamsType(t.id));
  const uses = schemaUses(topology);
  const label = (use: SchemaUse) => (use.kind === 'named' ? pascalCase(use.name) : inlineLabel(topology, use));
  const schemaType = map(uses, schemaKey, label);
  const schemaConst = map(uses, schemaKey, (u) => `${camelCase(label(u))}Schema`);
  const outputConst = map(topology.agents.flatMap((a) => (a.output ? [a.output] : [])), schemaKey, (u) => `${camelCase(label(u))}Output`);
  const filter = map(topology.filters, (f) => f.name, (f) => `${camelCase(f.name)}Filter`);
  // The context type is imported as a type, and the voice session's guardrails only by voice.ts.
  const voiceOnly = new Set<CodeRef>(topology.voice?.outputGuardrails ?? []);
  const paths = [...new Set(codeRefs(topology).filter((r) => r !== topology.context && !voiceOnly.has(r)).map((r) => r.path))].sort(cmp);
  const module = map(paths, (p) => p, (p) => `${camelCase(p.split('/').pop()!.replace(/\.[mc]?[jt]s$/, '')) || 'user'}Module`);
  const binding = map(bindings(topology, params, schemaType), ([ref, type]) => bindingKey(ref, type), ([ref]) => ref.exportName);
  // Allocated last, so adding it renamed nothing that existed before.
  const parameters = map(topology.tools, (t) => t.id, (t) => `${camelCase(t.id)}Parameters`);
  return { agent, tool, params, parameters, schemaType, schemaConst, outputConst, filter, module, binding };
}

/** Every schema the code needs a type for: handoff inputs and structured outputs, named or inline. */
export function schemaUses(topology: Topology): SchemaUse[] {
  const uses = [...edgeEntries(topology).flatMap((e) => (e.input ? [e.input] : [])), ...topology.agents.flatMap((a) => (a.output ? [a.output] : []))];
  const seen = new Set<string>();
  return uses.filter((u) => !seen.has(schemaKey(u)) && seen.add(schemaKey(u)) !== undefined);
}

/** `TriageToBillingInput` for an edge's inline input, `SeatBookingOutput` for an agent's inline output. */
function inlineLabel(topology: Topology, use: SchemaUse): string {
  const agent = topology.agents.find((a) => a.output === use);
  if (agent) return `${pascalCase(agent.id)}Output`;
  const edge = topology.edges.find((e) => e.input === use)!;
  const siblings = topology.edges.filter((e) => e.entryIndex === edge.entryIndex);
  return siblings.length === 1 ? `${pascalCase(edge.from.value)}To${pascalCase(edge.to.value)}Input` : `Handoffs${edge.entryIndex + 1}Input`;
}
