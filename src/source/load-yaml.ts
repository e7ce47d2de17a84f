import type { Composer, Document, LineCounter, Node, YAMLMap } from 'yaml';
import type { DiagnosticDraft, SourceRange } from '../diagnostics/types.js';
import { firstInvalidUtf8Byte, formatBytes } from './read-file.js';
import { readPlainYaml, type PlainYaml } from './plain-yaml.js';
import { yamlLibrary } from './yaml-library.js';

/** Limits that keep hostile input from exhausting memory or the stack. Documented in docs/security.md. */
export const LIMITS = {
  maxFileBytes: 10 * 1024 * 1024,
  /**
   * YAML tokens (scalars, keys, indicators, anchors, tags, comments; not whitespace), counted by the
   * lexer before parsing. The parser needs roughly 1 KB of memory per token, so without this a
   * 10 MiB file of `[` or `a: b` lines runs out of memory.
   */
  maxTokens: 1_000_000,
  maxAliases: 100,
  /** Nodes that aliases may stand for in total (a "billion laughs" file stays small on disk). */
  maxAliasExpansion: 10_000,
  maxDepth: 64,
} as const;

/**
 * Characters YAML 1.2 does not allow in a stream (§5.1, outside c-printable): C0 and C1 controls
 * other than tab, line feed, carriage return and NEL, DEL, U+FFFE/U+FFFF and unpaired surrogates.
 * Escapes such as "\0" in double-quoted strings are the way to write them.
 */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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
  /** What the fast reader read, when it did (plain-yaml.ts): lines of sequence items without `doc`. */
  readonly plain?: PlainYaml;
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

/**
 * Decode, parse and sanity-check one YAML file. Never throws for bad input.
 *
 * Plain block-style files (most topologies) are read by a fast reader first, and the full parse that
 * keeps node positions runs only if something asks for `source.doc` or `source.lineCounter` (a
 * diagnostic to locate, the language server); everything else, and every file with a problem, goes
 * through the full parse at once. `fastPath: false` always takes the full parse (tests compare the two).
 */
export function loadYaml(input: Uint8Array | string, path: string, options: { readonly fastPath?: boolean } = {}): LoadResult {
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
  // YAML 1.2 (§5.4) reads CR LF and a lone CR as line breaks, as editors do; the yaml parser only
  // knows LF and CR LF, so a file saved with old Mac or mixed endings became a cascade of errors.
  // Normalised once here, every later line and column counts the same breaks the editor shows.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');

  if (options.fastPath !== false) {
    const plain = readPlainYaml(text, LIMITS.maxTokens);
    if (plain) return { source: deferredSource(path, text, plain), data: plain.data, diagnostics: [] };
  }
  return loadWithPositions(text, path);
}

/**
 * The source of a file the fast reader took: the same text, parsed with positions on first use.
 * The reader only accepts files the full parse reads without a problem, so there is nothing to report.
 */
function deferredSource(path: string, text: string, plain: PlainYaml): SourceFile {
  let parsed: SourceFile | undefined;
  const full = (): SourceFile => {
    parsed ??= loadWithPositions(text, path).source;
    if (!parsed) throw new Error(`the full YAML parse of ${path} found no document the fast reader had read`);
    return parsed;
  };
  return {
    path,
    text,
    plain,
    get doc() {
      return full().doc;
    },
    get lineCounter() {
      return full().lineCounter;
    },
  };
}

