/**
 * Statistics that answer "is B better than A, or is it noise?": the exact McNemar test on paired
 * cases (overall and per route), Wilson intervals computed over cases (not attempts), pass^k, and the
 * cost–accuracy Pareto set. Pure functions over plain data; docs/eval.md explains each choice.
 */
import { wilson, type Interval } from './metrics.js';

export { wilson, type Interval };

/** The significance level the "no significant drop" gate uses unless told otherwise. */
export const DEFAULT_ALPHA = 0.05;

/**
 * Two-sided exact binomial p-value for `k` of `n` under p = 0.5: the probability of a split at least
 * as uneven as k : n − k. Summed in log space so n in the tens of thousands stays exact to ~1e-12.
 */
export function binomialTwoSided(k: number, n: number): number {
  if (n <= 0) return 1;
  const low = Math.min(k, n - k);
  let tail = 0;
  if (n <= 1000) {
    // C(n, i) / 2^n term by term: exact for small n (2^-n is a double down to n = 1074).
    let term = 0.5 ** n;
    for (let i = 0; i <= low; i++) {
      tail += term;
      term = (term * (n - i)) / (i + 1);
    }
  } else {
    let logC = 0; // log C(n, 0)
    const logHalfN = n * Math.LN2;
    for (let i = 0; i <= low; i++) {
      tail += Math.exp(logC - logHalfN);
      logC += Math.log(n - i) - Math.log(i + 1);
    }
  }
  return Math.min(1, 2 * tail);
}

/**
 * Exact McNemar test: of the discordant pairs, `fixed` went wrong → right and `broken` right → wrong.
 * Under "no difference" each discordant pair is a fair coin, so p = the two-sided binomial tail.
 */
export function mcnemarExact(fixed: number, broken: number): number {
  return binomialTwoSided(Math.min(fixed, broken), fixed + broken);
}

/** A case's result in one run: whether it passed (every attempt correct), and its label. */
export interface CaseOutcome {
  readonly id: string;
  /** The expected route (or `stay`): the per-route tables group by it. */
  readonly expect: string;
  readonly passed: boolean;
}

export interface McNemarResult {
  /** Paired cases (present and run on both sides). */
  readonly cases: number;
  readonly bothCorrect: number;
  readonly bothWrong: number;
  /** Wrong in the baseline, right in the candidate. */
  readonly fixed: number;
  /** Right in the baseline, wrong in the candidate. */
  readonly broken: number;
  /** Two-sided exact McNemar p-value (1 when nothing changed). */
  readonly pValue: number;
  readonly baselineAccuracy: number | null;
  readonly candidateAccuracy: number | null;
}

export interface Comparison {
  /** What the candidate is compared with: the baseline file or the first setting's label. */
  readonly baseline: string;
  readonly candidate: string;
  readonly alpha: number;
  readonly overall: McNemarResult;
  /** Per expected label, in the order given. */
  readonly routes: Readonly<Record<string, McNemarResult>>;
  /** Case ids wrong → right, and right → wrong, in dataset order. */
  readonly fixedCases: readonly string[];
  readonly brokenCases: readonly string[];
  /** Case ids present (and run) on only one side: left out of the test. */
  readonly unpaired: readonly string[];
  /** More broken than fixed, and p < alpha. */
  readonly significantDrop: boolean;
}

function mcnemarOf(pairs: readonly (readonly [boolean, boolean])[]): McNemarResult {
  let bothCorrect = 0;
  let bothWrong = 0;
  let fixed = 0;
  let broken = 0;
  for (const [a, b] of pairs) {
    if (a && b) bothCorrect++;
    else if (!a && !b) bothWrong++;
    else if (b) fixed++;
    else broken++;
  }
  const n = pairs.length;
  return {
    cases: n,
    bothCorrect,
    bothWrong,
    fixed,
    broken,
    pValue: significant(mcnemarExact(fixed, broken)),
    baselineAccuracy: n > 0 ? roundRatio((bothCorrect + broken) / n) : null,
    candidateAccuracy: n > 0 ? roundRatio((bothCorrect + fixed) / n) : null,
  };
}

