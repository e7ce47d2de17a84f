/**
 * The summary `switchboard eval` prints: one block per setting, then the gates and the verdict. Every
 * string from the data, the command line or a model passes through `t` (terminalLine) before it is
 * coloured or padded.
 */
import type { CaseReport, EvalReport, RunReport } from '../report.js';
import type { Comparison } from '../statistics.js';
import { terminalLine as t } from '../terminal-text.js';
import { accuracyText, costText, detailText, fixed, intervalText, latencyText, modelsText, outcomeText, pct, pValueText, rangeText } from './format.js';

interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  good(s: string): string;
  bad(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const COLOR: Paint = { bold: ansi(1, 22), dim: ansi(2, 22), good: ansi(32, 39), bad: ansi(31, 39) };
const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, good: (s) => s, bad: (s) => s };

/** Cases listed per section before "… and N more". */
const MAX_LISTED = 20;

export function formatTerminal(report: EvalReport, options: { color?: boolean } = {}): string {
  const paint = options.color ? COLOR : PLAIN;
  const out: string[] = [];
  const mode = report.mode === 'full' ? 'full turns' : 'routing only';
  out.push(paint.bold(`switchboard eval ${t(report.topology)}`) + paint.dim(` · ${t(report.dataset.file)} · ${report.dataset.cases} cases${report.repeat > 1 ? ` × ${report.repeat}` : ''} · ${mode}`));
  if (report.interrupted) out.push(paint.bad('interrupted: partial results'));
  if (report.recording && report.recording.recordedWith !== 'openai') out.push(paint.dim(`responses recorded with ${t(report.recording.recordedWith)}${report.recording.note ? `: ${t(report.recording.note)}` : ''}`));
  for (const run of report.runs) out.push('', ...runBlock(run, paint, report.runs.length > 1));
  if (report.runs.length > 1) out.push('', ...compareBlock(report.runs, paint, report.frontier ?? []));
  for (const c of report.comparisons ?? []) out.push('', ...pairedBlock(c, paint));
  if (report.gates.length > 0) {
    out.push('', paint.bold('gates'));
    for (const g of report.gates) out.push(`  ${g.passed ? paint.good('✓') : paint.bad('✗')} ${t(g.message)}`);
  }
  const failed = report.gates.filter((g) => !g.passed).length;
  out.push('');
  if (report.interrupted) out.push(paint.bad('INTERRUPTED'));
  else if (failed > 0) out.push(paint.bad(`FAILED: ${failed} of ${report.gates.length} gate${report.gates.length === 1 ? '' : 's'} failed`));
  else if (report.gates.length > 0) out.push(paint.good('PASSED: every gate passed'));
  return `${out.join('\n')}\n`;
}

function runBlock(run: RunReport, paint: Paint, labelled: boolean): string[] {
  const s = run.summary;
  const out: string[] = [];
  out.push(paint.bold(labelled ? `[${t(run.label)}] ${t(modelsText(run.models))}` : t(modelsText(run.models))));
  out.push(
    `  accuracy  ${paint.bold(accuracyText(run))}  95% CI ${intervalText(run)}` +
      `${s.errors ? `  ${paint.bad(`${s.errors} error${s.errors === 1 ? '' : 's'}`)}` : ''}${s.flaky ? `  ${s.flaky} flaky` : ''}${s.notRun ? `  ${s.notRun} not run` : ''}`,
  );
  out.push(`  cost      ${t(costText(run))}`);
  out.push(`  latency   ${t(latencyText(run))}`);
  if (s.passAll !== undefined && s.passAll !== null && run.cases.some((c) => c.attempts.length > 1)) {
    out.push(`  pass^k    ${pct(s.passAll)} of cases correct on every attempt  95% CI ${rangeText(s.passAllInterval)}`);
  }
  if (s.narratedHandoffs) out.push(`  narrated  ${paint.bad(`${s.narratedHandoffs} narrated handoff${s.narratedHandoffs === 1 ? '' : 's'}`)} (said it would transfer, made no handoff call)`);
  if (s.handback && s.handback.evaluated > 0) out.push(`  handback  ${s.handback.correct}/${s.handback.evaluated} as expected`);
  if (run.judge) {
    const j = run.judge;
    out.push(`  judge     ${t(j.model)}: mean ${fixed(j.meanScore)}/5 over ${j.scored}${j.errors ? ` (${j.errors} not scored)` : ''}${j.weakReasonsOnCorrectRoutes ? `, ${j.weakReasonsOnCorrectRoutes} weak reason(s) on correct routes` : ''}`);
  }
  out.push('');
  const labels = Object.keys(run.routes).map(t);
  const columns = run.confusion.columns.map(t);
  const width = Math.max(8, ...labels.map((l) => l.length), ...columns.map((c) => c.length)) + 2;
  out.push(paint.dim(`  ${'route'.padEnd(width)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'f1'.padStart(6)}${'support'.padStart(9)}  recall 95% CI`));
  for (const [label, r] of Object.entries(run.routes)) {
    out.push(`  ${t(label).padEnd(width)}${pct(r.precision).padStart(10)}${pct(r.recall).padStart(8)}${fixed(r.f1).padStart(6)}${String(r.support).padStart(9)}  ${rangeText(r.recallInterval)}`);
  }
  out.push('');
  out.push(paint.dim(`  confusion (rows: expected, columns: actual)`));
  const cell = Math.max(6, ...columns.map((c) => c.length + 1));
  out.push(paint.dim(`  ${''.padEnd(width)}${columns.map((c) => c.padStart(cell)).join('')}`));
  run.confusion.labels.forEach((label, i) => {
    const cells = run.confusion.matrix[i]!.map((n, j) => {
      const text = String(n).padStart(cell);
      return j === i ? paint.bold(text) : n > 0 ? paint.bad(text) : paint.dim(text);
    });
    out.push(`  ${t(label).padEnd(width)}${cells.join('')}`);
  });
  out.push(...caseList('misrouted', run.cases.filter((c) => c.verdict === 'incorrect'), paint));
  out.push(...caseList('errors', run.cases.filter((c) => c.verdict === 'error'), paint));
  out.push(...caseList('flaky', run.cases.filter((c) => c.verdict === 'flaky'), paint));
  out.push(...caseList('narrated handoffs', run.cases.filter((c) => c.attempts.some((a) => a.narrated)), paint));
  return out;
}

