import { printable } from '../diagnostics/format-pretty.js';
import { markdownTable, markdownText } from '../emit/markdown/escape-markdown.js';
import { HUMAN_ANNOTATION_KEY, type EdgeAnnotation } from '../emit/mermaid/emit-flowchart.js';
import type { AnalysisFormat } from './format-routes.js';
import { STAY, pct as percent, usd, type RouteTraffic, type TrafficReport } from './traffic.js';

export interface TrafficOutput {
  readonly files: readonly string[];
  readonly report: TrafficReport;
  /** The topology's diagram annotated with traffic (markdown and mermaid). */
  readonly diagram?: string;
}

/** A rate for a table cell: `–` where there is nothing to divide by. */
const pct = (x: number | null) => (x === null ? '–' : percent(x));
const ms = (r: RouteTraffic) => (r.latencyMs ? `${Math.round(r.latencyMs.p50)} / ${Math.round(r.latencyMs.p95)}` : '–');
const cost = (r: RouteTraffic) => (r.costUsd ? usd(r.costUsd.perConversation) : '–');

const HEADERS = ['route', 'conversations', 'share', 'handoffs', 'hand-back', 'ping-pong', 'to human', 'max turns', 'latency p50/p95 ms', 'cost / conversation'];

function row(r: RouteTraffic): string[] {
  return [r.route, String(r.conversations), pct(r.share), String(r.handoffs), pct(r.handBackRate), pct(r.pingPongRate), pct(r.escalationRate), String(r.maxTurnsExceeded), ms(r), cost(r)];
}

/** Edge labels (`12 · 40%`) and stroke widths by share of all handoffs; escalation counts on the human edges. */
export function trafficAnnotations(report: TrafficReport): Map<string, EdgeAnnotation> {
  const annotations = new Map<string, EdgeAnnotation>();
  const total = report.edges.reduce((n, e) => n + e.count, 0);
  for (const edge of report.edges) {
    const share = total > 0 ? edge.count / total : 0;
    const width = share >= 0.3 ? 4 : share >= 0.15 ? 3 : share >= 0.05 ? 2 : 1;
    annotations.set(`${edge.from}→${edge.to}`, { labels: [`${edge.count} · ${pct(share)}`], width });
  }
  for (const [agent, count] of Object.entries(report.escalations)) annotations.set(`${agent}→${HUMAN_ANNOTATION_KEY}`, { labels: [`${count} to human`] });
  return annotations;
}

export function formatTraffic(format: AnalysisFormat, output: TrafficOutput): string {
  if (format === 'json') return `${JSON.stringify({ version: 1, files: output.files, ...output.report }, null, 2)}\n`;
  if (format === 'mermaid') return output.diagram ?? '';
  if (format === 'markdown') return trafficMarkdown(output);
  return trafficPretty(output);
}

function summary(report: TrafficReport): string {
  return `${report.conversations} conversations, ${report.routed} routed, ${report.maxTurnsExceeded} hit maxTurns`;
}

function trafficPretty({ files, report }: TrafficOutput): string {
  const lines = [printable(`${report.topology}: ${summary(report)} (${files.join(', ')})`), ''];
  const rows = [HEADERS, ...report.routes.map(row)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) lines.push(printable(`  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`));
  lines.push('', `  share: of all conversations; hand-back and ping-pong: per visit of the specialist; ${STAY}: the entry answered itself.`);
  if (report.unpricedModels.length > 0) lines.push(printable(`  no price for ${report.unpricedModels.join(', ')}: their cost is left out (--prices file.json).`));
  lines.push('', 'Advice:', ...report.advice.map((a) => printable(`  - ${a}`)), '');
  return lines.join('\n');
}

function trafficMarkdown({ files, report, diagram }: TrafficOutput): string {
  const lines = [`### Traffic of ${markdownText(report.topology)}`, '', markdownText(`${summary(report)}, from ${files.join(', ')}.`), ''];
  lines.push(markdownTable(HEADERS, report.routes.map(row)), '');
  lines.push(...report.advice.map((a) => `- ${markdownText(a)}`), '');
  if (diagram) lines.push('```mermaid', diagram.trimEnd(), '```', '');
  return lines.join('\n');
}
