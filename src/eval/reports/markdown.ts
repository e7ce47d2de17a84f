/**
 * Markdown for a pull-request comment (`--markdown`): verdict, summary, gates, confusion matrix,
 * per-route scores, misrouted cases, errors, flaky cases and (with --judge) the reason scores.
 *
 * Every string from the dataset, the topology, the command line or a model goes through `text` or
 * `code` (the review page's escaper, with bare URLs kept inert), so it renders as exactly itself: no
 * HTML, links, images, emphasis or table cells of its own. Only numbers and this file's own words are
 * written raw.
 */
import { markdownCode, markdownText } from '../../emit/markdown/escape-markdown.js';
import type { CaseReport, EvalReport, RunReport } from '../report.js';
import { accuracyText, costText, detailText, fixed, intervalText, latencyText, modelsText, outcomeText, pct, pValueText, rangeText } from './format.js';

/** At most this many rows in the misrouted / error tables; the JSON report has them all. */
const MAX_ROWS = 50;

export function formatMarkdown(report: EvalReport): string {
  const run = report.runs[0];
  const lines: string[] = [];
  // No gates: nothing passed or failed, so no verdict icon pretends otherwise.
  const icon = report.interrupted ? '⚠️' : report.gates.length === 0 ? '📊' : report.passed ? '✅' : '❌';
  lines.push(`## ${icon} Routing eval: ${code(report.topology)}${run ? ` — ${accuracyText(run)}` : ''}`);
  lines.push('');
  const mode = report.mode === 'full' ? 'full turns' : 'routing decisions only';
  lines.push(
    `Dataset ${code(report.dataset.file)}: ${report.dataset.cases} cases${report.repeat > 1 ? ` × ${report.repeat} repeats` : ''}, ${mode}.` +
      (report.interrupted ? ' **Interrupted: this report is partial.**' : ''),
  );
  lines.push('');
  if (report.recording && report.recording.recordedWith !== 'openai') {
    lines.push(`> Responses recorded with ${code(report.recording.recordedWith)}${report.recording.note ? `: ${text(report.recording.note)}` : ''}`, '');
  }
  lines.push('| setting | accuracy | 95% CI | errors | flaky | cost | latency (p50 / p95) |');
  lines.push('|---|---:|---:|---:|---:|---:|---|');
  const frontier = report.frontier ?? [];
  for (const r of report.runs) {
    lines.push(row([`${code(r.label)}${frontier.includes(r.label) ? ' ★' : ''}`, accuracyText(r), intervalText(r), String(r.summary.errors), String(r.summary.flaky), text(costText(r)), text(latencyText(r))]));
  }
  lines.push('');
  if (frontier.length > 0) lines.push('★ on the cost–accuracy Pareto frontier.', '');
  for (const c of report.comparisons ?? []) {
    const o = c.overall;
    const verdict = c.significantDrop ? `**significant drop** (p < ${c.alpha})` : 'no significant drop';
    lines.push(`### Paired comparison: ${code(c.candidate)} vs ${code(c.baseline)}`, '');
    lines.push(`Exact McNemar over ${o.cases} paired cases: ${o.fixed} fixed, ${o.broken} broken, p = ${pValueText(o.pValue)}: ${verdict}.`, '');
    lines.push('| route | cases | before | after | fixed | broken | p |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const [label, r] of Object.entries(c.routes)) {
      if (r.cases > 0) lines.push(row([code(label), String(r.cases), pct(r.baselineAccuracy), pct(r.candidateAccuracy), String(r.fixed), String(r.broken), pValueText(r.pValue)]));
    }
    lines.push('');
    if (c.fixedCases.length > 0) lines.push(`Fixed (wrong → right): ${c.fixedCases.slice(0, MAX_ROWS).map(code).join(', ')}`, '');
    if (c.brokenCases.length > 0) lines.push(`Broken (right → wrong): ${c.brokenCases.slice(0, MAX_ROWS).map(code).join(', ')}`, '');
  }
  if (report.gates.length > 0) {
    lines.push('### Gates', '');
    for (const g of report.gates) lines.push(`- ${g.passed ? '✅' : '❌'} ${text(g.message)}`);
    lines.push('');
  }
  if (!run) return `${lines.join('\n')}\n`;
  if (report.runs.length > 1) lines.push(`Details below are for ${code(run.label)} (${text(modelsText(run.models))}).`, '');
  else lines.push(`Models: ${text(modelsText(run.models))}.`, '');

  lines.push('### Confusion matrix', '', 'Rows: expected route. Columns: route taken.', '');
  lines.push(row(['expected \\\\ actual', ...run.confusion.columns.map(code)]));
  lines.push(`|---|${run.confusion.columns.map(() => '---:').join('|')}|`);
  run.confusion.labels.forEach((label, i) => {
    const cells = run.confusion.matrix[i]!.map((n, j) => (j === i ? `**${n}**` : n === 0 ? '·' : String(n)));
    lines.push(row([code(label), ...cells]));
  });
  lines.push('');

  lines.push('### Per route', '');
  lines.push('| route | precision | recall | recall 95% CI | F1 | support |', '|---|---:|---:|---:|---:|---:|');
  for (const [label, r] of Object.entries(run.routes)) lines.push(row([code(label), pct(r.precision), pct(r.recall), rangeText(r.recallInterval), fixed(r.f1), String(r.support)]));
  lines.push('');

  const misrouted = run.cases.filter((c) => c.verdict === 'incorrect');
  lines.push(`### Misrouted cases (${misrouted.length})`, '');
  if (misrouted.length === 0) lines.push('None.', '');
  else lines.push(...caseTable(misrouted), '');

  const errors = run.cases.filter((c) => c.verdict === 'error');
  if (errors.length > 0) lines.push(`### Errors (${errors.length})`, '', ...caseTable(errors), '');
  const flaky = run.cases.filter((c) => c.verdict === 'flaky');
  if (flaky.length > 0) lines.push(`### Flaky cases (${flaky.length})`, '', ...caseTable(flaky), '');
  if (report.repeat > 1 && run.summary.passAll !== null) lines.push(`pass^${report.repeat}: ${pct(run.summary.passAll)} of cases were correct on every attempt (95% CI ${rangeText(run.summary.passAllInterval)}).`, '');
  const narrated = run.cases.filter((c) => c.attempts.some((a) => a.narrated));
  if (narrated.length > 0) lines.push(`### Narrated handoffs (${narrated.length})`, '', 'The entry said it would transfer the caller but made no handoff call.', '', ...caseTable(narrated), '');

  if (run.summary.handback && run.summary.handback.evaluated > 0) {
    lines.push('### Hand-backs', '', `${run.summary.handback.correct} of ${run.summary.handback.evaluated} attempts handed back (or not) as expected.`, '');
  }
  if (run.judge) lines.push(...judgeSection(run));
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

function caseTable(cases: readonly CaseReport[]): string[] {
  const out = ['| case | expected | actual | reason / error | tags |', '|---|---|---|---|---|'];
  for (const c of cases.slice(0, MAX_ROWS)) {
    out.push(row([code(c.id), code(c.expect), text(outcomeText(c)), text(clip(detailText(c), 160)), text(c.tags.join(', '))]));
  }
  if (cases.length > MAX_ROWS) out.push(`| … ${cases.length - MAX_ROWS} more in the JSON report | | | | |`);
  return out;
}

function judgeSection(run: RunReport): string[] {
  const j = run.judge!;
  const d = j.distribution;
  const out = [
    '### Handoff reasons (judge)',
    '',
    `Judged by ${code(j.model)}, reported beside the structural score and never part of it: mean **${fixed(j.meanScore)}** / 5 over ${j.scored} handoffs` +
      `${j.errors ? `, ${j.errors} not scored` : ''}. Scores 1–5: ${d['1']} · ${d['2']} · ${d['3']} · ${d['4']} · ${d['5']}.` +
      `${j.weakReasonsOnCorrectRoutes ? ` ${j.weakReasonsOnCorrectRoutes} correct route(s) had a weak reason (≤ 2).` : ''}`,
    '',
  ];
  const weak = run.cases.flatMap((c) =>
    c.attempts.flatMap((a) => (a.judge && 'score' in a.judge && a.judge.score <= 2 ? [{ c, a, judge: a.judge }] : [])),
  );
  if (weak.length > 0) {
    out.push('| case | route | reason | score | rationale |', '|---|---|---|---:|---|');
    for (const { c, a, judge } of weak.slice(0, MAX_ROWS)) out.push(row([code(c.id), code(a.actual ?? ''), text(clip(a.reason ?? '', 120)), String(judge.score), text(clip(judge.rationale, 120))]));
    out.push('');
  }
  return out;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** User or model text, inline: renders as exactly itself. */
function text(value: string): string {
  return markdownText(value, { inertLinks: true });
}

/** User or model text as inline code. */
function code(value: string): string {
  return markdownCode(value, { inertLinks: true });
}

/** A table row of cells that are already Markdown (escaped by `text`/`code`, or written here). */
function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c || ' ').join(' | ')} |`;
}
