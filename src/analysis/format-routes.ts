import { printable } from '../diagnostics/format-pretty.js';
import { markdownTable, markdownText } from '../emit/markdown/escape-markdown.js';
import type { Route, RouteAnalysis, RouteStep } from './routes.js';

export type AnalysisFormat = 'pretty' | 'json' | 'markdown' | 'mermaid';
export const ANALYSIS_FORMATS: readonly AnalysisFormat[] = ['pretty', 'json', 'markdown', 'mermaid'];

export interface RoutesReport {
  readonly file: string;
  readonly analysis: RouteAnalysis;
  /** Rule findings on edges, as `file:line:col rule message` lines (already located). */
  readonly findings: readonly { readonly ruleId: string; readonly message: string; readonly location: string }[];
  /** The topology's diagram with findings on the edges (markdown and mermaid). */
  readonly diagram?: string;
}

const ARROW: Record<RouteStep['kind'], string> = { handoff: '→', handback: '⇢', delegate: '⇒' };

/** `triage → billing ⇢ triage`: hand-backs dotted, delegations double. */
export function routeText(route: Route): string {
  return [route.agents[0]!, ...route.steps.map((s) => `${ARROW[s.kind]} ${s.to}`)].join(' ');
}

function notes(route: Route): string {
  return [route.steps.some((s) => s.kind === 'delegate') ? 'delegation: the target counts its own turns' : '', route.cycle ? (route.steps.some((s) => s.kind === 'handback') ? 'hand-back cycle' : 'cycle') : '', route.conditional ? 'conditional' : ''].filter(Boolean).join(', ');
}

export function formatRoutes(format: AnalysisFormat, report: RoutesReport): string {
  if (format === 'json') return `${JSON.stringify({ version: 1, file: report.file, ...report.analysis, findings: report.findings }, null, 2)}\n`;
  if (format === 'mermaid') return report.diagram ?? '';
  if (format === 'markdown') return routesMarkdown(report);
  return routesPretty(report);
}

function routesPretty({ file, analysis, findings }: RoutesReport): string {
  const lines = [printable(`${file}: ${analysis.routes.length} routes from ${analysis.entry} (depth ${analysis.depth}, maxTurns ${analysis.maxTurns})`), ''];
  const width = Math.max(5, ...analysis.routes.map((r) => routeText(r).length));
  lines.push(`  ${'route'.padEnd(width)}  handoffs  turns  notes`);
  for (const route of analysis.routes) {
    lines.push(printable(`  ${routeText(route).padEnd(width)}  ${String(route.handoffs).padStart(8)}  ${String(route.turns).padStart(5)}  ${notes(route)}`.trimEnd()));
  }
  if (analysis.truncated) lines.push(`  … the list stops at ${analysis.routes.length} routes; lower --depth to see them all.`);
  lines.push('', '  turns: one per handoff plus the reply, in one run (add one per tool call); ⇢ hand-back, ⇒ delegation.');
  if (analysis.pingPong.length > 0) {
    lines.push('', 'Agents that can hand to each other with no user turn between:');
    for (const pair of analysis.pingPong) lines.push(printable(`  ${pair.a} ↔ ${pair.b}${pair.handback ? ' (through a hand-back to the entry)' : ' (ping-pong risk)'}`));
  }
  if (findings.length > 0) {
    lines.push('', 'Route findings:');
    for (const f of findings) lines.push(printable(`  ${f.location}  ${f.ruleId}  ${f.message}`));
  }
  lines.push('', 'Advice:', ...analysis.advice.map((a) => printable(`  - ${a}`)), '');
  return lines.join('\n');
}

function routesMarkdown({ file, analysis, findings, diagram }: RoutesReport): string {
  const lines = [`### Routes of ${markdownText(analysis.topology)} (${markdownText(file)})`, ''];
  lines.push(`From \`${analysis.entry.replace(/`/g, '')}\`, up to ${analysis.depth} handoffs; maxTurns ${analysis.maxTurns}.`, '');
  lines.push(markdownTable(['route', 'handoffs', 'turns', 'notes'], analysis.routes.map((r) => [routeText(r), String(r.handoffs), String(r.turns), notes(r)])), '');
  if (findings.length > 0) lines.push(markdownTable(['location', 'rule', 'finding'], findings.map((f) => [f.location, f.ruleId, f.message])), '');
  lines.push(...analysis.advice.map((a) => `- ${markdownText(a)}`), '');
  if (diagram) lines.push('```mermaid', diagram.trimEnd(), '```', '');
  return lines.join('\n');
}
