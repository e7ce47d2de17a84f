import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { SourceRange } from '../diagnostics/types.js';
import { decodePointer } from './pointer.js';
import { toPosition, type SourceFile } from './load-yaml.js';

/**
 * Map a JSON pointer to the source range of the nearest YAML node. This and load-yaml.ts are the only
 * modules that touch yaml's node API.
 *
 * - `onKey`: report on the key of the last pair (unknown keys, missing keys) instead of its value.
 * - A pointer that goes past what the YAML holds (a default, a missing key) lands on the deepest node
 *   that exists, as Spectral does.
 */
export function locate(source: SourceFile, pointer: string, options: { onKey?: boolean } = {}): SourceRange {
  const segments = decodePointer(pointer);
  let node: unknown = source.doc.contents;
  let keyNode: Node | undefined;
  let exact = true;
  for (const segment of segments) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyString(p.key) === segment);
      if (!pair) {
        exact = false;
        break;
      }
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      // A key with no value (`tools:`) has no value node; stay on the key.
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!/^\d+$/.test(segment) || item === undefined) {
        exact = false;
        break;
      }
      keyNode = undefined;
      node = item;
    } else {
      exact = false;
      break;
    }
  }
  let target: Node | null;
  let collapse: boolean;
  if (exact) {
    target = options.onKey && keyNode ? keyNode : (node as Node | null);
    collapse = Boolean(options.onKey && !keyNode);
  } else {
    // The pointer goes past what the YAML holds: point at the key of the deepest node that exists.
    target = keyNode ?? (node as Node | null);
    collapse = !keyNode;
  }
  const range = target?.range;
  if (!range) return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const start = range[0];
  // Collapse to the start rather than underline a whole mapping.
  let end = collapse ? start : range[1];
  // Block scalars and mappings end after their trailing newline; keep the underline on their last line.
  while (end > start && /\s/.test(source.text[end - 1] ?? '')) end--;
  return { start: toPosition(source.lineCounter, start), end: toPosition(source.lineCounter, end) };
}

function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/** The text of a 1-based line, without its newline, for code frames. */
export function lineText(source: { text: string }, line: number): string {
  return source.text.split(/\r?\n/)[line - 1] ?? '';
}
