/**
 * Dataset lint and topology coverage (`switchboard eval lint`, docs/eval.md#dataset-lint-and-coverage):
 * which routes and edges (hand-backs, escalations to the human) a dataset and its scenarios exercise,
 * label imbalance, near-duplicate inputs, and labels the entry cannot reach. Pure: every finding is a
 * Diagnostic, located at the dataset line it is about (or at the topology's edge for a gap).
 */
import type { Diagnostic, SourceRange } from '../diagnostics/types.js';
import { sortDiagnostics } from '../diagnostics/types.js';
import type { Topology } from '../model/types.js';
import type { Dataset, EvalCase } from './dataset.js';
import type { Scenario } from './scenarios.js';
import { STAY } from './types.js';

export interface CoverageOptions {
  /** A route, hand-back or escalation with fewer cases (or scenarios) than this is "few" (default 3). */
  readonly minCases: number;
  /** Largest label count ÷ smallest allowed before `coverage/imbalance` (default 3). */
  readonly maxImbalance: number;
  /** Token (Jaccard) similarity from which two inputs are near-duplicates (default 0.8). */
  readonly similarity: number;
}

export const DEFAULT_COVERAGE_OPTIONS: CoverageOptions = { minCases: 3, maxImbalance: 3, similarity: 0.8 };

/** The topology as coverage sees it: handoff edges and who can escalate, with where they are written. */
export interface CoverageTopology {
  readonly name: string;
  /** The topology file as shown in diagnostics. */
  readonly file: string;
  readonly entry: string;
  readonly agents: readonly string[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly handback: boolean; readonly pointer: string; readonly range?: SourceRange }[];
  /** Human-escalation tool ids by agent (agents without one left out). */
  readonly escalationTools: Readonly<Record<string, readonly string[]>>;
  /** Where each agent is written (for escalation gaps). */
  readonly agentRanges?: Readonly<Record<string, SourceRange>>;
}

export interface CoverageInput {
  readonly topology: CoverageTopology;
  readonly dataset: Dataset;
  /** Where a case (by index) or one of its keys is written in the dataset file. */
  readonly locateCase: (index: number, key?: string) => SourceRange | undefined;
  readonly scenarios?: { readonly file: string; readonly scenarios: readonly Scenario[] };
}

export type CoverageKind = 'route' | 'stay' | 'handback' | 'escalation';

export interface CoverageRow {
  readonly kind: CoverageKind;
  readonly from: string;
  /** The target agent; `stay` for stay; `human` for an escalation. */
  readonly to: string;
  /** Dataset cases exercising it (null where a dataset cannot: escalations). */
  readonly cases: number | null;
  /** Scenarios exercising it (null when no scenario file was given). */
  readonly scenarios: number | null;
  readonly status: 'ok' | 'few' | 'none';
}

export interface NearDuplicate {
  readonly first: string;
  readonly second: string;
  readonly similarity: number;
}

export interface CoverageReport {
  readonly version: 1;
  readonly kind: 'coverage';
  readonly topology: string;
  readonly dataset: { readonly file: string; readonly cases: number };
  readonly scenarios: { readonly file: string; readonly scenarios: number } | null;
  readonly options: CoverageOptions;
  readonly rows: readonly CoverageRow[];
  /** Cases per expected label (routes in authoring order, then `stay`, then unreachable labels). */
  readonly labels: Readonly<Record<string, number>>;
  readonly imbalance: { readonly largest: string; readonly smallest: string; readonly ratio: number } | null;
  readonly nearDuplicates: readonly NearDuplicate[];
  readonly findings: readonly Diagnostic[];
  /** No finding is an error. */
  readonly passed: boolean;
}

