/**
 * Traffic from traces: what really went over each route, and the advice that follows from it
 * (collapse low-traffic specialists; what the entry model costs per routed conversation next to an
 * eval's accuracy for a cheaper one). One trace is one SDK run, i.e. one caller message.
 */
import { percentile, wilson } from '../eval/metrics.js';
import { costOf, priceFor, type PriceTable } from '../eval/prices.js';
import { indexOf } from '../model/queries.js';
import type { Topology } from '../model/types.js';
import type { TraceGroup, TraceSpan } from './traces.js';

/** The route label of a conversation the entry answered itself (as in routing datasets). */
export const STAY = 'stay';
export const DEFAULT_COLLAPSE_SHARE = 0.1;

export interface Conversation {
  readonly traceId: string;
  readonly file: string;
  readonly line: number;
  /** Agent ids in the order their spans started. */
  readonly agents: readonly string[];
  /** Handoffs as agent ids, in order. */
  readonly handoffs: readonly { readonly from: string; readonly to: string }[];
  /** The first specialist the entry handed to, or `stay`. */
  readonly route: string;
  /** Agent ids that called a human-escalation tool. */
  readonly escalatedBy: readonly string[];
  readonly maxTurnsExceeded: boolean;
  /** Pairs that went A → B → A → B without a user turn. */
  readonly pingPong: readonly string[];
  readonly durationMs: number | undefined;
  readonly costUsd: number;
  readonly entryCostUsd: number;
  readonly entryTokens: { readonly inputTokens: number; readonly outputTokens: number; readonly cachedInputTokens: number };
  readonly input?: string;
  readonly guardrailsTriggered: readonly string[];
}

export interface RouteTraffic {
  readonly route: string;
  /** Conversations whose first routing went here. */
  readonly conversations: number;
  readonly share: number;
  readonly shareInterval: { readonly low: number; readonly high: number } | null;
  /** Handoffs from the entry to this specialist, re-routes included. */
  readonly handoffs: number;
  /** Conversations that visited the specialist (for the rates below). */
  readonly visits: number;
  readonly handBacks: number;
  readonly handBackRate: number | null;
  readonly pingPongRate: number | null;
  readonly escalationRate: number | null;
  readonly maxTurnsExceeded: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number } | null;
  readonly costUsd: { readonly total: number; readonly perConversation: number } | null;
}

export interface EdgeTraffic {
  readonly from: string;
  readonly to: string;
  readonly count: number;
}

export interface EvalComparison {
  readonly label: string;
  readonly model: string;
  readonly accuracy: number | null;
  readonly accuracyInterval: { readonly low: number; readonly high: number } | null;
  /** What the observed entry tokens would cost per routed conversation at this model's prices. */
  readonly entryCostPerRoutedConversation: number | null;
}

export interface TrafficReport {
  readonly topology: string;
  readonly entry: string;
  readonly entryModel: string | null;
  readonly conversations: number;
  readonly routed: number;
  readonly maxTurnsExceeded: number;
  readonly routes: readonly RouteTraffic[];
  readonly edges: readonly EdgeTraffic[];
  /** Escalations to a human, per agent id. */
  readonly escalations: Readonly<Record<string, number>>;
  readonly guardrailsTriggered: Readonly<Record<string, number>>;
  readonly entryCostPerRoutedConversation: number | null;
  readonly unpricedModels: readonly string[];
  /** Agent names in the traces that the topology does not declare (traces of another version?). */
  readonly unknownAgents: readonly string[];
  readonly evalComparisons: readonly EvalComparison[];
  readonly collapseThreshold: number;
  readonly advice: readonly string[];
}

export interface TrafficOptions {
  readonly prices: PriceTable;
  /** Share below which a specialist is suggested for collapsing (default 0.1). */
  readonly collapseShare?: number;
  /** A parsed `switchboard eval --report-json` file. */
  readonly evalReport?: unknown;
}

const byStart = (a: TraceSpan, b: TraceSpan) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.line - b.line;