/** Pair two runs' cases by id (candidate order) and test them, overall and per expected label. */
export function compareRuns(
  baseline: readonly CaseOutcome[],
  candidate: readonly CaseOutcome[],
  names: { readonly baseline: string; readonly candidate: string },
  labels: readonly string[],
  alpha = DEFAULT_ALPHA,
): Comparison {
  const before = new Map(baseline.map((c) => [c.id, c]));
  const paired: { id: string; expect: string; a: boolean; b: boolean }[] = [];
  const unpaired: string[] = [];
  for (const c of candidate) {
    const b = before.get(c.id);
    if (b) paired.push({ id: c.id, expect: c.expect, a: b.passed, b: c.passed });
    else unpaired.push(c.id);
  }
  const seen = new Set(candidate.map((c) => c.id));
  for (const c of baseline) if (!seen.has(c.id)) unpaired.push(c.id);
  const allLabels = [...labels, ...[...new Set(paired.map((p) => p.expect))].filter((l) => !labels.includes(l))];
  const routes: Record<string, McNemarResult> = {};
  for (const label of allLabels) routes[label] = mcnemarOf(paired.filter((p) => p.expect === label).map((p) => [p.a, p.b] as const));
  const overall = mcnemarOf(paired.map((p) => [p.a, p.b] as const));
  return {
    baseline: names.baseline,
    candidate: names.candidate,
    alpha,
    overall,
    routes,
    fixedCases: paired.filter((p) => !p.a && p.b).map((p) => p.id),
    brokenCases: paired.filter((p) => p.a && !p.b).map((p) => p.id),
    unpaired,
    significantDrop: overall.broken > overall.fixed && overall.pValue < alpha,
  };
}

/** One case's attempts, as the case-level statistics need them. */
export interface CaseAttempts {
  /** Attempts that ran (errors included). */
  readonly ran: number;
  readonly correct: number;
}

export interface CaseLevelStats {
  /** Cases with at least one attempt that ran. */
  readonly cases: number;
  /** Mean over cases of each case's share of correct attempts (= attempt accuracy when every case ran k times). */
  readonly accuracy: number | null;
  /**
   * 95 % Wilson interval with n = cases: repeating a case measures its stability, not new evidence
   * about the population of callers, so repeats never narrow the interval.
   */
  readonly interval: Interval | null;
  /** pass^k: the share of cases correct on every one of their attempts. */
  readonly passAll: number | null;
  readonly passAllInterval: Interval | null;
}

export function caseLevel(cases: readonly CaseAttempts[]): CaseLevelStats {
  const ran = cases.filter((c) => c.ran > 0);
  if (ran.length === 0) return { cases: 0, accuracy: null, interval: null, passAll: null, passAllInterval: null };
  const n = ran.length;
  const mean = ran.reduce((sum, c) => sum + c.correct / c.ran, 0) / n;
  const all = ran.filter((c) => c.correct === c.ran).length;
  return { cases: n, accuracy: mean, interval: wilson(mean * n, n) ?? null, passAll: all / n, passAllInterval: wilson(all, n) ?? null };
}

export interface FrontierPoint {
  readonly label: string;
  readonly accuracy: number | null;
  /** USD per case (null when a model had no price). */
  readonly costPerCase: number | null;
}

/**
 * The Pareto set: settings no other setting beats on both accuracy (higher) and cost (lower) while
 * being at least as good on the other. Settings without an accuracy or a cost are never on it.
 */
export function paretoSet(points: readonly FrontierPoint[]): string[] {
  const known = points.filter((p): p is FrontierPoint & { accuracy: number; costPerCase: number } => p.accuracy !== null && p.costPerCase !== null);
  return known
    .filter((p) => !known.some((q) => q !== p && q.accuracy >= p.accuracy && q.costPerCase <= p.costPerCase && (q.accuracy > p.accuracy || q.costPerCase < p.costPerCase)))
    .map((p) => p.label);
}

/** Six significant digits: p-values can be tiny, so ratio rounding (4 decimals) would lose them. */
export function significant(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(6));
}

function roundRatio(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