function caseList(title: string, cases: readonly CaseReport[], paint: Paint): string[] {
  if (cases.length === 0) return [];
  const out = ['', paint.bold(`  ${title} (${cases.length})`)];
  for (const c of cases.slice(0, MAX_LISTED)) {
    const detail = detailText(c);
    out.push(`    ${t(c.id)}: expected ${t(c.expect)}, got ${t(outcomeText(c))}${detail ? paint.dim(` — ${t(clip(detail, 140))}`) : ''}`);
  }
  if (cases.length > MAX_LISTED) out.push(paint.dim(`    … and ${cases.length - MAX_LISTED} more (see the JSON report)`));
  return out;
}

function compareBlock(runs: readonly RunReport[], paint: Paint, frontier: readonly string[]): string[] {
  const width = Math.max(8, ...runs.map((r) => t(r.label).length)) + 4;
  const out = [paint.bold('compare'), paint.dim(`  ${'setting'.padEnd(width)}${'accuracy'.padStart(18)}${'95% CI'.padStart(14)}${'cost'.padStart(12)}${'per case'.padStart(12)}  latency`)];
  for (const r of runs) {
    const perCase = r.summary.ran > 0 && r.cost.unpricedModels.length === 0 ? `$${(r.cost.totalUsd / r.summary.ran).toFixed(6)}` : '—';
    const mark = frontier.includes(r.label) ? paint.good('* ') : '  ';
    out.push(`  ${mark}${t(r.label).padEnd(width - 2)}${accuracyText(r).padStart(18)}${intervalText(r).padStart(14)}${t(costText(r)).padStart(12)}${perCase.padStart(12)}  ${t(latencyText(r))}`);
  }
  if (frontier.length > 0) out.push(paint.dim('  * on the cost–accuracy Pareto frontier (no other setting is both cheaper and at least as accurate)'));
  return out;
}

function pairedBlock(c: Comparison, paint: Paint): string[] {
  const o = c.overall;
  const verdict = c.significantDrop ? paint.bad(`significant drop (p < ${c.alpha})`) : o.fixed > o.broken && o.pValue < c.alpha ? paint.good(`significant gain (p < ${c.alpha})`) : 'no significant difference';
  const out = [
    paint.bold(`paired comparison: ${t(c.candidate)} vs ${t(c.baseline)}`) + paint.dim(' (exact McNemar over cases)'),
    `  ${o.cases} paired cases: ${o.fixed} fixed, ${o.broken} broken, p = ${pValueText(o.pValue)}: ${verdict}`,
  ];
  const labels = Object.keys(c.routes).map(t);
  const width = Math.max(8, ...labels.map((l) => l.length)) + 2;
  out.push(paint.dim(`  ${'route'.padEnd(width)}${'cases'.padStart(7)}${'before'.padStart(9)}${'after'.padStart(9)}${'fixed'.padStart(7)}${'broken'.padStart(8)}${'p'.padStart(9)}`));
  for (const [label, r] of Object.entries(c.routes)) {
    if (r.cases === 0) continue;
    out.push(`  ${t(label).padEnd(width)}${String(r.cases).padStart(7)}${pct(r.baselineAccuracy).padStart(9)}${pct(r.candidateAccuracy).padStart(9)}${String(r.fixed).padStart(7)}${String(r.broken).padStart(8)}${pValueText(r.pValue).padStart(9)}`);
  }
  const list = (ids: readonly string[]) => ids.slice(0, MAX_LISTED).map(t).join(', ') + (ids.length > MAX_LISTED ? `, … and ${ids.length - MAX_LISTED} more` : '');
  if (c.fixedCases.length > 0) out.push(`  fixed (wrong → right): ${list(c.fixedCases)}`);
  if (c.brokenCases.length > 0) out.push(`  broken (right → wrong): ${paint.bad(list(c.brokenCases))}`);
  if (c.unpaired.length > 0) out.push(paint.dim(`  not paired (on one side only): ${list(c.unpaired)}`));
  return out;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
