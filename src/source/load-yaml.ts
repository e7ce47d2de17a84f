import {
  isAlias,
  isCollection,
  isNode,
  isScalar,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
} from 'yaml';
import type { DiagnosticDraft, SourceRange } from '../diagnostics/types.js';

/** Limits that keep hostile input from exhausting memory or the stack. Documented in docs/security.md. */
export const LIMITS = {
  maxFileBytes: 10 * 1024 * 1024,
  maxAliases: 100,
  maxDepth: 64,
} as const;

const STANDARD_TAGS = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
]);

/** A parsed YAML file: the document keeps node positions, the LineCounter turns offsets into lines. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export interface LoadResult {
  /** Absent when the bytes could not be parsed into a single document at all. */
  readonly source?: SourceFile;
  /** The plain data (aliases resolved); `undefined` when loading failed. */
  readonly data: unknown;
  /** Loading problems, each already carrying its range. */
  readonly diagnostics: DiagnosticDraft[];
}

const START: SourceRange = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

/** Decode, parse and sanity-check one YAML file. Never throws for bad input. */
export function loadYaml(input: Uint8Array | string, path: string): LoadResult {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > LIMITS.maxFileBytes) {
    return fail('source/too-large', `file is ${formatBytes(size)}; the limit is ${formatBytes(LIMITS.maxFileBytes)}`);
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    const bad = firstInvalidUtf8Byte(input);
    if (bad !== -1) {
      const before = new TextDecoder().decode(input.subarray(0, bad));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      const at = { line, column };
      return fail('source/encoding', `file is not valid UTF-8 (invalid byte 0x${input[bad]!.toString(16).padStart(2, '0')}); save it as UTF-8`, {
        start: at,
        end: at,
      });
    }
    text = new TextDecoder().decode(input);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is legal YAML, and invisible in editors

  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true }) as Document.Parsed[];
  } catch (error) {
    // The parser recurses; absurd nesting can exhaust the stack before our depth check runs.
    if (error instanceof RangeError) return fail('source/too-deep', `nesting is too deep; the limit is ${LIMITS.maxDepth} levels`);
    throw error;
  }
  if (!Array.isArray(docs) || docs.length === 0 || docs[0]!.contents === null) {
    return fail('source/empty', 'file is empty: a topology needs at least `version`, `name`, `entry` and `agents`');
  }
  const doc = docs[0]!;
  const source: SourceFile = { path, text, doc, lineCounter };
  const rangeOf = (start: number, end: number): SourceRange => ({
    start: toPosition(lineCounter, start),
    end: toPosition(lineCounter, Math.max(start, end)),
  });
  const diagnostics: DiagnosticDraft[] = [];

  for (const error of doc.errors) {
    diagnostics.push({
      ruleId: `yaml/${kebab(error.code)}`,
      message: cleanYamlMessage(error.message),
      pointer: '',
      range: rangeOf(error.pos[0], error.pos[1]),
    });
  }
  for (const extra of docs.slice(1)) {
    const start = extra.range[0];
    diagnostics.push({
      ruleId: 'source/multiple-documents',
      message: 'file holds more than one YAML document; put each topology in its own file',
      pointer: '',
      range: rangeOf(start, start + 3),
    });
  }

  let aliases = 0;
  let deepest = 0;
  visit(doc, {
    Node(_key, node, path) {
      const depth = path.filter((p) => isCollection(p)).length;
      if (depth > deepest) {
        deepest = depth;
        if (depth === LIMITS.maxDepth + 1 && node.range) {
          diagnostics.push({
            ruleId: 'source/too-deep',
            message: `nesting is deeper than ${LIMITS.maxDepth} levels`,
            pointer: '',
            range: rangeOf(node.range[0], node.range[1]),
          });
        }
      }
      if (isAlias(node)) {
        aliases++;
        if (aliases === LIMITS.maxAliases + 1 && node.range) {
          diagnostics.push({
            ruleId: 'source/alias-limit',
            message: `more than ${LIMITS.maxAliases} aliases; simplify the file or use named schemas and filters instead`,
            pointer: '',
            range: rangeOf(node.range[0], node.range[1]),
          });
        }
      }
      if (isNode(node) && node.tag && !STANDARD_TAGS.has(node.tag) && node.range) {
        // The node's range starts after its tag; point at the tag itself.
        let tagStart = text.lastIndexOf('!', node.range[0]);
        while (tagStart > 0 && text[tagStart - 1] === '!') tagStart--;
        if (tagStart < 0 || text.slice(tagStart, node.range[0]).includes('\n')) tagStart = node.range[0];
        diagnostics.push({
          ruleId: 'source/custom-tag',
          message: `tag ${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not allowed; topologies are plain data`,
          pointer: '',
          range: rangeOf(tagStart, node.range[1]),
        });
        if (isScalar(node)) return visit.SKIP;
      }
      return undefined;
    },
  });

  if (diagnostics.length > 0) return { source, data: undefined, diagnostics };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: LIMITS.maxAliases });
  } catch (error) {
    return { source, data: undefined, diagnostics: [{ ruleId: 'source/alias-limit', message: `aliases expand too far (${(error as Error).message})`, pointer: '', range: START }] };
  }
  return { source, data, diagnostics };

  function fail(ruleId: string, message: string, range: SourceRange = START): LoadResult {
    return { data: undefined, diagnostics: [{ ruleId, message, pointer: '', range }] };
  }
}

export function toPosition(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function cleanYamlMessage(message: string): string {
  // yaml appends "at line N, column M" and a code frame when prettyErrors is on; we print our own.
  return message.replace(/ at line \d+, column \d+[\s\S]*$/, '').trim();
}

function kebab(code: string): string {
  return code.toLowerCase().replace(/_/g, '-');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** Index of the first byte that breaks UTF-8, or -1. TextDecoder's fatal mode cannot say where. */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let extra: number;
    if (b < 0x80) extra = 0;
    else if (b >= 0xc2 && b <= 0xdf) extra = 1;
    else if (b >= 0xe0 && b <= 0xef) extra = 2;
    else if (b >= 0xf0 && b <= 0xf4) extra = 3;
    else return i;
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += extra + 1;
  }
  return -1;
}