/** Human-escalation tools by the agent holding them, from a validated topology. */
export function escalationToolsOf(topology: Topology): Record<string, string[]> {
  const kinds = new Map(topology.tools.map((t) => [t.id, t.kind]));
  const out: Record<string, string[]> = {};
  for (const agent of topology.agents) {
    const tools = agent.tools.map((t) => t.value).filter((id) => kinds.get(id) === 'human-escalation');
    if (tools.length > 0) out[agent.id] = tools;
  }
  return out;
}

export function coverageReport(input: CoverageInput, options: CoverageOptions = DEFAULT_COVERAGE_OPTIONS): CoverageReport {
  const { topology, dataset, locateCase } = input;
  const findings: Diagnostic[] = [];
  const datasetFile = dataset.file;
  const at = (index: number, key?: string): { range?: SourceRange } => {
    const range = locateCase(index, key);
    return range ? { range } : {};
  };
  const warn = (d: Omit<Diagnostic, 'severity'>) => findings.push({ ...d, severity: 'warning' });
  const routes = [...new Set(topology.edges.filter((e) => e.from === topology.entry).map((e) => e.to))];
  const reachable = reachableFrom(topology);
  const scenarios = input.scenarios?.scenarios;

  // Labels the entry cannot take: not a direct route (or stay), reachable or not.
  dataset.cases.forEach((c, i) => {
    if (c.expect === STAY || routes.includes(c.expect)) return;
    const viaHop = reachable.has(c.expect);
    findings.push({
      ruleId: viaHop ? 'coverage/indirect-label' : 'coverage/unreachable-label',
      severity: 'error',
      message: viaHop
        ? `case \`${c.id}\` expects \`${c.expect}\`, which the entry \`${topology.entry}\` reaches only through another agent: the entry's decision can never be \`${c.expect}\``
        : `case \`${c.id}\` expects \`${c.expect}\`, which cannot be reached from the entry \`${topology.entry}\` at all`,
      file: datasetFile,
      pointer: `/cases/${i}/expect`,
      ...at(i, 'expect'),
      hint: `the entry hands off to ${routes.map((r) => `\`${r}\``).join(', ') || 'no one'}, or \`${STAY}\``,
    });
  });

  const labels: Record<string, number> = {};
  for (const label of [...routes, STAY]) labels[label] = 0;
  for (const c of dataset.cases) labels[c.expect] = (labels[c.expect] ?? 0) + 1;

  const status = (n: number): CoverageRow['status'] => (n === 0 ? 'none' : n < options.minCases ? 'few' : 'ok');
  const stepCount = (from: string, to: string) => (scenarios ? scenarios.filter((s) => pathHasStep(s, from, to)).length : null);
  const rows: CoverageRow[] = [];
  const gap = (row: CoverageRow, where: { file: string; pointer: string; range?: SourceRange }, what: string, hint: string) => {
    if (row.status === 'ok') return;
    const total = (row.cases ?? 0) + (row.scenarios ?? 0);
    warn({
      ruleId: row.status === 'none' ? 'coverage/no-cases' : 'coverage/few-cases',
      message: row.status === 'none' ? `no case exercises ${what}` : `only ${total} case(s) exercise ${what} (at least ${options.minCases} wanted)`,
      file: where.file,
      pointer: where.pointer,
      ...(where.range ? { range: where.range } : {}),
      hint,
    });
  };
  const firstEdge = (from: string, to: string, handback?: boolean) => topology.edges.find((e) => e.from === from && e.to === to && (handback === undefined || e.handback === handback));

  for (const route of routes) {
    const cases = labels[route] ?? 0;
    const row: CoverageRow = { kind: 'route', from: topology.entry, to: route, cases, scenarios: stepCount(topology.entry, route), status: status(cases) };
    rows.push(row);
    const edge = firstEdge(topology.entry, route)!;
    gap(row, { file: topology.file, pointer: edge.pointer, ...(edge.range ? { range: edge.range } : {}) }, `the route \`${topology.entry}\` → \`${route}\` in ${datasetFile}`, `add cases with \`expect: ${route}\``);
  }
  {
    const cases = labels[STAY] ?? 0;
    const row: CoverageRow = { kind: 'stay', from: topology.entry, to: STAY, cases, scenarios: null, status: status(cases) };
    rows.push(row);
    gap(row, { file: datasetFile, pointer: '' }, `\`${STAY}\` (the entry answering or asking itself)`, `add cases with \`expect: ${STAY}\`: off-topic and unclear requests`);
  }
  for (const edge of topology.edges.filter((e) => e.handback && e.to === topology.entry)) {
    const cases = dataset.cases.filter((c) => c.handback === true && c.expect === edge.from).length;
    const inScenarios = stepCount(edge.from, edge.to);
    const row: CoverageRow = { kind: 'handback', from: edge.from, to: edge.to, cases, scenarios: inScenarios, status: status(cases + (inScenarios ?? 0)) };
    rows.push(row);
    gap(row, { file: topology.file, pointer: edge.pointer, ...(edge.range ? { range: edge.range } : {}) }, `the hand-back \`${edge.from}\` → \`${edge.to}\``, `add cases with \`expect: ${edge.from}\` and \`handback: true\`, or a scenario whose path takes ${edge.from} → ${edge.to}`);
  }
  for (const agent of topology.agents.filter((a) => (topology.escalationTools[a]?.length ?? 0) > 0)) {
    const inScenarios = scenarios ? scenarios.filter((s) => expectsEscalationBy(s, agent)).length : null;
    const row: CoverageRow = { kind: 'escalation', from: agent, to: 'human', cases: null, scenarios: inScenarios, status: status(inScenarios ?? 0) };
    rows.push(row);
    const range = topology.agentRanges?.[agent];
    gap(row, { file: topology.file, pointer: `/agents/${agent}`, ...(range ? { range } : {}) }, `the escalation of \`${agent}\` to a human`, `add a scenario with \`expect: { escalate: ${agent} }\` (routing cases cannot: the entry decides alone)`);
  }

  // Imbalance over the labels that have cases at all (missing ones are already gaps).
  const present = Object.entries(labels).filter(([, n]) => n > 0);
  let imbalance: CoverageReport['imbalance'] = null;
  if (present.length >= 2) {
    const largest = present.reduce((a, b) => (b[1] > a[1] ? b : a));
    const smallest = present.reduce((a, b) => (b[1] < a[1] ? b : a));
    imbalance = { largest: largest[0], smallest: smallest[0], ratio: round(largest[1] / smallest[1]) };
    if (imbalance.ratio > options.maxImbalance) {
      const firstOfSmallest = dataset.cases.findIndex((c) => c.expect === smallest[0]);
      warn({
        ruleId: 'coverage/imbalance',
        message: `labels are imbalanced: \`${largest[0]}\` has ${largest[1]} case(s), \`${smallest[0]}\` only ${smallest[1]} (${imbalance.ratio}×, more than ${options.maxImbalance}×); accuracy then mostly measures \`${largest[0]}\``,
        file: datasetFile,
        pointer: `/cases/${firstOfSmallest}/expect`,
        ...at(firstOfSmallest, 'expect'),
        hint: `add cases expecting \`${smallest[0]}\`, and read per-route recall rather than accuracy`,
      });
    }
  }

  const nearDuplicates = findNearDuplicates(dataset.cases, options.similarity);
  const indexOf = new Map(dataset.cases.map((c, i) => [c.id, i]));
  for (const pair of nearDuplicates) {
    const first = indexOf.get(pair.first)!;
    const second = indexOf.get(pair.second)!;
    const firstRange = locateCase(first, 'input');
    warn({
      ruleId: 'coverage/near-duplicate',
      message: `case \`${pair.second}\` has ${pair.similarity === 1 ? 'the same words as' : `${Math.round(pair.similarity * 100)}% of its words in common with`} \`${pair.first}\`: it adds little evidence`,
      file: datasetFile,
      pointer: `/cases/${second}/input`,
      ...at(second, 'input'),
      related: [{ message: `\`${pair.first}\``, pointer: `/cases/${first}/input`, ...(firstRange ? { range: firstRange } : {}) }],
      hint: 'reword it, or drop it',
    });
  }

  const sorted = sortDiagnostics(findings);
  return {
    version: 1,
    kind: 'coverage',
    topology: topology.name,
    dataset: { file: datasetFile, cases: dataset.cases.length },
    scenarios: input.scenarios ? { file: input.scenarios.file, scenarios: input.scenarios.scenarios.length } : null,
    options,
    rows,
    labels,
    imbalance,
    nearDuplicates,
    findings: sorted,
    passed: !sorted.some((d) => d.severity === 'error'),
  };
}

