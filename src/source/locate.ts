import type { Alias, Document, Node, Pair, YAMLMap } from 'yaml';
import { yamlLibrary } from './yaml-library.js';
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
  const { isAlias, isMap, isScalar, isSeq } = yamlLibrary();
  const segments = decodePointer(pointer);
  let node: unknown = source.doc.contents;
  let keyNode: Node | undefined;
  let exact = true;
  for (const segment of segments) {
    if (isAlias(node)) node = aliasTargets(source.doc).get(node);
    if (isMap(node)) {
      const pair = pairsByKey(node).get(segment);
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

/**
 * The 1-based line `pointer`'s node starts on: `locate(…).start.line`, read from the fast reader's
 * notes when the pointer names a sequence item it noted, so nothing is parsed again for it.
 */
export function startLine(source: SourceFile, pointer: string): number {
  if (source.plain) {
    const segments = decodePointer(pointer);
    let node: unknown = source.plain.data;
    for (const segment of segments.slice(0, -1)) node = node !== null && typeof node === 'object' && Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
    const last = segments[segments.length - 1];
    const line = Array.isArray(node) && last !== undefined && /^\d+$/.test(last) ? source.plain.itemLines.get(node)?.[Number(last)] : undefined;
    if (line) return line;
  }
  return locate(source, pointer).start.line;
}

/**
 * What each alias refers to, found in one pass per document. (`Alias.resolve` walks the whole
 * document on every call: with many diagnostics inside an aliased value that becomes quadratic.)
 * Like yaml's own rule, an alias names the closest anchor before it in document order.
 */
const aliasIndexes = new WeakMap<Document, Map<Alias, Node>>();
function aliasTargets(doc: Document): Map<Alias, Node> {
  const { isAlias, isNode, visit } = yamlLibrary();
  let targets = aliasIndexes.get(doc);
  if (!targets) {
    const resolved = new Map<Alias, Node>();
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node)) {
          const target = anchors.get(node.source);
          if (target) resolved.set(node, target);
        } else if (isNode(node) && node.anchor) {
          anchors.set(node.anchor, node);
        }
      },
    });
    targets = resolved;
    aliasIndexes.set(doc, targets);
  }
  return targets;
}

/** The first pair of each key, indexed once per map: a file with many diagnostics stays linear. */
const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  const { isPair } = yamlLibrary();
  let index = indexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) if (isPair(p) && !index.has(keyString(p.key))) index.set(keyString(p.key), p);
    indexes.set(map, index);
  }
  return index;
}

function keyString(key: unknown): string {
  const { isScalar } = yamlLibrary();
  // As the data has it: a null key (`~:`, `null:` or nothing) becomes the empty string.
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  return String(key);
}

/** The text of a 1-based line, without its newline, for code frames. */
export function lineText(source: { text: string }, line: number): string {
  return source.text.split(/\r?\n/)[line - 1] ?? '';
}
