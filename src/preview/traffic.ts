/**
 * The preview's traffic overlay for one topology: the numbers of `switchboard traffic` (per-edge counts
 * and shares, per-route rates, max-turns exhaustion) plus per-agent volume, and the diagram with them
 * drawn on it. Pure: parsed traces in, plain JSON out; the server reads the files.
 */
import { emitFlowchart } from '../emit/mermaid/emit-flowchart.js';
import { nodeId } from '../emit/mermaid/escape.js';
import { DEFAULT_PRICES } from '../eval/prices.js';
import { trafficAnnotations } from '../analysis/format-traffic.js';
import { analyseTraffic, conversationsOf, pct, ratio, type RouteTraffic } from '../analysis/traffic.js';
import type { ParsedTraces, TraceGroup, TraceReadError } from '../analysis/traces.js';
import type { Topology } from '../model/types.js';

/** Unreadable records listed on the page (the count is always complete). */
const MAX_ERRORS_SHOWN = 20;

export interface PreviewAgentTraffic {
  readonly id: string;
  readonly node: string;
  /** Conversations in which the agent ran at least once. */
  readonly conversations: number;
  readonly handoffsIn: number;
  readonly handoffsOut: number;
  /** Hand-backs to the entry per handoff into the agent (null for the entry, or without handoffs in). */
  readonly handBackRate: number | null;
  /** Of the conversations it ran in: how many bounced A → B → A → B through it, escalated from it, hit maxTurns. */
  readonly pingPongRate: number | null;
  readonly escalationRate: number | null;
  readonly maxTurnsExceeded: number;
}

export interface PreviewEdgeTraffic {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  /** Of all handoffs. */
  readonly share: number;
}

export interface PreviewTraffic {
  /** The trace files read, as shown. */
  readonly files: readonly string[];
  readonly conversations: number;
  readonly routed: number;
  readonly maxTurnsExceeded: number;
  /** Traces that name none of this topology's agents (another topology's, or an older version's). */
  readonly otherTraces: number;
  readonly errorCount: number;
  readonly errors: readonly TraceReadError[];
  readonly routes: readonly RouteTraffic[];
  readonly edges: readonly PreviewEdgeTraffic[];
  readonly agents: readonly PreviewAgentTraffic[];
  readonly unknownAgents: readonly string[];
  readonly advice: readonly string[];
  /** The topology's Mermaid with counts and shares on the edges (thicker with more traffic) and volume on the nodes. */
  readonly diagram: string;
}

/** The traffic of `topology` in `parsed`: good records are counted even when others are unreadable. */
export function previewTraffic(topology: Topology, parsed: ParsedTraces, files: readonly string[], source: string): PreviewTraffic {
  const names = new Set(topology.agents.flatMap((a) => [a.name, a.id]));
  const mine = parsed.traces.filter((trace) => trace.spans.some((s) => s.kind === 'agent' && typeof s.data.name === 'string' && names.has(s.data.name)));
  const report = analyseTraffic(topology, mine, { prices: DEFAULT_PRICES });
  const conversations = conversationsOf(topology, mine, DEFAULT_PRICES);
  const entry = topology.entry.value;
  const agents = topology.agents.map((agent): PreviewAgentTraffic => {
    const visited = conversations.filter((c) => c.agents.includes(agent.id));
    const handoffsIn = conversations.reduce((n, c) => n + c.handoffs.filter((h) => h.to === agent.id).length, 0);
    const handBacks = conversations.reduce((n, c) => n + c.handoffs.filter((h) => h.from === agent.id && h.to === entry).length, 0);
    return {
      id: agent.id,
      node: nodeId('agent', agent.id),
      conversations: visited.length,
      handoffsIn,
      handoffsOut: conversations.reduce((n, c) => n + c.handoffs.filter((h) => h.from === agent.id).length, 0),
      handBackRate: agent.id === entry ? null : ratio(handBacks, handoffsIn),
      pingPongRate: ratio(visited.filter((c) => c.pingPong.some((p) => p.split('↔').includes(agent.id))).length, visited.length),
      escalationRate: ratio(visited.filter((c) => c.escalatedBy.includes(agent.id)).length, visited.length),
      maxTurnsExceeded: visited.filter((c) => c.maxTurnsExceeded).length,
    };
  });
  const totalHandoffs = report.edges.reduce((n, e) => n + e.count, 0);
  const nodeAnnotations = new Map(agents.map((a) => [a.id, nodeLabel(a)]));
  return {
    files,
    conversations: report.conversations,
    routed: report.routed,
    maxTurnsExceeded: report.maxTurnsExceeded,
    otherTraces: parsed.traces.length - mine.length,
    errorCount: parsed.errors.length,
    errors: parsed.errors.slice(0, MAX_ERRORS_SHOWN),
    routes: report.routes,
    edges: report.edges.map((e) => ({ ...e, share: totalHandoffs > 0 ? e.count / totalHandoffs : 0 })),
    agents,
    unknownAgents: report.unknownAgents,
    advice: report.advice,
    diagram: emitFlowchart(topology, { source, annotations: trafficAnnotations(report), nodeAnnotations }),
  };
}

/** `8 conversations · hand-back 22.2% · ping-pong 12.5%`: rates only when they are not zero. */
function nodeLabel(a: PreviewAgentTraffic): string[] {
  const parts = [`${a.conversations} conversation${a.conversations === 1 ? '' : 's'}`];
  if (a.handBackRate) parts.push(`hand-back ${pct(a.handBackRate)}`);
  if (a.pingPongRate) parts.push(`ping-pong ${pct(a.pingPongRate)}`);
  if (a.escalationRate) parts.push(`to human ${pct(a.escalationRate)}`);
  if (a.maxTurnsExceeded) parts.push(`${a.maxTurnsExceeded} hit max turns`);
  return parts;
}

/** Trace groups of several files as one set: a trace split over rotated files is joined again. */
export function mergeTraces(parts: readonly ParsedTraces[]): ParsedTraces {
  const byId = new Map<string, TraceGroup>();
  const errors: TraceReadError[] = [];
  let records = 0;
  for (const part of parts) {
    records += part.records;
    errors.push(...part.errors);
    for (const trace of part.traces) {
      const seen = byId.get(trace.traceId);
      if (seen) seen.spans.push(...trace.spans);
      else byId.set(trace.traceId, { ...trace, spans: [...trace.spans] });
    }
  }
  return { traces: [...byId.values()], errors, records };
}
