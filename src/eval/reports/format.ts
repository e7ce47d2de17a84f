/** Number formatting shared by the human-readable reports. */
import type { CaseReport, RunReport } from '../report.js';

/** 0.9375 → `93.8%`. */
export function pct(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/** Dollars with enough precision for small evaluation runs. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  if (value < 1) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}

export function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function fixed(value: number | null, digits = 2): string {
  return value === null ? '—' : value.toFixed(digits);
}

/** `93.8% (60/64)`. */
export function accuracyText(run: RunReport): string {
  const s = run.summary;
  return `${pct(s.accuracy)} (${s.correct}/${s.ran})`;
}

export function intervalText(run: RunReport): string {
  const i = run.summary.accuracyInterval;
  return i ? `${pct(i.low)}–${pct(i.high)}` : '—';
}

/** `gpt-4o-mini p50 410 ms, p95 900 ms; gpt-4o …`. */
export function latencyText(run: RunReport): string {
  const parts = Object.entries(run.latency).map(([model, l]) => `${model} p50 ${ms(l.p50Ms)} / p95 ${ms(l.p95Ms)}`);
  return parts.length ? parts.join('; ') : '—';
}

export function costText(run: RunReport): string {
  const c = run.cost;
  return `${usd(c.totalUsd)}${c.unpricedModels.length ? ` (+ unpriced: ${c.unpricedModels.join(', ')})` : ''}`;
}

/** What a case's attempts did: `sales`, or `sales ×2, billing` over repetitions. */
export function outcomeText(c: CaseReport): string {
  const counts = new Map<string, number>();
  for (const a of c.attempts) {
    if (a.status === 'not-run') continue;
    const what = a.status === 'error' ? `error (${a.error?.kind})` : (a.actual ?? '?');
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return [...counts].map(([what, n]) => (n > 1 ? `${what} ×${n}` : what)).join(', ');
}

/** A case's first reason or error, for tables. */
export function detailText(c: CaseReport): string {
  const wrong = c.attempts.find((a) => a.status === 'error' || a.correct === false) ?? c.attempts[0];
  if (!wrong) return '';
  if (wrong.status === 'error') return wrong.error?.message ?? '';
  if (wrong.reason) return wrong.reason;
  return wrong.reply ? `replied: ${wrong.reply}` : '';
}

export function modelsText(models: Readonly<Record<string, string>>): string {
  return Object.entries(models).map(([id, model]) => `${id}=${model}`).join(', ');
}

/** A p-value for people: four decimals, or scientific notation below 0.0001. */
export function pValueText(p: number): string {
  return p < 0.0001 ? p.toExponential(2) : (Math.round(p * 10000) / 10000).toFixed(4);
}

/** `72.0–91.3%` for an interval, `—` without one. */
export function rangeText(i: { readonly low: number; readonly high: number } | null | undefined): string {
  return i ? `${pct(i.low)}–${pct(i.high)}` : '—';
}