/** Parse decoded, normalised text keeping every node's position, and check what the parser lets through. */
function loadWithPositions(text: string, path: string): LoadResult {
  const { Composer, LineCounter, Parser } = yamlLibrary();
  // One lexer pass: each token is checked against the limits (the parser's memory and stack grow with
  // the token count and the nesting) before the parser sees it, so it never gets past a limit.
  const lineCounter = new LineCounter();
  const docs: Document.Parsed[] = [];
  let scanned: ReturnType<typeof prescan>;
  try {
    // Duplicate keys are checked below in linear time; yaml's `uniqueKeys` is quadratic in the map size.
    const parser = new Parser(lineCounter.addNewLine);
    const composer = new Composer({ uniqueKeys: false, strict: true, logLevel: 'error' });
    lineCounter.addNewLine(0);
    const compose = (tokens: Iterable<Parameters<Composer['next']>[0]>) => {
      for (const token of tokens) for (const doc of composer.next(token)) docs.push(doc as Document.Parsed);
    };
    scanned = prescan(text, (lexeme) => compose(parser.next(lexeme)));
    if (!scanned) {
      compose(parser.end());
      for (const doc of composer.end()) docs.push(doc as Document.Parsed);
    }
  } catch (error) {
    // The parser recurses; absurd nesting can exhaust the stack before our depth check runs.
    if (error instanceof RangeError) return fail('source/too-deep', `nesting is too deep; the limit is ${LIMITS.maxDepth} levels`);
    throw error;
  }
  if (scanned) {
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < scanned.offset; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    return fail(scanned.ruleId, scanned.message, { start: toPosition(lines, scanned.offset), end: toPosition(lines, scanned.offset + 1) });
  }
  if (!Array.isArray(docs) || docs.length === 0 || isEmptyNode(docs[0]!.contents)) {
    return fail('source/empty', 'file is empty: a topology needs at least `version`, `name`, `entry` and `agents`');
  }
  const doc = docs[0]!;
  const source: SourceFile = { path, text, doc, lineCounter };
  const rangeOf = (start: number, end: number): SourceRange => ({
    start: toPosition(lineCounter, start),
    end: toPosition(lineCounter, Math.max(start, end)),
  });
  const diagnostics: DiagnosticDraft[] = [];
  const report = (ruleId: string, message: string, start: number, end: number) => diagnostics.push({ ruleId, message, pointer: '', range: rangeOf(start, end) });

  for (const error of doc.errors) report(`yaml/${kebab(error.code)}`, cleanYamlMessage(error.message), error.pos[0], error.pos[1]);
  for (const extra of docs.slice(1)) {
    const start = extra.range[0];
    report('source/multiple-documents', 'file holds more than one YAML document; put each topology in its own file', start, start + 3);
  }
  const control = NON_PRINTABLE.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    report('source/control-character', `the raw character U+${code} is not allowed in YAML; write it as an escape inside a double-quoted string`, control.index, control.index + 1);
  }
  const version = doc.directives?.yaml;
  if (version?.explicit && version.version !== '1.2') {
    // YAML 1.1 would silently merge `<<` keys and read `yes`/`no` as booleans.
    const at = Math.max(0, /^%YAML\b/m.exec(text)?.index ?? 0);
    report('source/yaml-version', `%YAML ${version.version} is not supported; topologies are YAML 1.2 (remove the directive)`, at, at + 5);
  }

  try {
    checkNodes(doc, text, lineCounter, report);
  } catch (error) {
    if (error instanceof RangeError) return { source, data: undefined, diagnostics: [...diagnostics, { ruleId: 'source/too-deep', message: `nesting is too deep; the limit is ${LIMITS.maxDepth} levels`, pointer: '', range: START }] };
    throw error;
  }

  if (diagnostics.length > 0) return { source, data: undefined, diagnostics };
  let data: unknown;
  try {
    // checkNodes has bounded what aliases expand to, and toJS shares (does not copy) aliased values.
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    if (!(error instanceof RangeError) && !(error instanceof ReferenceError)) throw error;
    return { source, data: undefined, diagnostics: [{ ruleId: 'source/alias-limit', message: `aliases cannot be resolved (${(error as Error).message})`, pointer: '', range: START }] };
  }
  return { source, data, diagnostics };
}

function fail(ruleId: string, message: string, range: SourceRange = START): LoadResult {
  return { data: undefined, diagnostics: [{ ruleId, message, pointer: '', range }] };
}

type Report = (ruleId: string, message: string, start: number, end: number) => void;

/**
 * Nesting the pre-scan lets through to the parser, whose recursion overflows the stack somewhere
 * past a few hundred levels. Up to here the exact check after parsing reports, and locates, nesting
 * past `LIMITS.maxDepth`.
 */
const MAX_PARSE_DEPTH = 4 * LIMITS.maxDepth;

