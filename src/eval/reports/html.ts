/**
 * The eval report as one self-contained HTML page (`switchboard eval --html`, and the preview's Eval
 * tab): a confusion heatmap, per-route recall bars with 95 % intervals, and the misrouted cases with
 * their reasons. No script at all; the one <style> block is allowed by its hash in the page's own
 * Content-Security-Policy, colours are classes, bars are SVG attributes. Every report string goes
 * through escapeHtml.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../../emit/html/escape-html.js';
import { wilson } from '../metrics.js';
import type { EvalReport, RunReport } from '../report.js';
import { accuracyText, intervalText, latencyText, pct, usd } from './format.js';

const STYLE = `
body { font-family: system-ui, "Liberation Sans", sans-serif; color: #222; margin: 1.5rem; max-width: 70rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; }
.verdict { font-weight: bold; padding: 0.1rem 0.5rem; }
.pass { background: #dfd; color: #060; } .fail { background: #fdd; color: #900; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
table.heatmap td { text-align: right; min-width: 2.5rem; }
.h0 { background: #fff; } .h1 { background: #eef4fb; } .h2 { background: #d9e7f6; } .h3 { background: #c1d8f0; }
.h4 { background: #a6c7e9; } .h5 { background: #8bb5e1; } .h6 { background: #6fa2d8; color: #fff; }
.h7 { background: #558fcf; color: #fff; } .h8 { background: #3c7bc4; color: #fff; } .h9 { background: #2767b6; color: #fff; }
.h10 { background: #1753a3; color: #fff; }
td.off.h1, td.off.h2, td.off.h3, td.off.h4, td.off.h5 { background: #fbe3e3; } td.off.h6, td.off.h7, td.off.h8, td.off.h9, td.off.h10 { background: #d9534f; color: #fff; }
svg.bars text { font-size: 12px; font-family: inherit; }
.muted { color: #666; }
`;

export const EVAL_HTML_STYLE_HASH = `sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}`;

/** The page for a report (`--html`). */
export function formatHtmlReport(report: EvalReport): string {
  const csp = `default-src 'none'; style-src '${EVAL_HTML_STYLE_HASH}'; base-uri 'none'; form-action 'none'`;
  const e = escapeHtml;
  const title = `Routing eval: ${report.topology}`;
  const parts = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${e(csp)}">`,
    `<title>${e(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${e(title)} <span class="verdict ${report.passed ? 'pass' : 'fail'}">${report.passed ? 'passed' : 'failed'}</span></h1>`,
    `<p>Dataset <code>${e(report.dataset.file)}</code>, ${report.dataset.cases} cases, entry <code>${e(report.entry)}</code>, ${e(report.mode)} mode${report.repeat > 1 ? `, ${report.repeat} repetitions` : ''}${report.interrupted ? ', <strong>interrupted: partial results</strong>' : ''}.</p>`,
  ];
  if (report.gates.length) {
    parts.push('<h2>Gates</h2>', '<table><tr><th>gate</th><th>result</th><th></th></tr>');
    for (const gate of report.gates) parts.push(`<tr><td>${e(gate.gate)}</td><td class="${gate.passed ? 'pass' : 'fail'}">${gate.passed ? 'passed' : 'failed'}</td><td>${e(gate.message)}</td></tr>`);
    parts.push('</table>');
  }
  for (const run of report.runs) parts.push(...runSection(run, report.runs.length > 1));
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}