function reachableFrom(topology: CoverageTopology): Set<string> {
  const seen = new Set<string>();
  const queue = [topology.entry];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const e of topology.edges) if (e.from === at && !seen.has(e.to)) (seen.add(e.to), queue.push(e.to));
  }
  seen.delete(topology.entry);
  return seen;
}

function pathHasStep(scenario: Scenario, from: string, to: string): boolean {
  const path = scenario.expect.path;
  if (!path) return false;
  for (let i = 1; i < path.length; i++) if (path[i - 1] === from && path[i] === to) return true;
  return false;
}

/** A scenario that expects `agent` to escalate: by name, or by anyone on a path through it. */
function expectsEscalationBy(scenario: Scenario, agent: string): boolean {
  const e = scenario.expect.escalate;
  if (!e?.expected) return false;
  return e.by !== undefined ? e.by === agent : (scenario.expect.path ?? []).includes(agent);
}

/** Lower-case words and numbers of an input (every turn of a conversation), accents and punctuation dropped. */
export function inputTokens(input: EvalCase['input']): string[] {
  const text = typeof input === 'string' ? input : input.map((m) => m.content).join(' ');
  return [
    ...new Set(
      text
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu) ?? [],
    ),
  ];
}

/** Jaccard similarity of two token sets. */
export function tokenSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const set = new Set(a);
  const shared = b.filter((t) => set.has(t)).length;
  return shared / (a.length + b.length - shared);
}