/**
 * Count tokens and estimate nesting with yaml's lexer, which runs in constant memory, and stop at the
 * first token over a limit. The lexer's tokens are slices of the text in order (apart from zero-width
 * control tokens), so summing their lengths gives each token's offset. Depth is estimated as the
 * number of open indentation levels, plus `-` and `?` indicators on the current line, plus open
 * flow collections.
 */
function prescan(text: string, accept: (lexeme: string) => void): { ruleId: string; message: string; offset: number } | undefined {
  const { Lexer } = yamlLibrary();
  let offset = 0;
  let tokens = 0;
  let flow = 0;
  const indents: number[] = [];
  let atLineStart = true;
  let lineIndent = 0;
  let lineIndicators = 0;
  const step = (token: string): { ruleId: string; message: string; offset: number } | undefined => {
    if (token === '\x18') flow = 0; // the lexer gave up on an unclosed flow collection
    if (token === '\x02' || token === '\x1f' || token === '\x18') return undefined;
    const start = offset;
    offset += token.length;
    if (token === '\n' || token === '\r\n') {
      atLineStart = true;
      lineIndent = 0;
      lineIndicators = 0;
      return undefined;
    }
    if (/^[ \t]*$/.test(token)) {
      if (atLineStart) lineIndent = token.length;
      return undefined;
    }
    if (++tokens > LIMITS.maxTokens) {
      return { ruleId: 'source/token-limit', message: `file holds more than ${LIMITS.maxTokens.toLocaleString('en-US')} YAML tokens; a topology is far smaller`, offset: start };
    }
    if (token.startsWith('#')) return undefined;
    if (atLineStart) {
      atLineStart = false;
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! > lineIndent) indents.pop();
        if (indents.length === 0 || indents[indents.length - 1]! < lineIndent) indents.push(lineIndent);
      }
    }
    if (token === '---' || token === '...') indents.length = 0;
    else if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (flow === 0 && (token === '-' || token === '?')) lineIndicators++;
    if (indents.length + lineIndicators + flow > MAX_PARSE_DEPTH) {
      return { ruleId: 'source/too-deep', message: `nesting is deeper than ${LIMITS.maxDepth} levels`, offset: start };
    }
    return undefined;
  };
  for (const token of new Lexer().lex(text)) {
    const problem = step(token);
    if (problem) return problem;
    accept(token);
  }
  return undefined;
}

