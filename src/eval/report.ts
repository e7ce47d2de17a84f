/**
 * The evaluation report (`--report-json`, docs/eval.md): a pure function of the run's outcome.
 * Deterministic: no timestamps, no run-specific paths, ratios rounded; replaying a recorded cassette
 * gives the same bytes, because latencies replay from the cassette too.
 *
 * Stable: fields are only ever added; `version` changes if that promise has to be broken.
 */
import type { Dataset, EvalCase } from './dataset.js';
import type { GateResult } from './gates.js';
import { confusion, percentile, round, routeScores, wilson } from './metrics.js';
import { caseLevel, compareRuns, DEFAULT_ALPHA, paretoSet, type CaseOutcome, type Comparison } from './statistics.js';
import { costOf, priceFor, type PriceTable } from './prices.js';
import type { AttemptResult, EvalOutcome, SettingResult } from './runner.js';
import type { CallRecord } from './capture.js';
import { STAY } from './types.js';
import { addUsage, ZERO_USAGE } from './usage.js';
import { isNarratedHandoff } from './narration.js';

export const REPORT_VERSION = 1;

export interface EvalReport {
  readonly version: 1;
  readonly topology: string;
  readonly entry: string;
  readonly dataset: { readonly file: string; readonly cases: number };
  /** `routing`: stopped after the routing decision; `full`: the whole turn ran. */
  readonly mode: 'routing' | 'full';
  readonly repeat: number;
  /** The judge model, or null without `--judge`. */
  readonly judge: string | null;
  /** True when the run was stopped (Ctrl-C) and the report is partial. */
  readonly interrupted: boolean;
  /** One per setting: the first is the one gates apply to; a second with `--compare`. */
  readonly runs: readonly RunReport[];
  readonly gates: readonly GateResult[];
  /**
   * Paired comparisons (exact McNemar): each later setting against the first, and the first against
   * `--baseline`. Empty when there is nothing to compare.
   */
  readonly comparisons: readonly Comparison[];
  /** With several settings (`--compare`, `--models`): the labels on the cost–accuracy Pareto frontier. */
  readonly frontier: readonly string[] | null;
  /**
   * Who recorded the responses, when they were recorded (`--record`) or replayed (`--replay`): the
   * cassette's metadata, so a report replayed from a simulated recording says so. Null otherwise.
   */
  readonly recording: { readonly recordedWith: string; readonly note?: string } | null;
  /** Every gate passed and the run was not interrupted. */
  readonly passed: boolean;
}

export interface RunReport {
  readonly label: string;
  readonly models: Readonly<Record<string, string>>;
  readonly summary: Summary;
  /** Per label (each route, then `stay`): precision, recall and F1. */
  readonly routes: Readonly<Record<string, RouteReport>>;
  readonly confusion: ConfusionReport;
  readonly cost: CostReport;
  /** Per model: latency percentiles over real model calls. */
  readonly latency: Readonly<Record<string, LatencyReport>>;
  readonly judge: JudgeSummary | null;
  readonly cases: readonly CaseReport[];
}

export interface Summary {
  readonly cases: number;
  /** cases × repeat. */
  readonly attempts: number;
  /** Attempts that ran (correct + incorrect + errors). */
  readonly ran: number;
  readonly correct: number;
  readonly incorrect: number;
  readonly errors: number;
  readonly notRun: number;
  /** correct / ran (errors count as wrong); null when nothing ran. */
  readonly accuracy: number | null;
  /** 95 % Wilson score interval of `accuracy`, over cases (repeats do not narrow it). */
  readonly accuracyInterval: { readonly low: number; readonly high: number } | null;
  /** pass^k: the share of cases that ran whose every attempt was correct (= accuracy when repeat is 1). */
  readonly passAll: number | null;
  readonly passAllInterval: { readonly low: number; readonly high: number } | null;
  /** Ids of the flaky cases, in dataset order. */
  readonly flakyCases: readonly string[];
  /** Attempts where the entry said it would transfer the caller but made no handoff call. */
  readonly narratedHandoffs: number;
  /** Cases whose repetitions disagreed. */
  readonly flaky: number;
  /** `--full` only: attempts of cases with `handback` set, and how many did as expected. */
  readonly handback: { readonly evaluated: number; readonly correct: number } | null;
}

export interface RouteReport {
  readonly support: number;
  readonly predicted: number;
  readonly correct: number;
  readonly precision: number | null;
  readonly recall: number | null;
  /** 95 % Wilson interval of recall over the cases expecting this label; null when none does. */
  readonly recallInterval: { readonly low: number; readonly high: number } | null;
  readonly f1: number | null;
}