/** One conversation per trace, with agent names mapped back to the topology's ids. */
export function conversationsOf(topology: Topology, traces: readonly TraceGroup[], prices: PriceTable, unknown: Set<string> = new Set(), unpriced: Set<string> = new Set()): Conversation[] {
  const { agents } = indexOf(topology);
  const idByName = new Map(topology.agents.map((a) => [a.name, a.id]));
  const idOf = (name: unknown): string | undefined => {
    if (typeof name !== 'string') return undefined;
    const id = idByName.get(name) ?? (agents.has(name) ? name : undefined);
    if (!id) unknown.add(name);
    return id;
  };
  const escalationTools = new Set(topology.tools.filter((t) => t.kind === 'human-escalation').map((t) => t.id));
  const entry = topology.entry.value;
  return traces.map((trace) => {
    const spans = [...trace.spans].sort(byStart);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const agentOf = (span: TraceSpan): string | undefined => {
      for (let s: TraceSpan | undefined = span, hops = 0; s && hops < 64; s = s.parentId ? byId.get(s.parentId) : undefined, hops++) {
        if (s.kind === 'agent') return idOf(s.data.name);
      }
      return undefined;
    };
    const agentIds = spans.filter((s) => s.kind === 'agent').flatMap((s) => idOf(s.data.name) ?? []);
    const handoffs = spans.filter((s) => s.kind === 'handoff').flatMap((s) => {
      const [from, to] = [idOf(s.data.from), idOf(s.data.to)];
      return from && to ? [{ from, to }] : [];
    });
    const route = handoffs.find((h) => h.from === entry)?.to ?? STAY;
    const escalatedBy = [...new Set(spans.filter((s) => s.kind === 'function' && escalationTools.has(String(s.data.name))).flatMap((s) => agentOf(s) ?? []))];
    const pingPong = new Set<string>();
    for (let i = 2; i < handoffs.length; i++) {
      const [a, b, c] = [handoffs[i - 2]!, handoffs[i - 1]!, handoffs[i]!];
      if (a.from === b.to && a.to === b.from && c.from === a.from && c.to === a.to) pingPong.add([a.from, a.to].sort().join('↔'));
    }
    let costUsd = 0;
    let entryCostUsd = 0;
    const entryTokens = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
    for (const span of spans) {
      if (span.kind !== 'turn') continue;
      const usage = span.data.usage as Record<string, number> | undefined;
      const agentId = idOf(span.data.agent);
      if (!usage || !agentId) continue;
      const tokens = { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0, cachedInputTokens: usage.cached_input_tokens ?? 0 };
      const model = agents.get(agentId)?.model?.value;
      const price = model ? priceFor(prices, model) : undefined;
      if (model && !price) unpriced.add(model);
      const cost = price ? costOf(tokens, price) : 0;
      costUsd += cost;
      if (agentId === entry) {
        entryCostUsd += cost;
        entryTokens.inputTokens += tokens.inputTokens;
        entryTokens.outputTokens += tokens.outputTokens;
        entryTokens.cachedInputTokens += tokens.cachedInputTokens;
      }
    }
    const starts = spans.flatMap((s) => (s.startedAt ? [Date.parse(s.startedAt)] : [])).filter(Number.isFinite);
    const ends = spans.flatMap((s) => (s.endedAt ? [Date.parse(s.endedAt)] : [])).filter(Number.isFinite);
    const input = spans.map((s) => s.data.input).find((v): v is string => typeof v === 'string');
    return {
      traceId: trace.traceId,
      file: trace.file,
      line: trace.line,
      agents: agentIds,
      handoffs,
      route,
      escalatedBy,
      maxTurnsExceeded: spans.some((s) => s.error && /max turns/i.test(s.error.message)),
      pingPong: [...pingPong],
      durationMs: starts.length > 0 && ends.length > 0 ? Math.max(...ends) - Math.min(...starts) : undefined,
      costUsd,
      entryCostUsd,
      entryTokens,
      ...(input !== undefined ? { input } : {}),
      guardrailsTriggered: spans.filter((s) => s.kind === 'guardrail' && s.data.triggered === true).map((s) => String(s.data.name)),
    };
  });
}

