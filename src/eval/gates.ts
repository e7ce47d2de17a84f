/** CI gates over a run report: minimum accuracy, per-route minimum recall, maximum drop from a baseline. */
import { didYouMean, listNames } from '../diagnostics/suggest.js';
import type { EvalReport, RunReport } from './report.js';
import type { CaseOutcome, Comparison } from './statistics.js';
import { REPORT_VERSION } from './report.js';

export interface GateSpec {
  readonly minAccuracy?: number;
  /** Route (or `stay`) → minimum recall. */
  readonly minRecall?: Readonly<Record<string, number>>;
  /** Accuracy and per-case outcomes of the baseline report's first run. */
  readonly baseline?: Baseline;
  /** Allowed drop below the baseline's accuracy (default 0). */
  readonly maxDrop?: number;
  readonly maxErrors?: number;
  /** Fail when a paired comparison shows a significant drop (exact McNemar, p < alpha). */
  readonly noSignificantDrop?: { readonly alpha: number };
}

export interface Baseline {
  readonly file: string;
  readonly accuracy: number;
  /** Per case: passed (every attempt correct) or not; cases the baseline did not run are left out. */
  readonly cases?: readonly CaseOutcome[];
}

export interface GateResult {
  /** `min-accuracy`, `min-recall:<route>`, `max-drop` or `max-errors`. */
  readonly gate: string;
  readonly passed: boolean;
  /** The measured value (null when there was nothing to measure). */
  readonly actual: number | null;
  /** The bound it was held to. */
  readonly threshold: number;
  /** One line for people. */
  readonly message: string;
}

export class GateSpecError extends Error {
  override readonly name = 'GateSpecError';
}

/** A ratio in [0, 1]; also accepts a percentage such as `90%`. */
export function parseRatio(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!match) throw new GateSpecError(`${flag} expects a number between 0 and 1 (or a percentage), got "${text}"`);
  const value = Number(match[1]) / (match[2] ? 100 : 1);
  if (value < 0 || value > 1) throw new GateSpecError(`${flag} must be between 0 and 1 (or 0% and 100%), got "${text}"`);
  return value;
}

/** `billing=0.9` → ['billing', 0.9]. */
export function parseRecallSpec(text: string): [route: string, min: number] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new GateSpecError(`--min-recall expects <route>=<ratio>, e.g. billing=0.9; got "${text}"`);
  return [text.slice(0, eq).trim(), parseRatio(text.slice(eq + 1), `--min-recall ${text.slice(0, eq).trim()}`)];
}

