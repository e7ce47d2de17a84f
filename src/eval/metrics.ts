/** Pure statistics for routing evaluation: intervals, confusion matrices, per-route scores, percentiles. */

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson score interval for a binomial proportion (`k` successes in `n` trials); z = 1.96 gives 95 %.
 * Unlike the normal approximation it stays inside [0, 1] and behaves at 0/n and n/n.
 * Undefined for n = 0.
 */
export function wilson(k: number, n: number, z = 1.96): Interval | undefined {
  if (n <= 0) return undefined;
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Nearest-rank percentile (p in 0–100) of the values; undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** The column for attempts that failed with an error (no route was observed). */
export const ERROR_LABEL = 'error';

export interface Confusion {
  /** Row labels: the routes, then `stay`. */
  readonly labels: readonly string[];
  /** Column labels: `labels`, then `error`. */
  readonly columns: readonly string[];
  /** matrix[row = expected][column = actual]. */
  readonly matrix: readonly (readonly number[])[];
}

export interface Outcome {
  readonly expected: string;
  /** The route taken, `stay`, or undefined when the attempt errored. */
  readonly actual: string | undefined;
}

/**
 * Count outcomes into a confusion matrix over `labels`. Labels seen in outcomes but not listed are
 * appended (in first-seen order), so nothing is silently dropped.
 */
export function confusion(outcomes: readonly Outcome[], labels: readonly string[]): Confusion {
  const all = [...labels];
  for (const o of outcomes) {
    for (const label of [o.expected, o.actual]) if (label !== undefined && !all.includes(label)) all.push(label);
  }
  const columns = [...all, ERROR_LABEL];
  const matrix = all.map(() => columns.map(() => 0));
  for (const o of outcomes) {
    const row = all.indexOf(o.expected);
    const column = o.actual === undefined ? columns.length - 1 : all.indexOf(o.actual);
    matrix[row]![column]!++;
  }
  return { labels: all, columns, matrix };
}

export interface RouteScore {
  /** Attempts that expected this label (row total, errors included). */
  readonly support: number;
  /** Attempts that took this label (column total). */
  readonly predicted: number;
  readonly correct: number;
  /** correct / predicted; undefined when nothing was routed here. */
  readonly precision: number | undefined;
  /** correct / support (errors count as misses); undefined when nothing expected it. */
  readonly recall: number | undefined;
  /** Harmonic mean of precision and recall; undefined when either is. */
  readonly f1: number | undefined;
}

export function routeScores(matrix: Confusion): Map<string, RouteScore> {
  const scores = new Map<string, RouteScore>();
  matrix.labels.forEach((label, i) => {
    const row = matrix.matrix[i]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.matrix.reduce((sum, r) => sum + r[i]!, 0);
    const correct = row[i]!;
    const precision = predicted > 0 ? correct / predicted : undefined;
    const recall = support > 0 ? correct / support : undefined;
    const f1 = precision === undefined || recall === undefined ? undefined : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    scores.set(label, { support, predicted, correct, precision, recall, f1 });
  });
  return scores;
}

/** Round for stable, readable JSON (4 decimals for ratios, 6 for money). */
export function round(value: number, decimals = 4): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}
