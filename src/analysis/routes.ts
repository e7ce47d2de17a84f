/**
 * Static route analysis over the resolved topology: every route from the entry, what each costs in
 * SDK turns, hand-back cycles, ping-pong pairs and how many pivots `maxTurns` leaves a caller.
 *
 * The turn model is the SDK's (agents-core 0.20, `runner/turnPreparation.js`): every model call of a
 * run is one turn (`_currentTurn++` before each call) and the run throws `MaxTurnsExceededError` when
 * a call would be number `maxTurns + 1`. A handoff is a function call in a model response, so it costs
 * the one turn of the agent that makes it; the target's reply is the next turn. A tool round trip costs
 * one more turn of the same agent. Every `run()` (one caller message) starts counting from zero, so
 * "no user turn between" means "inside one run".
 */
import { pascalCase } from '../model/naming.js';
import { indexOf } from '../model/queries.js';
import type { Edge, Topology } from '../model/types.js';

/** The SDK's default `maxTurns` (agents-core `DEFAULT_MAX_TURNS`). */
export const SDK_DEFAULT_MAX_TURNS = 10;
/** Default depth for route listings and the `chain-depth` rule. */
export const DEFAULT_ROUTE_DEPTH = 3;
/** Routes listed at most: a dense mesh has exponentially many. */
export const MAX_ROUTES = 10_000;

export type StepKind = 'handoff' | 'handback' | 'delegate';

export interface RouteStep {
  readonly from: string;
  readonly to: string;
  readonly kind: StepKind;
  /** Offered only when a predicate says so (`enabled: path#export`). */
  readonly conditional: boolean;
  /** Pointer of the YAML edge. */
  readonly pointer: string;
}

export interface Route {
  /** Agent ids along the route, the entry first. */
  readonly agents: readonly string[];
  readonly steps: readonly RouteStep[];
  /** Handoffs (transfers of the conversation); delegations are counted as tool calls instead. */
  readonly handoffs: number;
  /** Turns the route costs in one run when no agent calls a tool: one per handoff, one for the reply. */
  readonly turns: number;
  /** The route ends where it started, or at an agent it already passed: a cycle. */
  readonly cycle: boolean;
  readonly conditional: boolean;
}

export interface PingPongPair {
  readonly a: string;
  readonly b: string;
  /** One of the two edges is a declared hand-back to the entry (the star's designed return). */
  readonly handback: boolean;
  readonly edges: readonly [RouteStep, RouteStep];
}

export interface PivotBudget {
  readonly maxTurns: number;
  /** Tool round trips assumed per specialist visit. */
  readonly toolCallsPerVisit: number;
  /** Turns of a conversation routed once, without pivots. */
  readonly baseTurns: number;
  /** Turns each pivot adds: the hand-back, the new routing decision and the new tool calls. */
  readonly turnsPerPivot: number;
  /** Pivots that fit in maxTurns; 0 when not even one routing fits (-1: no hand-back exists). */
  readonly maxPivots: number;
}

export interface RouteAnalysis {
  readonly topology: string;
  readonly entry: string;
  readonly depth: number;
  readonly maxTurns: number;
  /** Routes from the entry up to `depth` handoffs, every prefix included, in authoring order; then the entry's delegations. */
  readonly routes: readonly Route[];
  /** More than MAX_ROUTES routes exist (a dense mesh): the list stops there. */
  readonly truncated: boolean;
  /** The routes that close a cycle containing a hand-back edge. */
  readonly handbackCycles: readonly Route[];
  readonly pingPong: readonly PingPongPair[];
  /** The longest chain of handoffs without repeating an agent, and its turns. */
  readonly longestChain: Route | undefined;
  /** A cycle is reachable from the entry: chains without a user turn are bounded only by maxTurns. */
  readonly unboundedChains: boolean;
  /** Pivot budgets with 0 and 1 tool calls per specialist visit. */
  readonly pivots: readonly PivotBudget[];
  /** Sentences a reader can act on. */
  readonly advice: readonly string[];
}

export interface RouteOptions {
  readonly depth?: number;
  readonly maxTurns?: number;
  /** Pivots used in the advice sentence ("a caller who pivots twice needs N turns"). */
  readonly examplePivots?: number;
}