/** Check that every `--min-recall` route is a label of the evaluation. */
export function checkRecallRoutes(spec: GateSpec, labels: readonly string[]): void {
  for (const route of Object.keys(spec.minRecall ?? {})) {
    if (labels.includes(route)) continue;
    const suggestion = didYouMean(route, labels);
    throw new GateSpecError(`--min-recall: \`${route}\` is not a route${suggestion ? `; did you mean \`${suggestion}\`?` : ''} (routes: ${listNames(labels)})`);
  }
}

/** The accuracy of a baseline report (its first run). */
export function readBaseline(text: string, file: string): Baseline {
  let data: Partial<EvalReport>;
  try {
    data = JSON.parse(text) as Partial<EvalReport>;
  } catch (error) {
    throw new GateSpecError(`--baseline ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (data?.version !== REPORT_VERSION || !Array.isArray(data.runs) || data.runs.length === 0) {
    throw new GateSpecError(`--baseline ${file} is not a switchboard eval report (version ${REPORT_VERSION}, written with --report-json)`);
  }
  const accuracy = data.runs[0]?.summary?.accuracy;
  if (typeof accuracy !== 'number') throw new GateSpecError(`--baseline ${file} has no accuracy (did that run evaluate any case?)`);
  const cases: CaseOutcome[] = [];
  for (const c of data.runs[0]?.cases ?? []) {
    if (typeof c?.id !== 'string' || typeof c.expect !== 'string' || typeof c.verdict !== 'string') continue;
    if (c.verdict !== 'not-run') cases.push({ id: c.id, expect: c.expect, passed: c.verdict === 'correct' });
  }
  return { file, accuracy, cases };
}

const pct = (value: number) => `${(Math.round(value * 1000) / 10).toString()}%`;

/** Evaluate the gates on a run (the first run of a report). Pure. */
export function evaluateGates(run: RunReport, spec: GateSpec): GateResult[] {
  const results: GateResult[] = [];
  const accuracy = run.summary.accuracy;
  if (spec.minAccuracy !== undefined) {
    const passed = accuracy !== null && accuracy >= spec.minAccuracy;
    results.push({
      gate: 'min-accuracy',
      passed,
      actual: accuracy,
      threshold: spec.minAccuracy,
      message: accuracy === null ? `accuracy: no case ran (minimum ${pct(spec.minAccuracy)})` : `accuracy ${pct(accuracy)} ${passed ? '≥' : '<'} minimum ${pct(spec.minAccuracy)}`,
    });
  }
  for (const [route, min] of Object.entries(spec.minRecall ?? {})) {
    const recall = run.routes[route]?.recall ?? null;
    const passed = recall !== null && recall >= min;
    results.push({
      gate: `min-recall:${route}`,
      passed,
      actual: recall,
      threshold: min,
      message: recall === null ? `recall of ${route}: no case expects it (minimum ${pct(min)})` : `recall of ${route} ${pct(recall)} ${passed ? '≥' : '<'} minimum ${pct(min)}`,
    });
  }
  if (spec.baseline) {
    const drop = spec.maxDrop ?? 0;
    const floor = Math.round((spec.baseline.accuracy - drop) * 1e6) / 1e6;
    const passed = accuracy !== null && accuracy >= floor;
    results.push({
      gate: 'max-drop',
      passed,
      actual: accuracy,
      threshold: floor,
      message:
        accuracy === null
          ? `accuracy: no case ran (baseline ${pct(spec.baseline.accuracy)} from ${spec.baseline.file})`
          : `accuracy ${pct(accuracy)} vs baseline ${pct(spec.baseline.accuracy)} (${spec.baseline.file}): ${passed ? 'within' : 'dropped more than'} the allowed ${pct(drop)}`,
    });
  }
  if (spec.maxErrors !== undefined) {
    const passed = run.summary.errors <= spec.maxErrors;
    results.push({
      gate: 'max-errors',
      passed,
      actual: run.summary.errors,
      threshold: spec.maxErrors,
      message: `${run.summary.errors} failed attempt(s) ${passed ? '≤' : '>'} maximum ${spec.maxErrors}`,
    });
  }
  return results;
}

const pValueText = (p: number) => (p < 0.0001 ? p.toExponential(2) : String(Math.round(p * 10000) / 10000));

/**
 * The "no significant drop" gate, on the comparisons that judge the gated setting: against the
 * baseline when there is one, else each compared setting against the first.
 */
export function significanceGates(comparisons: readonly Comparison[], spec: GateSpec): GateResult[] {
  if (!spec.noSignificantDrop) return [];
  const { alpha } = spec.noSignificantDrop;
  const judged = spec.baseline?.cases ? comparisons.filter((c) => c.baseline === spec.baseline!.file) : comparisons;
  if (judged.length === 0) {
    return [{ gate: 'no-significant-drop', passed: false, actual: null, threshold: alpha, message: 'no significant drop: nothing to compare (give --baseline or --compare)' }];
  }
  return judged.map((c) => ({
    gate: spec.baseline ? 'no-significant-drop' : `no-significant-drop:${c.candidate}`,
    passed: !c.significantDrop,
    actual: c.overall.pValue,
    threshold: alpha,
    message:
      `${c.candidate} vs ${c.baseline}: ${c.overall.fixed} fixed, ${c.overall.broken} broken of ${c.overall.cases} paired cases, ` +
      `McNemar p = ${pValueText(c.overall.pValue)}: ${c.significantDrop ? `significant drop (p < ${alpha})` : 'no significant drop'}`,
  }));
}

/**
 * Attempts that end in errors fail the run by default (a stale cassette, a broken provider): the
 * `errors` gate, added unless `--allow-errors` or `--max-errors` says otherwise. Listed only when
 * something errored, so a clean run's gates are the ones asked for.
 */
export function errorGate(run: RunReport): GateResult[] {
  if (run.summary.errors === 0) return [];
  return [
    {
      gate: 'errors',
      passed: false,
      actual: run.summary.errors,
      threshold: 0,
      message: `${run.summary.errors} attempt(s) failed with errors (see the errors above; --allow-errors accepts them, --max-errors n allows up to n)`,
    },
  ];
}