export function analyseTraffic(topology: Topology, traces: readonly TraceGroup[], options: TrafficOptions): TrafficReport {
  const unknown = new Set<string>();
  const unpriced = new Set<string>();
  const conversations = conversationsOf(topology, traces, options.prices, unknown, unpriced);
  const entry = topology.entry.value;
  const { agents, outgoing } = indexOf(topology);
  const entryModel = agents.get(entry)?.model?.value ?? null;
  const total = conversations.length;
  const targets = [...new Set((outgoing.get(entry) ?? []).filter((e) => e.kind === 'handoff').map((e) => e.to.value))];
  const observed = [...new Set(conversations.map((c) => c.route))].filter((r) => r !== STAY && !targets.includes(r));
  const labels = [...targets, ...observed, STAY];
  const routes = labels.map((route): RouteTraffic => {
    const mine = conversations.filter((c) => c.route === route);
    const visiting = route === STAY ? mine : conversations.filter((c) => c.agents.includes(route));
    const handBacks = route === STAY ? 0 : conversations.reduce((n, c) => n + c.handoffs.filter((h) => h.from === route && h.to === entry).length, 0);
    const visits = route === STAY ? 0 : conversations.reduce((n, c) => n + c.handoffs.filter((h) => h.to === route).length, 0);
    const durations = mine.flatMap((c) => (c.durationMs !== undefined ? [c.durationMs] : []));
    const cost = mine.reduce((n, c) => n + c.costUsd, 0);
    const interval = wilson(mine.length, total);
    return {
      route,
      conversations: mine.length,
      share: total > 0 ? mine.length / total : 0,
      shareInterval: interval ? { low: interval.low, high: interval.high } : null,
      handoffs: conversations.reduce((n, c) => n + c.handoffs.filter((h) => h.from === entry && h.to === route).length, 0),
      visits: visiting.length,
      handBacks,
      handBackRate: route === STAY ? null : ratio(handBacks, visits),
      pingPongRate: route === STAY ? null : ratio(visiting.filter((c) => c.pingPong.some((p) => p.split('↔').includes(route))).length, visiting.length),
      escalationRate: route === STAY ? null : ratio(visiting.filter((c) => c.escalatedBy.includes(route)).length, visiting.length),
      maxTurnsExceeded: mine.filter((c) => c.maxTurnsExceeded).length,
      latencyMs: durations.length > 0 ? { p50: percentile(durations, 50)!, p95: percentile(durations, 95)! } : null,
      costUsd: mine.length > 0 ? { total: cost, perConversation: cost / mine.length } : null,
    };
  });
  const edgeCounts = new Map<string, EdgeTraffic>();
  for (const c of conversations) {
    for (const h of c.handoffs) {
      const key = `${h.from}→${h.to}`;
      const previous = edgeCounts.get(key);
      edgeCounts.set(key, { from: h.from, to: h.to, count: (previous?.count ?? 0) + 1 });
    }
  }
  const escalations: Record<string, number> = {};
  for (const c of conversations) for (const id of c.escalatedBy) escalations[id] = (escalations[id] ?? 0) + 1;
  const guardrailsTriggered: Record<string, number> = {};
  for (const c of conversations) for (const g of c.guardrailsTriggered) guardrailsTriggered[g] = (guardrailsTriggered[g] ?? 0) + 1;
  const routedConversations = conversations.filter((c) => c.route !== STAY);
  const routed = routedConversations.length;
  const entryCostPerRoutedConversation = routed > 0 && entryModel && priceFor(options.prices, entryModel) ? routedConversations.reduce((n, c) => n + c.entryCostUsd, 0) / routed : null;
  const evalComparisons = compareWithEval(options.evalReport, entry, routedConversations, options.prices);
  const collapseThreshold = options.collapseShare ?? DEFAULT_COLLAPSE_SHARE;
  const report = {
    topology: topology.name,
    entry,
    entryModel,
    conversations: total,
    routed,
    maxTurnsExceeded: conversations.filter((c) => c.maxTurnsExceeded).length,
    routes,
    edges: [...edgeCounts.values()],
    escalations,
    guardrailsTriggered,
    entryCostPerRoutedConversation,
    unpricedModels: [...unpriced].sort(),
    unknownAgents: [...unknown].sort(),
    evalComparisons,
    collapseThreshold,
    advice: [] as string[],
  };
  report.advice = trafficAdvice(topology, report);
  return report;
}

function compareWithEval(evalReport: unknown, entry: string, routed: readonly Conversation[], prices: PriceTable): EvalComparison[] {
  const runs = (evalReport as { runs?: unknown } | undefined)?.runs;
  if (!Array.isArray(runs)) return [];
  const tokens = routed.reduce((t, c) => ({ inputTokens: t.inputTokens + c.entryTokens.inputTokens, outputTokens: t.outputTokens + c.entryTokens.outputTokens, cachedInputTokens: t.cachedInputTokens + c.entryTokens.cachedInputTokens }), { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });
  return runs.flatMap((run: { label?: unknown; models?: Record<string, unknown>; summary?: { accuracy?: unknown; accuracyInterval?: unknown } }) => {
    const model = run?.models?.[entry];
    if (typeof model !== 'string') return [];
    const price = priceFor(prices, model);
    const accuracy = typeof run.summary?.accuracy === 'number' ? run.summary.accuracy : null;
    const interval = run.summary?.accuracyInterval as { low?: unknown; high?: unknown } | null | undefined;
    return [
      {
        label: typeof run.label === 'string' ? run.label : model,
        model,
        accuracy,
        accuracyInterval: interval && typeof interval.low === 'number' && typeof interval.high === 'number' ? { low: interval.low, high: interval.high } : null,
        entryCostPerRoutedConversation: price && routed.length > 0 ? costOf(tokens, price) / routed.length : null,
      },
    ];
  });
}

