import type { Change, Subject, TopologyDiff } from './diff-topologies.js';
import { terminalLine } from '../diagnostics/terminal-text.js';
import { markdownText } from '../emit/markdown/escape-markdown.js';

export type DiffFormat = 'pretty' | 'json' | 'markdown';
export const DIFF_FORMATS: readonly DiffFormat[] = ['pretty', 'json', 'markdown'];

export interface DiffReport {
  readonly old: string;
  readonly new: string;
  readonly diff: TopologyDiff;
  /** Mermaid of the new topology with additions highlighted and removals dashed (markdown only). */
  readonly diagram?: string;
}

const SUBJECT_ORDER: readonly Subject[] = ['topology', 'agent', 'edge', 'tool', 'schema', 'filter', 'finding'];
const SUBJECT_TITLES: Record<Subject, string> = {
  topology: 'Topology',
  agent: 'Agents',
  edge: 'Edges',
  tool: 'Tools',
  schema: 'Schemas',
  filter: 'Filters',
  finding: 'Validator findings',
};
const MARK: Record<Change['kind'], string> = { added: '+', removed: '-', renamed: '~', changed: '~' };

function grouped(changes: readonly Change[]): [Subject, Change[]][] {
  return SUBJECT_ORDER.map((s) => [s, changes.filter((c) => c.subject === s)] as [Subject, Change[]]).filter(([, c]) => c.length > 0);
}

export function formatDiff(format: DiffFormat, report: DiffReport): string {
  if (format === 'json') return diffJson(report);
  if (format === 'markdown') return diffMarkdown(report);
  return diffPretty(report);
}

/** For a terminal: every user string (ids, details, instruction words, file names) through terminalLine. */
function diffPretty({ old: oldName, new: newName, diff }: DiffReport): string {
  const [old, now] = [terminalLine(oldName), terminalLine(newName)];
  if (diff.changes.length === 0) return `No semantic changes between ${old} and ${now}.\n`;
  const lines = [`${old} → ${now}: ${countLine(diff.changes)}`, ''];
  for (const [subject, changes] of grouped(diff.changes)) {
    lines.push(`${SUBJECT_TITLES[subject]}:`);
    for (const change of changes) {
      lines.push(`  ${MARK[change.kind]} ${terminalLine(change.id)}${change.kind === 'renamed' || change.kind === 'changed' ? '' : ` (${change.kind})`}`);
      for (const detail of change.details) lines.push(`      ${terminalLine(detail)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Stable JSON: `{ version, old, new, summary, changes[] }`; fields are only ever added. */
function diffJson({ old, new: now, diff }: DiffReport): string {
  const summary = { added: 0, removed: 0, renamed: 0, changed: 0 };
  for (const c of diff.changes) summary[c.kind]++;
  const changes = diff.changes.map((c) => ({ subject: c.subject, kind: c.kind, id: c.id, details: c.details }));
  return JSON.stringify({ version: 1, old, new: now, summary, changes }, null, 2) + '\n';
}

function diffMarkdown({ old, new: now, diff, diagram }: DiffReport): string {
  const lines = [`### switchboard: \`${inline(old)}\` → \`${inline(now)}\``, ''];
  if (diff.changes.length === 0) return [...lines, 'No semantic changes.', ''].join('\n');
  lines.push(countLine(diff.changes), '');
  for (const [subject, changes] of grouped(diff.changes)) {
    lines.push(`**${SUBJECT_TITLES[subject]}**`, '');
    for (const change of changes) {
      const details = change.details.length ? `: ${change.details.map((detail) => markdownText(detail)).join('; ')}` : '';
      lines.push(`- ${change.kind} \`${inline(change.id)}\`${details}`);
    }
    lines.push('');
  }
  if (diagram) {
    lines.push('<details open><summary>New topology (added in green, removed dashed in red)</summary>', '', '```mermaid', diagram.trimEnd(), '```', '', '</details>', '');
  }
  return lines.join('\n');
}

function countLine(changes: readonly Change[]): string {
  const count = (kind: Change['kind']) => changes.filter((c) => c.kind === kind).length;
  return `${changes.length} ${changes.length === 1 ? 'change' : 'changes'} (${count('added')} added, ${count('removed')} removed, ${count('changed') + count('renamed')} changed)`;
}

/**
 * Text inside an inline code span: backticks cannot close it early, and line breaks, control and
 * bidi characters (shown by name, as markdownText does) cannot end the line or reorder it.
 */
function inline(text: string): string {
  return text
    .replace(/`/g, "'")
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}
