/**
 * Over- and under-escalation to the human, per specialist, from scenario runs whose expectations say
 * whether the caller should be escalated (scenarios.ts, `EscalationExpectation`). Pure.
 *
 * Each scenario with an expectation gives each agent involved one outcome:
 * - expected, by a named agent X: X escalated → correct, else under (X's); any other agent that
 *   escalated → over (it escalated a caller someone else should have).
 * - expected, by anyone: every agent that escalated → correct; when none did, under for the last
 *   agent on the path that can escalate (or the last agent on the path when none can).
 * - not expected: every agent that escalated → over; every agent on the path that can escalate and
 *   did not → correct non-escalation.
 * Over-escalation rate = over / (over + correct non-escalations); under-escalation rate = under /
 * (under + correct escalations); null when the denominator is 0.
 */
import type { EscalationExpectation } from './scenarios.js';

export interface EscalationRun {
  readonly id: string;
  /** Agents that held the caller, starting at the entry. */
  readonly path: readonly string[];
  /** Tool calls the agents asked for. */
  readonly calls: readonly { readonly name: string; readonly agent: string }[];
  readonly expectation?: EscalationExpectation;
}

export interface EscalationTopology {
  /** Agent ids in authoring order. */
  readonly agents: readonly string[];
  /** Human-escalation tool ids by the agent that holds them. */
  readonly escalationTools: Readonly<Record<string, readonly string[]>>;
}

export interface AgentEscalation {
  readonly agent: string;
  /** Escalated when expected to. */
  readonly correct: number;
  /** Did not escalate when expected to. */
  readonly under: number;
  /** Escalated when not expected to. */
  readonly over: number;
  /** Did not escalate, and was not expected to. */
  readonly correctNone: number;
  readonly underRate: number | null;
  readonly overRate: number | null;
  readonly underScenarios: readonly string[];
  readonly overScenarios: readonly string[];
}

export interface EscalationReport {
  /** Scenarios with an escalation expectation. */
  readonly scenarios: number;
  /** Agents with at least one outcome, in authoring order. */
  readonly agents: readonly AgentEscalation[];
  readonly over: number;
  readonly under: number;
}

type Outcome = 'correct' | 'under' | 'over' | 'correctNone';

/** Per-agent escalation outcomes; null when no run has an escalation expectation. */
export function escalationReport(runs: readonly EscalationRun[], topology: EscalationTopology): EscalationReport | null {
  const expecting = runs.filter((r) => r.expectation !== undefined);
  if (expecting.length === 0) return null;
  const allTools = new Set(Object.values(topology.escalationTools).flat());
  const canEscalate = (agent: string) => (topology.escalationTools[agent]?.length ?? 0) > 0;
  const tally = new Map<string, { counts: Record<Outcome, number>; under: string[]; over: string[] }>();
  const add = (agent: string, outcome: Outcome, id: string) => {
    let entry = tally.get(agent);
    if (!entry) tally.set(agent, (entry = { counts: { correct: 0, under: 0, over: 0, correctNone: 0 }, under: [], over: [] }));
    entry.counts[outcome]++;
    if (outcome === 'under' && !entry.under.includes(id)) entry.under.push(id);
    if (outcome === 'over' && !entry.over.includes(id)) entry.over.push(id);
  };
  for (const run of expecting) {
    const e = run.expectation!;
    const escalated = [...new Set(run.calls.filter((c) => allTools.has(c.name)).map((c) => c.agent))];
    if (e.expected && e.by !== undefined) {
      add(e.by, escalated.includes(e.by) ? 'correct' : 'under', run.id);
      for (const agent of escalated) if (agent !== e.by) add(agent, 'over', run.id);
    } else if (e.expected) {
      if (escalated.length > 0) for (const agent of escalated) add(agent, 'correct', run.id);
      else {
        const capable = run.path.filter(canEscalate);
        const responsible = capable[capable.length - 1] ?? run.path[run.path.length - 1];
        if (responsible !== undefined) add(responsible, 'under', run.id);
      }
    } else {
      for (const agent of escalated) add(agent, 'over', run.id);
      for (const agent of new Set(run.path)) if (canEscalate(agent) && !escalated.includes(agent)) add(agent, 'correctNone', run.id);
    }
  }
  const order = [...topology.agents, ...[...tally.keys()].filter((a) => !topology.agents.includes(a)).sort()];
  const agents = order.flatMap((agent): AgentEscalation[] => {
    const entry = tally.get(agent);
    if (!entry) return [];
    const { correct, under, over, correctNone } = entry.counts;
    return [
      {
        agent,
        correct,
        under,
        over,
        correctNone,
        underRate: under + correct > 0 ? round(under / (under + correct)) : null,
        overRate: over + correctNone > 0 ? round(over / (over + correctNone)) : null,
        underScenarios: entry.under,
        overScenarios: entry.over,
      },
    ];
  });
  return { scenarios: expecting.length, agents, over: agents.reduce((n, a) => n + a.over, 0), under: agents.reduce((n, a) => n + a.under, 0) };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
