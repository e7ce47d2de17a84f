import type { FormatInput } from './format.js';
import type { Diagnostic, Position, Severity } from './types.js';
import { countBySeverity } from './types.js';
import { isTerminalControl, terminalLine, terminalText } from './terminal-text.js';

const TAB_WIDTH = 4;
/** Widest slice of a source line shown in a frame, in display columns (ellipses not counted). */
const MAX_LINE_WIDTH = 120;
/** How far left of the caret a cut line starts, so the start of the offending token stays in view. */
const LEAD = 40;

interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  severity(severity: Severity, s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const COLOR: Paint = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  severity: (severity, s) => (severity === 'error' ? ansi(31, 39) : ansi(33, 39))(s),
};
const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, severity: (_, s) => s };

/**
 * At most this many diagnostics are printed per file, then one line says how many more there are: a
 * generated file with thousands of mistakes should not scroll the first (usually the cause) away.
 */
export const MAX_PRETTY_PER_FILE = 200;

/** tsc/eslint-style `file:line:col severity message [rule]` blocks with code frames, then a summary. */
export function formatPretty(input: FormatInput): string {
  const paint = input.color ? COLOR : PLAIN;
  // Each file is split into lines once, not once per diagnostic (that was quadratic in the count).
  const lines = new Map<string, readonly string[] | undefined>();
  const linesOf = (file: string) => {
    if (!lines.has(file)) lines.set(file, input.sources.get(file)?.split(/\r?\n/));
    return lines.get(file);
  };
  const cap = input.maxPerFile ?? MAX_PRETTY_PER_FILE;
  const shown = new Map<string, number>();
  const blocks: string[] = [];
  for (const d of input.diagnostics) {
    const count = (shown.get(d.file) ?? 0) + 1;
    shown.set(d.file, count);
    if (count <= cap) blocks.push(formatOne(d, linesOf(d.file), paint));
  }
  for (const [file, count] of shown) {
    if (count > cap) {
      const more = count - cap;
      blocks.push(paint.dim(`… and ${more} more ${more === 1 ? 'problem' : 'problems'} in ${terminalLine(file)}; use --format json for all`));
    }
  }
  blocks.push(summary(input, paint));
  return `${blocks.join('\n\n')}\n`;
}

function formatOne(d: Diagnostic, sourceLines: readonly string[] | undefined, paint: Paint): string {
  const file = terminalLine(d.file);
  const where = d.range ? `${file}:${d.range.start.line}:${d.range.start.column}` : file;
  const lines = [
    `${paint.bold(where)} ${paint.bold(paint.severity(d.severity, d.severity))} ${paint.bold(terminalText(d.message))} ${paint.dim(`[${d.ruleId}]`)}`,
  ];
  if (d.range && sourceLines !== undefined) lines.push(...codeFrame(sourceLines, d.range.start, d.range.end, d.severity, paint));
  if (d.hint) lines.push(`  ${paint.dim('hint:')} ${terminalText(d.hint)}`);
  for (const r of d.related ?? []) {
    const at = r.range ? `${file}:${r.range.start.line}:${r.range.start.column}` : file;
    lines.push(`  ${paint.dim('related:')} ${at} ${terminalText(r.message)}`);
  }
  return lines.join('\n');
}

function summary(input: FormatInput, paint: Paint): string {
  const files = plural(input.filesChecked, 'file');
  const { errors, warnings } = countBySeverity(input.diagnostics);
  const suppressed = input.suppressed ? ` (${input.suppressed} suppressed)` : '';
  if (errors + warnings === 0) return `No problems found in ${files}${suppressed}.`;
  const text = `${plural(errors, 'error')} and ${plural(warnings, 'warning')} in ${files}${suppressed}`;
  return errors > 0 ? paint.bold(paint.severity('error', text)) : paint.bold(paint.severity('warning', text));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One line of context either side, a `>` on the offending line and carets under the range. */
function codeFrame(sourceLines: readonly string[], start: Position, end: Position, severity: Severity, paint: Paint): string[] {
  const line = sourceLines[start.line - 1];
  if (line === undefined) return [];
  const first = Math.max(1, start.line - 1);
  const last = Math.min(sourceLines.length, start.line + 1);
  const gutterWidth = String(last).length;

  const caretStart = displayWidth(line.slice(0, start.column - 1));
  const caretEnd = end.line === start.line ? displayWidth(line.slice(0, end.column - 1)) : displayWidth(line);
  const view = visibleWindow(displayWidth(line), caretStart);

  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === start.line ? paint.severity(severity, '>') : ' ';
    const gutter = paint.dim(`${String(n).padStart(gutterWidth)} |`);
    out.push(`${marker} ${gutter} ${clip(expandTabs(sourceLines[n - 1]!), view)}`.trimEnd());
    if (n === start.line) {
      // Clip the underline to the visible window; a zero-width range still gets one caret.
      const from = Math.min(Math.max(caretStart, view.from), view.to);
      const to = Math.min(Math.max(caretEnd, from + 1), view.to + 1);
      const indent = ' '.repeat(from - view.from + (view.from > 0 ? 1 : 0));
      const carets = paint.severity(severity, '^'.repeat(Math.max(1, to - from)));
      out.push(`  ${paint.dim(`${' '.repeat(gutterWidth)} |`)} ${indent}${carets}`);
    }
  }
  return out;
}

interface View {
  readonly from: number;
  readonly to: number;
}

/** The display columns [from, to) to show, chosen on the offending line and applied to every frame line. */
function visibleWindow(lineWidth: number, caretStart: number): View {
  if (lineWidth <= MAX_LINE_WIDTH) return { from: 0, to: MAX_LINE_WIDTH };
  const from = Math.max(0, Math.min(caretStart - LEAD, lineWidth - MAX_LINE_WIDTH));
  return { from, to: from + MAX_LINE_WIDTH };
}

function clip(expanded: string, view: View): string {
  const chars = Array.from(expanded);
  const head = view.from > 0 && chars.length > 0 ? '…' : '';
  const tail = chars.length > view.to ? '…' : '';
  return head + chars.slice(view.from, view.to).join('') + tail;
}

/**
 * Tabs to the next multiple of TAB_WIDTH, so frame text and carets line up the same way. Other control
 * control and bidi characters become U+FFFD: a file may hold an escape sequence we must not replay.
 */
function expandTabs(text: string): string {
  let out = '';
  let width = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const pad = TAB_WIDTH - (width % TAB_WIDTH);
      out += ' '.repeat(pad);
      width += pad;
    } else {
      // One column for one code point, so the carets stay under the text.
      out += isTerminalControl(ch) ? '\ufffd' : ch;
      width++;
    }
  }
  return out;
}

/** Columns occupied by `text` once tabs are expanded (one per code point). */
function displayWidth(text: string): number {
  return Array.from(expandTabs(text)).length;
}

/** Kept for callers of the old name; `terminalText` (diagnostics/terminal-text.ts) is the one escaper. */
export const printable = terminalText;