export interface ConfusionReport {
  /** Rows: expected label. */
  readonly labels: readonly string[];
  /** Columns: actual label, then `error`. */
  readonly columns: readonly string[];
  readonly matrix: readonly (readonly number[])[];
}

export interface TokenCost {
  readonly requests: number;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  /** USD; null when the model has no price. */
  readonly costUsd: number | null;
}

export interface CostReport {
  readonly currency: 'USD';
  /** Sum over priced models. */
  readonly totalUsd: number;
  /** Models with calls but no price (left out of the total). */
  readonly unpricedModels: readonly string[];
  readonly byModel: Readonly<Record<string, TokenCost>>;
}

export interface LatencyReport {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface JudgeSummary {
  readonly model: string;
  readonly scored: number;
  readonly errors: number;
  readonly meanScore: number | null;
  readonly distribution: Readonly<Record<'1' | '2' | '3' | '4' | '5', number>>;
  /** Correct routes whose reason scored 2 or less: right for the wrong reason. */
  readonly weakReasonsOnCorrectRoutes: number;
  readonly cost: TokenCost;
}

export type Verdict = 'correct' | 'incorrect' | 'flaky' | 'error' | 'not-run';

export interface CaseReport {
  readonly id: string;
  readonly expect: string;
  readonly tags: readonly string[];
  readonly line: number;
  readonly verdict: Verdict;
  readonly attempts: readonly AttemptReport[];
}

export interface AttemptReport {
  readonly status: 'ok' | 'error' | 'not-run';
  readonly actual: string | null;
  readonly correct: boolean | null;
  readonly reason: string | null;
  /** When the entry kept the caller: what it said (first 200 characters). */
  readonly reply?: string;
  /** The entry said it would transfer the caller but made no handoff call (a narrated handoff). */
  readonly narrated?: true;
  readonly error: { readonly kind: string; readonly message: string } | null;
  /** `--full` only. */
  readonly handoffs?: readonly string[];
  readonly handedBack?: boolean;
  /** Sum over this attempt's real model calls. */
  readonly latencyMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** With `--judge`, for attempts that handed off. */
  readonly judge?: { readonly score: number; readonly rationale: string } | { readonly error: string };
}

export interface ReportContext {
  readonly topology: string;
  readonly entry: string;
  readonly dataset: Dataset;
  readonly mode: 'routing' | 'full';
  readonly repeat: number;
  readonly judge?: string;
  /** Route ids in authoring order (the confusion matrix rows before `stay`). */
  readonly routes: readonly string[];
  readonly prices: PriceTable;
  readonly recording?: { readonly recordedWith: string; readonly note?: string } | undefined;
}

/** Build the report, without gates (see withGates). */
export function buildReport(outcome: EvalOutcome, context: ReportContext): EvalReport {
  return {
    version: REPORT_VERSION,
    topology: context.topology,
    entry: context.entry,
    dataset: { file: context.dataset.file, cases: context.dataset.cases.length },
    mode: context.mode,
    repeat: context.repeat,
    judge: context.judge ?? null,
    interrupted: outcome.interrupted,
    runs: outcome.settings.map((s) => runReport(s, context)),
    gates: [],
    comparisons: [],
    frontier: null,
    recording: context.recording ? { recordedWith: context.recording.recordedWith, ...(context.recording.note !== undefined ? { note: context.recording.note } : {}) } : null,
    passed: !outcome.interrupted,
  };
}

export function withGates(report: EvalReport, gates: readonly GateResult[]): EvalReport {
  return { ...report, gates, passed: !report.interrupted && gates.every((g) => g.passed) };
}

function runReport(setting: SettingResult, context: ReportContext): RunReport {
  const byCase = new Map<string, AttemptResult[]>();
  for (const a of setting.attempts) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a]);
  const ran = setting.attempts.filter((a) => a.status !== 'not-run');
  const expectOf = new Map(context.dataset.cases.map((c) => [c.id, c]));
  const correct = ran.filter((a) => a.status === 'ok' && a.actual === expectOf.get(a.caseId)?.expect).length;
  const errors = ran.filter((a) => a.status === 'error').length;
  const matrix = confusion(
    ran.map((a) => ({ expected: expectOf.get(a.caseId)!.expect, actual: a.status === 'ok' ? a.actual : undefined })),
    [...context.routes, STAY],
  );
  const scores = routeScores(matrix);
  const cases = context.dataset.cases.map((c) => caseReport(c, byCase.get(c.id) ?? []));
  const perCase = context.dataset.cases.map((c) => {
    const attempts = (byCase.get(c.id) ?? []).filter((a) => a.status !== 'not-run');
    return { expect: c.expect, ran: attempts.length, correct: attempts.filter((a) => a.status === 'ok' && a.actual === c.expect).length };
  });
  const level = caseLevel(perCase);
  // Over cases, not attempts: n is the number of cases, the centre the attempt accuracy.
  const interval = ran.length > 0 ? wilson((correct / ran.length) * level.cases, level.cases) : undefined;
  const casesExpecting = (label: string) => perCase.filter((c) => c.expect === label && c.ran > 0).length;
  let handback: Summary['handback'] = null;
  if (context.mode === 'full') {
    const evaluated = ran.filter((a) => a.status === 'ok' && expectOf.get(a.caseId)!.handback !== undefined);
    handback = { evaluated: evaluated.length, correct: evaluated.filter((a) => a.handedBack === expectOf.get(a.caseId)!.handback).length };
  }
  const calls = ran.flatMap((a) => a.calls);
  return {
    label: setting.label,
    models: setting.models,
    summary: {
      cases: context.dataset.cases.length,
      attempts: setting.attempts.length,
      ran: ran.length,
      correct,
      incorrect: ran.length - correct - errors,
      errors,
      notRun: setting.attempts.length - ran.length,
      accuracy: ran.length > 0 ? round(correct / ran.length) : null,
      accuracyInterval: interval ? { low: round(interval.low), high: round(interval.high) } : null,
      passAll: level.passAll === null ? null : round(level.passAll),
      passAllInterval: level.passAllInterval ? { low: round(level.passAllInterval.low), high: round(level.passAllInterval.high) } : null,
      flaky: cases.filter((c) => c.verdict === 'flaky').length,
      flakyCases: cases.filter((c) => c.verdict === 'flaky').map((c) => c.id),
      narratedHandoffs: ran.filter((a) => a.status === 'ok' && a.actual === STAY && isNarratedHandoff(a.reply)).length,
      handback,
    },
    routes: Object.fromEntries(
      [...scores].map(([label, s]) => [
        label,
        {
          support: s.support,
          predicted: s.predicted,
          correct: s.correct,
          precision: ratio(s.precision),
          recall: ratio(s.recall),
          recallInterval: intervalOf(s.recall, casesExpecting(label)),
          f1: ratio(s.f1),
        },
      ]),
    ),
    confusion: { labels: matrix.labels, columns: matrix.columns, matrix: matrix.matrix },
    cost: costReport(calls, context.prices),
    latency: latencyReport(calls),
    judge: context.judge ? judgeSummary(context.judge, ran, expectOf, context.prices) : null,
    cases,
  };
}

