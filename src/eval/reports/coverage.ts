/**
 * The coverage table of `switchboard eval lint` for the terminal (every name escaped) and as JSON.
 */
import type { CoverageReport, CoverageRow } from '../coverage.js';
import { terminalLine as t } from '../terminal-text.js';

const KIND: Readonly<Record<CoverageRow['kind'], string>> = { route: 'route', stay: 'stay', handback: 'hand-back', escalation: 'escalation' };

export function formatCoverageTerminal(report: CoverageReport): string {
  const scenarios = report.scenarios ? ` and ${t(report.scenarios.file)} (${report.scenarios.scenarios} scenario(s))` : '';
  const out = [`coverage of ${t(report.topology)} by ${t(report.dataset.file)} (${report.dataset.cases} case(s))${scenarios}`, ''];
  const cells = report.rows.map((r) => [r.kind === 'stay' ? `${t(r.from)} (stay)` : `${t(r.from)} → ${t(r.to)}`, KIND[r.kind], r.cases === null ? '–' : String(r.cases), r.scenarios === null ? '–' : String(r.scenarios), r.status]);
  const header = ['edge', 'kind', 'cases', 'scenarios', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]!].length)));
  const line = (c: readonly string[]) => `  ${c.map((cell, i) => (i === 2 || i === 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd()}`;
  out.push(line(header), ...cells.map(line), '');
  out.push(`labels: ${Object.entries(report.labels).map(([label, n]) => `${t(label)} ${n}`).join(' · ')}`);
  if (report.imbalance) out.push(`imbalance: ${report.imbalance.ratio.toFixed(2)}× (${t(report.imbalance.largest)} ÷ ${t(report.imbalance.smallest)}; at most ${report.options.maxImbalance}×)`);
  out.push(`near-duplicates (similarity ≥ ${report.options.similarity}): ${report.nearDuplicates.length === 0 ? 'none' : report.nearDuplicates.map((d) => `${t(d.first)} ~ ${t(d.second)} ${d.similarity}`).join(', ')}`);
  const errors = report.findings.filter((d) => d.severity === 'error').length;
  out.push('', `${report.passed ? 'OK' : 'FAILED'}: ${errors} error(s), ${report.findings.length - errors} warning(s)`);
  return `${out.join('\n')}\n`;
}

export function formatCoverageJson(report: CoverageReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
