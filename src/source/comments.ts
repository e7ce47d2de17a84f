import { toPosition, type SourceFile } from './load-yaml.js';
import { yamlLibrary } from './yaml-library.js';
import type { SourceRange } from '../diagnostics/types.js';

/** One `# …` comment of a YAML file, found through yaml's concrete syntax tree (never inside a string). */
export interface SourceComment {
  /** The text after `#`, trimmed. */
  readonly text: string;
  readonly range: SourceRange;
  /** 1-based line of the comment. */
  readonly line: number;
  /** Whether code precedes the comment on its line (`key: value  # …`). */
  readonly trailing: boolean;
  /** The next line below that holds code (not blank, not only a comment); undefined at the end of the file. */
  readonly nextCodeLine?: number;
}

/**
 * The comments whose text matches `pattern`. The CST is parsed only when the text can hold a match,
 * so files without directives pay nothing on the validate path.
 */
export function findComments(source: SourceFile, pattern: RegExp): SourceComment[] {
  if (!pattern.test(source.text)) return [];
  const found: SourceComment[] = [];
  const codeLines = codeLinesOf(source.text);
  for (const token of new (yamlLibrary().Parser)().parse(source.text)) collect(token, (offset, raw) => {
    const text = raw.replace(/^#/, '').trim();
    if (!pattern.test(text)) return;
    const start = toPosition(source.lineCounter, offset);
    const end = toPosition(source.lineCounter, offset + raw.length);
    const lineStart = source.text.lastIndexOf('\n', offset - 1) + 1;
    const nextCodeLine = firstAfter(codeLines, start.line);
    found.push({ text, range: { start, end }, line: start.line, trailing: source.text.slice(lineStart, offset).trim() !== '', ...(nextCodeLine ? { nextCodeLine } : {}) });
  });
  return found.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
}

/** Comment tokens sit in `start`, `sep`, `end` arrays all over the CST: walk it generically. */
function collect(node: unknown, visit: (offset: number, source: string) => void, depth = 0): void {
  if (depth > 400 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collect(item, visit, depth + 1);
    return;
  }
  const token = node as { type?: unknown; offset?: unknown; source?: unknown };
  if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
    visit(token.offset, token.source);
    return;
  }
  for (const value of Object.values(node)) if (typeof value === 'object') collect(value, visit, depth + 1);
}

/** 1-based numbers of the lines that hold something other than whitespace and a comment. */
function codeLinesOf(text: string): number[] {
  const out: number[] = [];
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) out.push(i + 1);
  });
  return out;
}

/** The first number in the sorted list greater than `line` (binary search: files may hold many comments). */
function firstAfter(sorted: readonly number[], line: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! <= line) low = mid + 1;
    else high = mid;
  }
  return sorted[low];
}