function intervalOf(share: number | undefined, cases: number): { low: number; high: number } | null {
  const interval = share === undefined ? undefined : wilson(share * cases, cases);
  return interval ? { low: round(interval.low), high: round(interval.high) } : null;
}

/** A case passes a paired comparison when every attempt that ran was correct; cases not run are left out. */
export function caseOutcomes(run: RunReport): CaseOutcome[] {
  return run.cases.filter((c) => c.verdict !== 'not-run').map((c) => ({ id: c.id, expect: c.expect, passed: c.verdict === 'correct' }));
}

export interface BaselineCases {
  readonly file: string;
  readonly cases: readonly CaseOutcome[];
}

/**
 * Add the paired comparisons (each later setting against the first; the first against the baseline)
 * and, with several settings, the cost–accuracy frontier.
 */
export function withComparisons(report: EvalReport, options: { readonly baseline?: BaselineCases; readonly alpha?: number } = {}): EvalReport {
  const labels = report.runs[0]?.confusion.labels ?? [];
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const comparisons: Comparison[] = [];
  const [first, ...rest] = report.runs;
  if (first && options.baseline) comparisons.push(compareRuns(options.baseline.cases, caseOutcomes(first), { baseline: options.baseline.file, candidate: first.label }, labels, alpha));
  if (first) for (const run of rest) comparisons.push(compareRuns(caseOutcomes(first), caseOutcomes(run), { baseline: first.label, candidate: run.label }, labels, alpha));
  const frontier =
    report.runs.length > 1
      ? paretoSet(report.runs.map((r) => ({ label: r.label, accuracy: r.summary.accuracy, costPerCase: r.cost.unpricedModels.length > 0 || r.summary.ran === 0 ? null : r.cost.totalUsd / r.summary.ran })))
      : null;
  return { ...report, comparisons, frontier };
}

function ratio(value: number | undefined): number | null {
  return value === undefined ? null : round(value);
}