/** Depth, aliases, tags and keys: what the parser accepts but a topology must not contain. */
function checkNodes(doc: Document.Parsed, text: string, lineCounter: LineCounter, report: Report): void {
  const { isAlias, isCollection, isMap, isNode, isPair, isScalar, visit } = yamlLibrary();
  let aliases = 0;
  let expansion = 0;
  let tooDeep = false;
  const anchors = new Map<string, Node>();
  const targets = new Map<Node, Node>();
  const weights = new Map<Node, number>();
  const maps: YAMLMap[] = [];
  /** Collections above each collection, so a node's depth is its nearest collection ancestor's plus one. */
  const collectionDepth = new Map<Node, number>();
  /** How many nodes a node stands for once aliases are expanded. */
  const weight = (node: unknown): number => {
    if (!isNode(node)) return 0;
    if (isAlias(node)) {
      const target = targets.get(node);
      return target ? weight(target) : 1;
    }
    if (!isCollection(node)) return 1;
    let total = weights.get(node);
    if (total === undefined) {
      total = 1;
      for (const item of node.items) total += isPair(item) ? weight(item.key) + weight(item.value) : weight(item);
      weights.set(node, total);
    }
    return total;
  };

  visit(doc, {
    Node(_key, node, path) {
      let depth = 0;
      for (let i = path.length - 1; i >= 0; i--) {
        const above = path[i];
        if (isCollection(above)) {
          depth = collectionDepth.get(above)! + 1;
          break;
        }
      }
      if (isCollection(node)) collectionDepth.set(node, depth);
      if (depth > LIMITS.maxDepth) {
        if (!tooDeep && node.range) report('source/too-deep', `nesting is deeper than ${LIMITS.maxDepth} levels`, node.range[0], node.range[1]);
        tooDeep = true;
        return visit.SKIP;
      }
      if (isAlias(node)) {
        const range = node.range ?? [0, 0];
        aliases++;
        if (aliases === LIMITS.maxAliases + 1) {
          report('source/alias-limit', `more than ${LIMITS.maxAliases} aliases; simplify the file or use named schemas and filters instead`, range[0], range[1]);
        }
        const target = anchors.get(node.source);
        if (!target) {
          report('source/unresolved-alias', `alias \`*${node.source}\` has no anchor \`&${node.source}\` before it`, range[0], range[1]);
        } else if (path.includes(target as never)) {
          report('source/recursive-alias', `alias \`*${node.source}\` is inside the node it refers to; a value cannot contain itself`, range[0], range[1]);
        } else {
          targets.set(node, target);
          if (!tooDeep && expansion <= LIMITS.maxAliasExpansion) {
            expansion += weight(target);
            if (expansion > LIMITS.maxAliasExpansion) {
              report(
                'source/alias-limit',
                `aliases expand to more than ${LIMITS.maxAliasExpansion.toLocaleString('en-US')} nodes (an "alias bomb"); write the values out or use named schemas and filters`,
                range[0],
                range[1],
              );
            }
          }
        }
        return undefined;
      }
      if (node.anchor) anchors.set(node.anchor, node);
      if (isMap(node)) maps.push(node);
      if (node.tag && !STANDARD_TAGS.has(node.tag) && node.range) {
        const tagStart = findTag(text, node.range[0]);
        report('source/custom-tag', `tag ${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not allowed; topologies are plain data`, tagStart, node.range[1]);
        if (isScalar(node)) return visit.SKIP;
      }
      return undefined;
    },
  });
  // Keys last: an alias used as a key resolves through the anchors recorded above.
  for (const map of maps) checkKeys(map.items, (alias) => targets.get(alias), lineCounter, report);
}

/** Keys must be unique (compared as the strings they become) and plain scalars, not lists or mappings. */
function checkKeys(pairs: readonly unknown[], resolveAlias: (alias: Node) => Node | undefined, lineCounter: LineCounter, report: Report): void {
  const { isAlias, isCollection, isMap, isNode, isPair, isScalar } = yamlLibrary();
  const seen = new Map<string, Node>();
  for (const pair of pairs) {
    if (!isPair(pair) || !isNode(pair.key) || !pair.key.range) continue;
    const written = pair.key;
    const key = isAlias(written) ? resolveAlias(written) : written;
    if (isCollection(key)) {
      report('source/complex-key', `a key must be a plain name, not a ${isMap(key) ? 'mapping' : 'list'}`, written.range![0], written.range![1]);
      continue;
    }
    if (!isScalar(key)) continue;
    const name = key.value === null || key.value === undefined ? '' : String(key.value);
    const first = seen.get(name);
    if (first?.range) {
      report('yaml/duplicate-key', `duplicate key \`${name}\`; YAML keys must be unique (the first is on line ${lineCounter.linePos(first.range[0]).line})`, written.range![0], written.range![1]);
    } else {
      seen.set(name, written);
    }
  }
}

/**
 * Where the tag of a node starting at `nodeStart` begins. A node's range starts after its properties
 * (`!tag &anchor`), which may sit on the line before (`key: !!omap` then the items).
 */
function findTag(text: string, nodeStart: number): number {
  const bang = text.lastIndexOf('!', nodeStart);
  if (bang < 0) return nodeStart;
  let start = bang;
  while (start > 0 && !/[\s,[\]{}]/.test(text[start - 1]!)) start--;
  if (text[start] !== '!') return nodeStart;
  let end = start;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  // Between the tag and the node only whitespace, an anchor or a comment may stand.
  return /^(?:\s|&\S+|#[^\n]*)*$/.test(text.slice(end, nodeStart)) ? start : nodeStart;
}

function isEmptyNode(node: unknown): boolean {
  const { isScalar } = yamlLibrary();
  // `---` alone, or nothing but comments: a null scalar written as nothing at all.
  return node === null || node === undefined || (isScalar(node) && node.value === null && node.source === '' && !node.tag && !node.anchor);
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