/** Edges that can carry a conversation at run time: `enabled: false` edges are never offered. */
export function liveEdges(topology: Topology): Edge[] {
  const { agents } = indexOf(topology);
  return topology.edges.filter((e) => !(e.enabled?.kind === 'static' && !e.enabled.value) && agents.has(e.from.value) && agents.has(e.to.value));
}

/** Edges per source agent, in authoring order. */
export function outgoingOf(edges: readonly Edge[]): Map<string, Edge[]> {
  const outgoing = new Map<string, Edge[]>();
  for (const edge of edges) {
    const list = outgoing.get(edge.from.value);
    if (list) list.push(edge);
    else outgoing.set(edge.from.value, [edge]);
  }
  return outgoing;
}

export function stepOf(edge: Edge): RouteStep {
  return {
    from: edge.from.value,
    to: edge.to.value,
    kind: edge.kind === 'delegate' ? 'delegate' : edge.handback ? 'handback' : 'handoff',
    conditional: edge.enabled?.kind === 'predicate',
    pointer: edge.pointer,
  };
}

/** Turns of a conversation with `handoffs` handoffs and `toolCalls` tool round trips in one run. */
export function turnsFor(handoffs: number, toolCalls = 0): number {
  return handoffs + toolCalls + 1;
}

/**
 * Pivots a caller can make in one run: routed once (1 turn), each visit's tool calls, the reply (1),
 * and per pivot a hand-back (1) plus a new routing decision (1) plus the new visit's tool calls.
 */
export function pivotBudget(maxTurns: number, toolCallsPerVisit: number, hasHandback: boolean): PivotBudget {
  const baseTurns = 2 + toolCallsPerVisit;
  const turnsPerPivot = 2 + toolCallsPerVisit;
  const maxPivots = !hasHandback ? -1 : maxTurns < baseTurns ? 0 : Math.floor((maxTurns - baseTurns) / turnsPerPivot);
  return { maxTurns, toolCallsPerVisit, baseTurns, turnsPerPivot, maxPivots };
}

export function analyseRoutes(topology: Topology, options: RouteOptions = {}): RouteAnalysis {
  const depth = options.depth ?? DEFAULT_ROUTE_DEPTH;
  const maxTurns = options.maxTurns ?? SDK_DEFAULT_MAX_TURNS;
  const entry = topology.entry.value;
  const edges = liveEdges(topology);
  const handoffEdges = edges.filter((e) => e.kind === 'handoff');
  const outgoing = outgoingOf(handoffEdges);

  // Routes: depth-first in authoring order; a path may end by returning to an agent it passed (a
  // cycle), and is not followed further from there.
  const routes: Route[] = [];
  const walk = (agents: string[], steps: RouteStep[]) => {
    if (steps.length >= depth || routes.length >= MAX_ROUTES) return;
    const here = agents[agents.length - 1]!;
    for (const edge of outgoing.get(here) ?? []) {
      const step = stepOf(edge);
      const cycle = agents.includes(step.to);
      const route: Route = {
        agents: [...agents, step.to],
        steps: [...steps, step],
        handoffs: steps.length + 1,
        turns: turnsFor(steps.length + 1),
        cycle,
        conditional: steps.some((s) => s.conditional) || step.conditional,
      };
      if (routes.length >= MAX_ROUTES) return;
      routes.push(route);
      if (!cycle) walk(route.agents as string[], route.steps as RouteStep[]);
    }
  };
  if (indexOf(topology).agents.has(entry)) walk([entry], []);
  // Delegations (agent-as-tool) from the entry: one tool call of the entry; the target runs with its own count.
  for (const edge of edges) {
    if (edge.kind !== 'delegate' || edge.from.value !== entry || routes.length >= MAX_ROUTES) continue;
    routes.push({ agents: [entry, edge.to.value], steps: [stepOf(edge)], handoffs: 0, turns: turnsFor(0, 1), cycle: false, conditional: edge.enabled?.kind === 'predicate' });
  }

  const handbackCycles = routes.filter((r) => r.cycle && r.steps.some((s) => s.kind === 'handback'));
  const acyclic = routes.filter((r) => !r.cycle && r.handoffs > 0);
  const longestChain = acyclic.reduce<Route | undefined>((best, r) => (!best || r.handoffs > best.handoffs ? r : best), undefined);
  const unboundedChains = hasReachableCycle(entry, outgoing);

  const pingPong: PingPongPair[] = [];
  const byPair = new Map<string, Edge[]>();
  for (const edge of handoffEdges) {
    const key = `${edge.from.value}\u0000${edge.to.value}`;
    if (!byPair.has(key)) byPair.set(key, [edge]);
  }
  const paired = new Set<string>();
  for (const forward of handoffEdges) {
    const [a, b] = [forward.from.value, forward.to.value];
    if (a === b || paired.has([a, b].sort().join('\u0000'))) continue;
    const back = byPair.get(`${b}\u0000${a}`)?.[0];
    if (!back) continue;
    paired.add([a, b].sort().join('\u0000'));
    pingPong.push({ a, b, handback: forward.handback || back.handback, edges: [stepOf(forward), stepOf(back)] });
  }

  const hasHandback = handoffEdges.some((e) => e.handback && e.to.value === entry);
  const pivots = [pivotBudget(maxTurns, 0, hasHandback), pivotBudget(maxTurns, 1, hasHandback)];
  const advice = routeAdvice({ runHelper: `run${pascalCase(topology.name)}`, maxTurns, pivots, examplePivots: options.examplePivots ?? 2, longestChain, unboundedChains, pingPong, hasHandback });
  return { topology: topology.name, entry, depth, maxTurns, routes, truncated: routes.length >= MAX_ROUTES, handbackCycles, pingPong, longestChain, unboundedChains, pivots, advice };
}