function caseReport(c: EvalCase, attempts: readonly AttemptResult[]): CaseReport {
  return {
    id: c.id,
    expect: c.expect,
    tags: c.tags,
    line: c.line,
    verdict: verdictOf(c, attempts),
    attempts: attempts.map((a) => attemptReport(c, a)),
  };
}

export function verdictOf(c: EvalCase, attempts: readonly AttemptResult[]): Verdict {
  const ran = attempts.filter((a) => a.status !== 'not-run');
  if (ran.length === 0) return 'not-run';
  const values = new Set(ran.map((a) => (a.status === 'error' ? '\0error' : a.actual)));
  if (values.size > 1) return 'flaky';
  const [value] = values;
  if (value === '\0error') return 'error';
  return value === c.expect ? 'correct' : 'incorrect';
}

function attemptReport(c: EvalCase, a: AttemptResult): AttemptReport {
  const usage = a.calls.reduce((sum, call) => addUsage(sum, call.usage), ZERO_USAGE);
  const reply = a.actual === STAY && a.reply !== undefined ? (a.reply.length > 200 ? `${a.reply.slice(0, 199)}…` : a.reply) : undefined;
  return {
    status: a.status,
    actual: a.status === 'ok' ? (a.actual ?? null) : null,
    correct: a.status === 'not-run' ? null : a.status === 'ok' && a.actual === c.expect,
    reason: a.reason ?? null,
    ...(reply !== undefined ? { reply } : {}),
    ...(a.status === 'ok' && a.actual === STAY && isNarratedHandoff(a.reply) ? { narrated: true as const } : {}),
    error: a.error ? { kind: a.error.kind, message: a.error.message } : null,
    ...(a.handoffs ? { handoffs: a.handoffs } : {}),
    ...(a.handedBack !== undefined ? { handedBack: a.handedBack } : {}),
    latencyMs: a.calls.reduce((sum, call) => sum + call.latencyMs, 0),
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    ...(a.judge ? { judge: 'error' in a.judge ? { error: a.judge.error } : { score: a.judge.score, rationale: a.judge.rationale } } : {}),
  };
}

function tokenCost(calls: readonly CallRecord[], model: string, prices: PriceTable): TokenCost {
  const usage = calls.reduce((sum, call) => addUsage(sum, call.usage), ZERO_USAGE);
  const price = priceFor(prices, model);
  return {
    requests: calls.length,
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    outputTokens: usage.outputTokens,
    costUsd: price ? round(costOf(usage, price), 6) : null,
  };
}

function byModel(calls: readonly CallRecord[]): Map<string, CallRecord[]> {
  const groups = new Map<string, CallRecord[]>();
  for (const call of calls) groups.set(call.model, [...(groups.get(call.model) ?? []), call]);
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function costReport(calls: readonly CallRecord[], prices: PriceTable): CostReport {
  const models: Record<string, TokenCost> = {};
  const unpriced: string[] = [];
  let total = 0;
  for (const [model, group] of byModel(calls)) {
    const cost = tokenCost(group, model, prices);
    models[model] = cost;
    if (cost.costUsd === null) unpriced.push(model);
    else total += cost.costUsd;
  }
  return { currency: 'USD', totalUsd: round(total, 6), unpricedModels: unpriced, byModel: models };
}

export function latencyReport(calls: readonly CallRecord[]): Record<string, LatencyReport> {
  const out: Record<string, LatencyReport> = {};
  for (const [model, group] of byModel(calls)) {
    const values = group.map((c) => c.latencyMs);
    out[model] = { requests: group.length, p50Ms: percentile(values, 50)!, p95Ms: percentile(values, 95)! };
  }
  return out;
}

function judgeSummary(model: string, ran: readonly AttemptResult[], expectOf: ReadonlyMap<string, EvalCase>, prices: PriceTable): JudgeSummary {
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let scored = 0;
  let errors = 0;
  let sum = 0;
  let weak = 0;
  for (const a of ran) {
    if (!a.judge) continue;
    if ('error' in a.judge) {
      errors++;
      continue;
    }
    scored++;
    sum += a.judge.score;
    distribution[String(a.judge.score) as keyof typeof distribution]++;
    if (a.judge.score <= 2 && a.actual === expectOf.get(a.caseId)?.expect) weak++;
  }
  return {
    model,
    scored,
    errors,
    meanScore: scored > 0 ? round(sum / scored, 2) : null,
    distribution,
    weakReasonsOnCorrectRoutes: weak,
    cost: tokenCost(ran.flatMap((a) => a.judgeCalls ?? []), model, prices),
  };
}