/** `k` of `n` as a fraction, or null when there is nothing to divide by. */
export const ratio = (k: number, n: number) => (n > 0 ? k / n : null);
/** A fraction as a percentage with one decimal. */
export const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
export const usd = (x: number) => (x >= 0.01 ? `$${x.toFixed(4)}` : `$${x.toPrecision(2)}`);

function trafficAdvice(topology: Topology, report: Omit<TrafficReport, 'advice'>): string[] {
  const advice: string[] = [];
  const { agents, tools } = indexOf(topology);
  if (report.conversations === 0) return ['No conversations in the traces.'];
  const specialists = report.routes.filter((r) => r.route !== STAY && agents.has(r.route));
  const low = specialists.filter((r) => r.share < report.collapseThreshold);
  const labels = specialists.length + 1;
  for (const r of low) {
    const agent = agents.get(r.route)!;
    const toolNames = agent.tools.filter((t) => tools.get(t.value)?.kind !== 'human-escalation').map((t) => t.value);
    const interval = r.shareInterval ? `, 95% interval ${pct(r.shareInterval.low)}–${pct(r.shareInterval.high)}` : '';
    advice.push(
      `${r.route} gets ${r.conversations} of ${report.conversations} conversations (${pct(r.share)}${interval}), below the collapse threshold of ${pct(report.collapseThreshold)}: consider collapsing it into a general agent. ` +
        `The entry would choose among ${labels - low.length} labels instead of ${labels} (${specialists.length} specialists + stay), one less route to misroute; the general agent takes over ${toolNames.length > 0 ? toolNames.join(', ') : 'its instructions'} and its handoff description, and its dataset cases are relabelled to the general agent.`,
    );
  }
  if (low.length === 0 && specialists.length > 0) advice.push(`Every specialist gets at least ${pct(report.collapseThreshold)} of conversations; no collapse suggested.`);
  if (report.conversations < 30) advice.push(`Only ${report.conversations} conversations: shares are uncertain; read the intervals before collapsing anything.`);
  if (report.entryCostPerRoutedConversation !== null && report.entryModel) {
    advice.push(`The entry agent (${report.entryModel}) costs ${usd(report.entryCostPerRoutedConversation)} per routed conversation (${report.routed} routed).`);
  }
  for (const c of report.evalComparisons) {
    if (c.model === report.entryModel) {
      if (c.accuracy !== null) advice.push(`Eval "${c.label}": ${c.model} routes with accuracy ${pct(c.accuracy)}${c.accuracyInterval ? ` (95% ${pct(c.accuracyInterval.low)}–${pct(c.accuracyInterval.high)})` : ''}.`);
      continue;
    }
    const cost = c.entryCostPerRoutedConversation;
    const relative = cost !== null && report.entryCostPerRoutedConversation ? ` (${(cost / report.entryCostPerRoutedConversation).toFixed(2)}× the current)` : '';
    advice.push(`Eval "${c.label}": ${c.model} routes with accuracy ${c.accuracy === null ? 'unknown' : pct(c.accuracy)}${c.accuracyInterval ? ` (95% ${pct(c.accuracyInterval.low)}–${pct(c.accuracyInterval.high)})` : ''}; with the same tokens the entry would cost ${cost === null ? 'an unknown amount (no price)' : usd(cost)} per routed conversation${relative}.`);
  }
  if (report.maxTurnsExceeded > 0) advice.push(`${report.maxTurnsExceeded} conversation${report.maxTurnsExceeded === 1 ? '' : 's'} ended in MaxTurnsExceededError: look for ping-pong in their traces, or raise maxTurns (see switchboard routes).`);
  for (const r of specialists) if (r.pingPongRate && r.pingPongRate > 0) advice.push(`${r.route}: ${pct(r.pingPongRate)} of its conversations bounced back and forth with the entry; sharpen the entry's description of ${r.route} or the specialist's hand-back instructions.`);
  if (report.unknownAgents.length > 0) advice.push(`Agents in the traces that the topology does not declare: ${report.unknownAgents.join(', ')} (traces of another version?).`);
  return advice;
}
