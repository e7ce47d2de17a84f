import type { Diagnostic, SourceRange } from './types.js';

/** One replacement in the file's original text (UTF-16 offsets, end exclusive). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The finding the edit resolves. */
  readonly diagnostic: Diagnostic;
}

export interface FixPlan {
  readonly edits: readonly TextEdit[];
  /** The text with every edit applied; identical to the input when there are none. */
  readonly text: string;
}

/** A name that stays the same string as a plain YAML scalar: no indicators, not a boolean or null. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

/**
 * The edits for the findings marked `fixable` (a did-you-mean that is the only close candidate): the
 * offending scalar is replaced by the suggestion, keeping its quotes, and nothing else in the file
 * moves, so comments and layout survive byte for byte. `original` is the file as stored (a BOM and
 * CR LF endings are allowed); ranges are the validator's 1-based lines and columns. Overlapping or
 * unsafe replacements are left out.
 */
export function planFixes(original: string, diagnostics: readonly Diagnostic[]): FixPlan {
  const starts = lineStarts(original);
  const edits: TextEdit[] = [];
  for (const d of diagnostics) {
    if (!d.fixable || d.suggestion === undefined || !d.range) continue;
    const edit = editFor(original, starts, d.range, d.suggestion);
    if (edit && !edits.some((e) => e.start < edit.end && edit.start < e.end)) edits.push({ ...edit, diagnostic: d });
  }
  edits.sort((a, b) => a.start - b.start);
  let text = original;
  for (const edit of [...edits].reverse()) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return { edits, text };
}

function editFor(original: string, starts: readonly number[], range: SourceRange, suggestion: string): Omit<TextEdit, 'diagnostic'> | undefined {
  if (range.start.line !== range.end.line) return undefined;
  const lineStart = starts[range.start.line - 1];
  if (lineStart === undefined) return undefined;
  const start = lineStart + range.start.column - 1;
  const end = lineStart + range.end.column - 1;
  const written = original.slice(start, end);
  if (written === '' || /[\r\n]/.test(written)) return undefined;
  const quote = written[0] === '"' || written[0] === "'" ? written[0] : undefined;
  if (quote) {
    // A quoted name with escapes, or a suggestion that would need some, is not an unambiguous edit.
    if (written.length < 2 || written.at(-1) !== quote || /[\\'"]/.test(written.slice(1, -1)) || /[\\'"]/.test(suggestion)) return undefined;
    if (!/^[\w .-]+$/.test(suggestion)) return undefined;
    return { start: start + 1, end: end - 1, text: suggestion };
  }
  if (!PLAIN_NAME.test(written) || !PLAIN_NAME.test(suggestion) || RESERVED.test(suggestion)) return undefined;
  return { start, end, text: suggestion };
}

/**
 * Offsets where each line starts, counting line breaks as the loader does (CR LF, LF, a lone CR), with
 * a leading BOM skipped: the loader strips it, so its columns start after it.
 */
function lineStarts(text: string): number[] {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}

/**
 * A unified diff (`diff -u` style, three lines of context) between two versions of a file. Fixes
 * replace text within lines, so both versions have the same lines and the hunks pair them one to one.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) throw new Error('unifiedDiff: fixes never add or remove lines');
  const changed = a.flatMap((line, i) => (line !== b[i] ? [i] : []));
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(a.length - 1, i + context);
    const last = hunks.at(-1);
    if (last && from <= last[1] + 1) last[1] = to;
    else hunks.push([from, to]);
  }
  const out = [`--- a/${path}`, `+++ b/${path}`];
  for (const [from, to] of hunks) {
    // A final empty "line" after the last newline is not a line of the file.
    const end = to === a.length - 1 && a[to] === '' ? to - 1 : to;
    out.push(`@@ -${from + 1},${end - from + 1} +${from + 1},${end - from + 1} @@`);
    for (let i = from; i <= end; i++) {
      if (a[i] === b[i]) {
        out.push(` ${a[i]}`);
        continue;
      }
      // A run of changed lines: its old lines, then its new ones, as diff -u prints them.
      let j = i;
      while (j + 1 <= end && a[j + 1] !== b[j + 1]) j++;
      for (let k = i; k <= j; k++) out.push(`-${a[k]}`);
      for (let k = i; k <= j; k++) out.push(`+${b[k]}`);
      i = j;
    }
  }
  return `${out.join('\n')}\n`;
}