function hasReachableCycle(entry: string, outgoing: ReadonlyMap<string, readonly Edge[]>): boolean {
  const state = new Map<string, 'open' | 'done'>();
  // Iterative DFS: a deep chain must not overflow the stack.
  const stack: { id: string; next: number }[] = [{ id: entry, next: 0 }];
  state.set(entry, 'open');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const out = outgoing.get(frame.id) ?? [];
    if (frame.next >= out.length) {
      state.set(frame.id, 'done');
      stack.pop();
      continue;
    }
    const to = out[frame.next++]!.to.value;
    const seen = state.get(to);
    if (seen === 'open') return true;
    if (!seen) {
      state.set(to, 'open');
      stack.push({ id: to, next: 0 });
    }
  }
  return false;
}

const COUNT_WORDS = ['no times', 'once', 'twice'];
const times = (n: number) => COUNT_WORDS[n] ?? `${n} times`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function routeAdvice(input: {
  runHelper: string;
  maxTurns: number;
  pivots: readonly PivotBudget[];
  examplePivots: number;
  longestChain: Route | undefined;
  unboundedChains: boolean;
  pingPong: readonly PingPongPair[];
  hasHandback: boolean;
}): string[] {
  const advice: string[] = [];
  const [bare, withTool] = input.pivots as [PivotBudget, PivotBudget];
  if (input.hasHandback) {
    const n = input.examplePivots;
    advice.push(
      `A caller who pivots ${times(n)} needs ${bare.baseTurns + n * bare.turnsPerPivot} turns (${withTool.baseTurns + n * withTool.turnsPerPivot} with one tool call per specialist); maxTurns ${input.maxTurns} allows ${plural(bare.maxPivots, 'pivot')} (${withTool.maxPivots} with one tool call each).`,
    );
    if (withTool.maxPivots < n) advice.push(`Raise maxTurns to at least ${withTool.baseTurns + n * withTool.turnsPerPivot} (${input.runHelper}(input, { maxTurns })) so ${times(n)}-pivoting callers with a tool call per visit do not hit MaxTurnsExceededError.`);
  } else {
    advice.push('No agent hands back to the entry: a caller cannot pivot to another specialist within a conversation turn.');
  }
  if (input.longestChain) {
    const chain = input.longestChain;
    const fits = chain.turns <= input.maxTurns;
    advice.push(`The longest chain without repeating an agent is ${chain.agents.join(' → ')}: ${plural(chain.handoffs, 'handoff')}, ${chain.turns} turns without tools${fits ? '' : `, more than maxTurns ${input.maxTurns}`}.`);
  }
  if (input.unboundedChains) advice.push('Cycles are reachable from the entry, so only maxTurns bounds a chain without a user turn; the SDK reports a loop as MaxTurnsExceededError.');
  const risky = input.pingPong.filter((p) => !p.handback);
  if (risky.length > 0) advice.push(`${plural(risky.length, 'pair')} of agents can hand to each other with no hand-back between: ${risky.map((p) => `${p.a} ↔ ${p.b}`).join(', ')}.`);
  return advice;
}
