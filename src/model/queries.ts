import type { Agent, CodeRef, Edge, FilterStep, McpServerUse, NamedFilter, NamedSchema, Tool, Topology } from './types.js';

/** The SDK's own rule (agents-core `toFunctionToolName`): whitespace and every non-alphanumeric → `_`, case kept. */
export function sdkFunctionName(name: string): string {
  return name.replace(/\s/g, '_').replace(/[^a-zA-Z0-9]/g, '_');
}

/**
 * The tool name the model sees for an edge: the override as written, else the SDK's default —
 * `transfer_to_<name>` for a handoff, `<name>` for a delegate (agent-as-tool).
 */
export function handoffToolName(edge: Edge, target: Agent | undefined): string {
  const name = sdkFunctionName(target?.name ?? edge.to.value);
  return edge.toolName?.value ?? (edge.kind === 'delegate' ? name : `transfer_to_${name}`);
}

/** Lookup tables over one topology, built once per validation. */
export interface Index {
  readonly agents: ReadonlyMap<string, Agent>;
  readonly tools: ReadonlyMap<string, Tool>;
  readonly schemas: ReadonlyMap<string, NamedSchema>;
  readonly filters: ReadonlyMap<string, NamedFilter>;
  /** Outgoing edges per agent id, in authoring order. */
  readonly outgoing: ReadonlyMap<string, readonly Edge[]>;
}

const indexes = new WeakMap<Topology, Index>();

export function indexOf(topology: Topology): Index {
  let index = indexes.get(topology);
  if (!index) {
    const outgoing = new Map<string, Edge[]>();
    for (const edge of topology.edges) {
      const list = outgoing.get(edge.from.value);
      if (list) list.push(edge);
      else outgoing.set(edge.from.value, [edge]);
    }
    index = {
      agents: new Map(topology.agents.map((a) => [a.id, a])),
      tools: new Map(topology.tools.map((t) => [t.id, t])),
      schemas: new Map(topology.schemas.map((s) => [s.name, s])),
      filters: new Map(topology.filters.map((f) => [f.name, f])),
      outgoing,
    };
    indexes.set(topology, index);
  }
  return index;
}

/** The steps an edge applies, with named pipelines resolved (empty when unresolved or absent). */
export function edgeFilterSteps(topology: Topology, edge: Edge): readonly FilterStep[] {
  if (!edge.filter) return [];
  if (edge.filter.kind === 'inline') return edge.filter.steps;
  return indexOf(topology).filters.get(edge.filter.name)?.steps ?? [];
}

/** Models that produce reasoning items (OpenAI o-series and gpt-5 family). */
export function isReasoningModel(model: string | undefined): boolean {
  return model !== undefined && /^(o\d|gpt-5)/.test(model);
}

/** Ids of agents the entry can reach by following edges. */
export function reachableFrom(topology: Topology, start: string): Set<string> {
  const { outgoing } = indexOf(topology);
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const edge of outgoing.get(queue.shift()!) ?? []) {
      if (!seen.has(edge.to.value)) {
        seen.add(edge.to.value);
        queue.push(edge.to.value);
      }
    }
  }
  return seen;
}

/** One edge per YAML `handoffs` entry (an entry with lists expands to several edges sharing its options). */
export function edgeEntries(topology: Topology): Edge[] {
  const seen = new Set<number>();
  return topology.edges.filter((e) => !seen.has(e.entryIndex) && seen.add(e.entryIndex) !== undefined);
}

/** Every filter step, from named pipelines and inline ones, each written step once. */
export function allFilterSteps(topology: Topology): FilterStep[] {
  return [...topology.filters.flatMap((f) => f.steps), ...edgeEntries(topology).flatMap((e) => (e.filter?.kind === 'inline' ? e.filter.steps : []))];
}

/** A step as generated comments and `diff` name it: `removeAllTools`, `keepLast 12`, `path#export`. */
export function describeFilterStep(step: FilterStep): string {
  return step.kind === 'keepLast' ? `keepLast ${step.count}` : step.kind === 'custom' ? `${step.implementation.path}#${step.implementation.exportName}` : step.kind;
}

/**
 * Every code reference in the topology, in authoring order: the context type, dynamic instructions,
 * guardrails, tool implementations, hooks, enabled predicates, custom filters and the voice session's
 * output guardrails.
 */
export function codeRefs(topology: Topology): CodeRef[] {
  const steps = allFilterSteps(topology);
  return [
    ...(topology.context ? [topology.context] : []),
    ...topology.agents.flatMap((a) => [...(a.instructions?.kind === 'dynamic' ? [a.instructions.implementation] : []), ...a.inputGuardrails, ...a.outputGuardrails]),
    ...topology.tools.flatMap((t) => (t.implementation ? [t.implementation] : [])),
    ...topology.edges.flatMap((e) => [...(e.onHandoff ? [e.onHandoff] : []), ...(e.enabled?.kind === 'predicate' ? [e.enabled.implementation] : [])]),
    ...steps.flatMap((s) => (s.kind === 'custom' ? [s.implementation] : [])),
    ...(topology.voice?.outputGuardrails ?? []),
  ];
}

/** A server's or an agent's filter on MCP tools as words for people: `only a, b` or `not c`; undefined without one. */
export function mcpToolFilterText(owner: Pick<McpServerUse, 'allowedTools' | 'blockedTools'>): string | undefined {
  const names = (list: NonNullable<McpServerUse['allowedTools']>) => list.value.map((t) => t.value).join(', ');
  if (owner.allowedTools) return `only ${names(owner.allowedTools)}`;
  if (owner.blockedTools) return `not ${names(owner.blockedTools)}`;
  return undefined;
}