/** For the preview server: the page for a report file's text, and the hashes its CSP must allow. */
export function renderEvalHtml(json: string, file: string): { html: string; styleHashes: readonly string[] } {
  let report: EvalReport;
  try {
    report = JSON.parse(json) as EvalReport;
    if (report.version !== 1 || !Array.isArray(report.runs)) throw new Error('not a version 1 eval report');
  } catch (error) {
    const html = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>eval report</title></head><body><p>${escapeHtml(file)} is not an eval report: ${escapeHtml((error as Error).message)}</p></body></html>\n`;
    return { html, styleHashes: [] };
  }
  return { html: formatHtmlReport(report), styleHashes: [EVAL_HTML_STYLE_HASH] };
}

function runSection(run: RunReport, labelled: boolean): string[] {
  const e = escapeHtml;
  const s = run.summary;
  const out = [
    `<h2>${labelled ? `Setting ${e(run.label)}` : 'Summary'}</h2>`,
    `<p>Accuracy <strong>${e(accuracyText(run))}</strong>, 95% interval ${e(intervalText(run))}; ${s.incorrect} misrouted, ${s.errors} errors, ${s.flaky} flaky, ${s.notRun} not run. Cost ${e(usd(run.cost.totalUsd))}; latency ${e(latencyText(run))}.</p>`,
    `<p class="muted">Models: ${Object.entries(run.models).map(([agent, model]) => `${e(agent)} ${e(model)}`).join(', ')}</p>`,
  ];

  // Confusion heatmap: rows expected, columns taken; each cell's shade is its share of the row.
  const c = run.confusion;
  out.push('<h3>Confusion matrix</h3>', '<table class="heatmap"><tr><th>expected ↓ / taken →</th>' + c.columns.map((col) => `<th>${e(col)}</th>`).join('') + '</tr>');
  c.labels.forEach((label, row) => {
    const cells = c.matrix[row] ?? [];
    const total = cells.reduce((a, b) => a + b, 0);
    const tds = cells.map((n, col) => {
      const level = total ? Math.round((n / total) * 10) : 0;
      const off = c.columns[col] !== label && n > 0 ? ' off' : '';
      return `<td class="h${level}${off}" title="${e(`${label} → ${c.columns[col] ?? ''}: ${n}`)}">${n}</td>`;
    });
    out.push(`<tr><th>${e(label)}</th>${tds.join('')}</tr>`);
  });
  out.push('</table>');

  // Per-route recall with its Wilson 95 % interval, as SVG bars.
  const routes = Object.entries(run.routes);
  const rowHeight = 24;
  const labelWidth = 120;
  const barWidth = 400;
  const height = routes.length * rowHeight + 20;
  const bars = routes.map(([route, r], i) => {
    const y = i * rowHeight + 4;
    const recall = r.recall ?? 0;
    const interval = wilson(r.correct, r.support);
    const x = (v: number) => (labelWidth + v * barWidth).toFixed(1);
    const whisker = interval
      ? `<line x1="${x(interval.low)}" x2="${x(interval.high)}" y1="${y + 8}" y2="${y + 8}" stroke="#222" stroke-width="1.5"/><line x1="${x(interval.low)}" x2="${x(interval.low)}" y1="${y + 3}" y2="${y + 13}" stroke="#222"/><line x1="${x(interval.high)}" x2="${x(interval.high)}" y1="${y + 3}" y2="${y + 13}" stroke="#222"/>`
      : '';
    const text = `${pct(r.recall)} recall${interval ? ` (${pct(interval.low)}–${pct(interval.high)})` : ''}, precision ${pct(r.precision)}, ${r.support} cases`;
    return [
      `<text x="0" y="${y + 12}">${e(route)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${barWidth}" height="16" fill="#eee"/>`,
      `<rect x="${labelWidth}" y="${y}" width="${(recall * barWidth).toFixed(1)}" height="16" fill="#5b8fd0"><title>${e(text)}</title></rect>`,
      whisker,
      `<text x="${labelWidth + barWidth + 8}" y="${y + 12}">${e(text)}</text>`,
    ].join('');
  });
  out.push('<h3>Recall per route (bars: 95% interval)</h3>', `<svg class="bars" role="img" aria-label="recall per route" width="${labelWidth + barWidth + 380}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 380} ${height}">${bars.join('')}</svg>`);

  // Misrouted cases with the reasons the entry agent gave.
  const wrong = run.cases.filter((k) => k.verdict === 'incorrect' || k.verdict === 'flaky' || k.verdict === 'error');
  out.push(`<h3>Misrouted cases (${wrong.length})</h3>`);
  if (!wrong.length) out.push('<p>None.</p>');
  else {
    out.push('<table><tr><th>case</th><th>expected</th><th>taken</th><th>verdict</th><th>reason or error</th></tr>');
    for (const k of wrong) {
      for (const [i, a] of k.attempts.entries()) {
        const why = a.error ? `${a.error.kind}: ${a.error.message}` : (a.reason ?? a.reply ?? '');
        const first = i === 0;
        out.push(
          `<tr>${first ? `<td rowspan="${k.attempts.length}"><code>${e(k.id)}</code> <span class="muted">line ${k.line}</span></td><td rowspan="${k.attempts.length}">${e(k.expect)}</td>` : ''}<td>${e(a.actual ?? '—')}</td><td>${e(first ? k.verdict : '')}</td><td>${e(why)}</td></tr>`,
        );
      }
    }
    out.push('</table>');
  }
  return out;
}