/**
 * Pairs of cases whose inputs have a token similarity of at least `threshold`, each pair once, in
 * dataset order. Prefix filtering keeps it near-linear for 10,000 cases: two sets with Jaccard ≥ t
 * share a token among the first |x| − ⌈t·|x|⌉ + 1 of each, rarest tokens first.
 */
export function findNearDuplicates(cases: readonly EvalCase[], threshold: number): NearDuplicate[] {
  const tokens = cases.map((c) => inputTokens(c.input));
  const frequency = new Map<string, number>();
  for (const list of tokens) for (const t of list) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const rarestFirst = tokens.map((list) => [...list].sort((a, b) => frequency.get(a)! - frequency.get(b)! || (a < b ? -1 : a > b ? 1 : 0)));
  const index = new Map<string, number[]>();
  const out: NearDuplicate[] = [];
  rarestFirst.forEach((list, j) => {
    const prefix = list.length - Math.ceil(threshold * list.length) + 1;
    const candidates = new Set<number>();
    for (const t of list.slice(0, Math.max(prefix, list.length === 0 ? 0 : 1))) for (const i of index.get(t) ?? []) candidates.add(i);
    for (const i of [...candidates].sort((a, b) => a - b)) {
      const similarity = tokenSimilarity(tokens[i]!, tokens[j]!);
      if (similarity >= threshold) out.push({ first: cases[i]!.id, second: cases[j]!.id, similarity: round(similarity) });
    }
    for (const t of list.slice(0, Math.max(prefix, 1))) {
      const bucket = index.get(t);
      if (bucket) bucket.push(j);
      else index.set(t, [j]);
    }
  });
  return out;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
