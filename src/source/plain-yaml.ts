/**
 * A fast reader for the plain, block-style YAML that topologies are written in: mappings with
 * simple keys, `- ` sequences, one-line flow collections, plain scalars, one-line quoted scalars, `|` and
 * `>` block scalars, comments. It returns the same data yaml's `toJS()` would, or `undefined` as soon
 * as the text steps outside that subset (anchors, tags, multi-line flow or quoted scalars, tabs,
 * numbers in other notations, duplicate keys, …); `loadYaml` then takes the full path, which also
 * reports every problem. The full parse, with positions, runs only when something needs a position.
 *
 * Rule of thumb: when in doubt, give up. A wrong `undefined` costs a few milliseconds; a wrong value
 * would be a silent difference between two readings of one file. test/source/plain-yaml.test.ts
 * checks both readings agree on every shipped file and on thousands of mutated ones.
 */

/** Thrown to leave the subset; caught once at the top. */
const OUTSIDE = Symbol('outside the plain subset');

/** Keys the fast path accepts: a plain name that stays a string (not `true`, `null`, a number…). */
const KEY = /^[A-Za-z_$][\w$./-]*(?=:(?: |$))/;
/** A key inside a flow mapping, matched where the reader stands (sticky). */
const FLOW_KEY = /[A-Za-z_$][\w$./-]*(?=: )/y;
const NOT_STRING_KEYS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '__proto__']);
/** Plain scalars that YAML 1.2's core schema reads as numbers (yaml's int, float and special float tests). */
const CORE_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** The deepest nesting the fast path reads; the full path reports anything past LIMITS.maxDepth (64). */
const MAX_DEPTH = 48;
/**
 * Characters YAML forbids or treats specially that the full path reports (controls, a BOM mid-file)
 * or that some readers take as line breaks (NEL, LS, PS), and tabs, which YAML forbids in
 * indentation: their files take the full path.
 */
const SPECIAL_CHARACTERS = /[\x00-\x09\x0B-\x1F\x7F-\x9F\uFEFF\uFFFE\uFFFF\u2028\u2029\uD800-\uDFFF]/;

export interface PlainYaml {
  readonly data: unknown;
  /**
   * For each block sequence in `data`, the 1-based line each item starts on (0 where the reader did
   * not note it): eval reports give each case's line without parsing the file again for positions.
   */
  readonly itemLines: WeakMap<readonly unknown[], readonly number[]>;
}

/**
 * Read `text` (line breaks already normalised to `\n`) if it lies in the plain subset. `maxLength`
 * keeps the fast path under the full path's token limit: every YAML token holds at least one character.
 */
export function readPlainYaml(text: string, maxLength: number): PlainYaml | undefined {
  if (text.length > maxLength || SPECIAL_CHARACTERS.test(text)) return undefined;
  try {
    const reader = new PlainReader(text.split('\n'));
    const data = reader.document();
    return { data, itemLines: reader.itemLines };
  } catch (error) {
    if (error === OUTSIDE || error instanceof RangeError) return undefined;
    throw error;
  }
}

function outside(): never {
  throw OUTSIDE;
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/** A line with nothing but spaces, or nothing but a comment. */
function isSkippable(line: string): boolean {
  const indent = indentOf(line);
  return indent === line.length || line.charCodeAt(indent) === 35; /* # */
}

class PlainReader {
  /** The line being read. */
  private at = 0;
  readonly itemLines = new WeakMap<readonly unknown[], readonly number[]>();

  constructor(private readonly lines: readonly string[]) {}

  document(): unknown {
    const first = this.nextContent(0);
    if (first === this.lines.length) outside(); // empty: the full path says so
    const line = this.lines[first]!;
    if (indentOf(line) !== 0 || !KEY.test(line)) outside(); // a top-level mapping only
    this.at = first;
    const data = this.mapping(0, 1);
    if (this.nextContent(this.at) !== this.lines.length) outside(); // something at a wrong indentation
    return data;
  }

  /** The index of the first line from `from` that holds content. */
  private nextContent(from: number): number {
    let i = from;
    while (i < this.lines.length && isSkippable(this.lines[i]!)) i++;
    return i;
  }

  /**
   * A block mapping whose keys sit at column `indent`. Its first key starts at that column of the
   * current line, which may hold `- ` before it (a mapping inside a sequence item). Like every reader
   * here it leaves `at` on the first line it did not consume.
   */
  private mapping(indent: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) outside();
    const map: Record<string, unknown> = {};
    for (;;) {
      const line = this.lines[this.at]!;
      const key = KEY.exec(indent === 0 ? line : line.slice(indent))?.[0];
      if (key === undefined || key.length > 1000 || NOT_STRING_KEYS.has(key) || Object.hasOwn(map, key)) outside();
      map[key] = this.value(line.slice(indent + key.length + 1), indent, depth, true);
      this.at = this.nextContent(this.at);
      if (this.at === this.lines.length) return map;
      const next = indentOf(this.lines[this.at]!);
      if (next < indent) return map;
      if (next > indent) outside();
    }
  }

  /**
   * A block sequence whose `-` sit at column `indent`; `ownLevel` is false for one written at its
   * key's indentation (`key:` then `- a` below it), which ends where the next key begins.
   */
  private sequence(indent: number, depth: number, ownLevel: boolean): unknown[] {
    if (depth > MAX_DEPTH) outside();
    const items: unknown[] = [];
    const lines: number[] = [];
    this.itemLines.set(items, lines);
    for (;;) {
      const line = this.lines[this.at]!;
      if (line.charCodeAt(indent) !== 45 /* - */ || line.charCodeAt(indent + 1) !== 32) {
        if (!ownLevel && items.length > 0) return items;
        outside(); // `-` alone on its line, `-x`, or a stray line
      }
      const rest = line.slice(indent + 1);
      const column = indent + 1 + indentOf(rest);
      // The item starts on the dash's line unless it is a block below it (`- # note`, then the lines).
      lines.push(column === line.length || line.charCodeAt(column) === 35 /* # */ ? 0 : this.at + 1);
      if (KEY.test(line.slice(column))) items.push(this.mapping(column, depth + 1));
      else items.push(this.value(rest, indent, depth, false));
      this.at = this.nextContent(this.at);
      if (this.at === this.lines.length) return items;
      const next = indentOf(this.lines[this.at]!);
      if (next < indent) return items;
      if (next > indent) outside();
    }
  }

  /**
   * The value after `key:` or `- ` on the current line: `rest` is the rest of that line, `parent` the
   * column of the key or dash, which the lines of a nested block must go past.
   */
  private value(rest: string, parent: number, depth: number, inMapping: boolean): unknown {
    const start = indentOf(rest);
    if (start === 0 && rest.length > 0) outside(); // `key:value` is one plain scalar, not a pair
    if (start === rest.length || rest.charCodeAt(start) === 35 /* # */) return this.nestedBlock(parent, depth, inMapping);
    const text = rest.slice(start);
    let value: unknown;
    switch (text[0]) {
      case '|':
      case '>':
        return this.blockScalar(text, parent);
      case '"':
      case "'": {
        const [string, end] = text[0] === '"' ? doubleQuoted(text, 1) : singleQuoted(text, 1);
        expectLineEnd(text, end);
        value = string;
        break;
      }
      case '[':
      case '{': {
        const [collection, end] = flowCollection(text, 0, depth + 1);
        expectLineEnd(text, end);
        value = collection;
        break;
      }
      default: {
        let plain = blockPlain(text);
        // More indented lines continue a plain scalar (yaml's stringify folds long ones at 80 columns).
        if (!text.includes(' #')) plain = this.plainContinuation(plain, parent);
        value = resolvePlain(plain);
      }
    }
    this.at++;
    // A more indented line after a one-line value (after a comment, say) would be an error: not ours.
    const next = this.nextContent(this.at);
    if (next < this.lines.length && indentOf(this.lines[next]!) > parent) outside();
    return value;
  }

  /**
   * `first` plus the lines that continue it: each more indented than `parent`, folded into one space,
   * or into one line break per empty line between them. Leaves `at` on the last line taken.
   */
  private plainContinuation(first: string, parent: number): string {
    let plain = first;
    let empties = 0;
    for (let i = this.at + 1; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      const indent = indentOf(line);
      if (indent === line.length) {
        empties++;
        continue;
      }
      if (indent <= parent || line.charCodeAt(indent) === 35 /* # */) break; // the scalar ends; a comment ends it too
      const more = trimSpaces(line.slice(indent));
      // Whatever could start a node or a comment, or make a pair, is not read as text here.
      if (INDICATORS.includes(more[0]!) || more.includes(': ') || more.includes(' #') || more.endsWith(':')) outside();
      plain += (empties === 0 ? ' ' : '\n'.repeat(empties)) + more;
      empties = 0;
      this.at = i;
    }
    return plain;
  }

  /** What follows `key:` (or `- `) on the next lines: a mapping, a sequence, or nothing (null). */
  private nestedBlock(parent: number, depth: number, inMapping: boolean): unknown {
    const next = this.nextContent(this.at + 1);
    const line = this.lines[next];
    const indent = line === undefined ? -1 : indentOf(line);
    const dash = line !== undefined && line.charCodeAt(indent) === 45 && line.charCodeAt(indent + 1) === 32;
    if (line !== undefined && indent > parent) {
      this.at = next;
      if (dash) return this.sequence(indent, depth + 1, true);
      if (KEY.test(line.slice(indent))) return this.mapping(indent, depth + 1);
      outside(); // a scalar on the next line, `-` alone, …
    }
    if (inMapping && indent === parent && dash) {
      this.at = next;
      return this.sequence(indent, depth + 1, false);
    }
    this.at++;
    return null;
  }

  /** `|`, `|-`, `>` or `>-` on the current line, its content on the lines below. */
  private blockScalar(header: string, parent: number): string {
    const match = /^([|>])(-?)(?: +#.*| *)$/.exec(header);
    if (!match) outside(); // keep (`+`), explicit indentation, or text after the header
    const folded = match[1] === '>';
    const strip = match[2] === '-';
    let i = this.at + 1;
    let contentIndent = -1;
    const body: string[] = [];
    for (; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      const indent = indentOf(line);
      if (indent === line.length) {
        // A line of spaces longer than the content's indentation is content in YAML (and before the
        // first text line, possibly an error): only the shorter ones are plain empty lines.
        if (indent > (contentIndent === -1 ? parent + 1 : contentIndent)) outside();
        body.push('');
        continue;
      }
      if (contentIndent === -1) {
        if (indent <= parent) break;
        contentIndent = indent;
      }
      if (indent < contentIndent) {
        if (indent > parent) outside(); // less indented than the content, more than the key
        break;
      }
      body.push(line.slice(contentIndent));
    }
    if (contentIndent === -1) outside(); // empty block scalar
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    this.at = i;
    let text: string;
    if (folded) {
      text = '';
      let empties = -1; // -1 before the first line
      for (const line of body) {
        if (line === '') {
          if (empties >= 0) empties++;
          else outside(); // leading empty lines in a folded scalar
          continue;
        }
        if (line.charCodeAt(0) === 32 || line.charCodeAt(line.length - 1) === 32) outside(); // more indented, trailing space
        text += empties === -1 ? line : (empties === 0 ? ' ' : '\n'.repeat(empties)) + line;
        empties = 0;
      }
    } else {
      text = body.join('\n');
    }
    return strip ? text : `${text}\n`;
  }
}

/** YAML's indicator characters: a plain scalar that begins with one starts something else, or an error. */
const INDICATORS = '-?:,[]{}#&*!|>\'"%@`';

/** Whether `plain` may stand as a plain scalar: no indicator first, except `-` before text (`-1`, `-x`). */
function startsPlain(plain: string): boolean {
  return !INDICATORS.includes(plain[0]!) || (plain[0] === '-' && plain.length > 1 && plain[1] !== ' ');
}

/** A plain scalar in block context, up to a comment. */
function blockPlain(text: string): string {
  const comment = text.indexOf(' #');
  const plain = trimSpaces(comment === -1 ? text : text.slice(0, comment));
  if (!startsPlain(plain)) outside();
  if (plain.includes(': ') || plain.endsWith(':')) outside();
  return plain;
}

/** The value a plain scalar stands for in YAML 1.2's core schema, or give up on the rarer notations. */
function resolvePlain(plain: string): unknown {
  switch (plain) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  // The core schema's number notations (yaml's own tests): the plain decimal ones are read here.
  if (CORE_NUMBER.test(plain)) {
    if (/^-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/.test(plain) && plain !== '-0') return Number(plain);
    outside(); // 0x1F, 0o17, 1e3, .5, +1, 007, .inf, .nan, …
  }
  return plain;
}

/** Only spaces and an optional comment may follow a quoted scalar or a flow collection. */
function expectLineEnd(text: string, from: number): void {
  if (from === text.length) return;
  if (!/^ +(?:#.*)?$/.test(text.slice(from))) outside();
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', ' ': ' ' };

/** A double-quoted scalar that closes on its line; `from` is just past the opening quote. */
function doubleQuoted(text: string, from: number): [string, number] {
  let out = '';
  let i = from;
  // Each search resumes where the last one ended: searching from `i` every time was quadratic in a
  // long line of escapes.
  let quote = -1;
  let slash = -1;
  for (;;) {
    if (quote < i) quote = text.indexOf('"', i);
    if (slash < i && slash !== -2) slash = text.indexOf('\\', i);
    if (slash === -1) slash = -2; // none left
    if (quote === -1) outside(); // it goes on to the next line
    if (slash === -2 || quote < slash) return [out + text.slice(i, quote), quote + 1];
    out += text.slice(i, slash);
    const escape = text[slash + 1];
    if (escape === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(slash + 2, slash + 6))) {
      out += String.fromCharCode(parseInt(text.slice(slash + 2, slash + 6), 16));
      i = slash + 6;
    } else if (escape !== undefined && Object.hasOwn(ESCAPES, escape)) {
      out += ESCAPES[escape];
      i = slash + 2;
    } else {
      outside(); // \x, \U, \N, a line-continuation, or an unknown escape
    }
  }
}

/** A single-quoted scalar that closes on its line (`''` is a quote). */
function singleQuoted(text: string, from: number): [string, number] {
  let out = '';
  let i = from;
  for (;;) {
    const quote = text.indexOf("'", i);
    if (quote === -1) outside();
    out += text.slice(i, quote);
    if (text[quote + 1] !== "'") return [out, quote + 1];
    out += "'";
    i = quote + 2;
  }
}

/** Trailing spaces off (YAML's white space is space and tab; String#trimEnd also takes NBSP and others). */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(0, end);
}

function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/** `[…]` or `{…}` that closes on its line, starting at `from`; returns the value and the index after it. */
function flowCollection(text: string, from: number, depth: number): [unknown, number] {
  if (depth > MAX_DEPTH) outside();
  const close = text[from] === '[' ? ']' : '}';
  const items: unknown[] = [];
  const map: Record<string, unknown> = {};
  let i = skipSpaces(text, from + 1);
  if (text[i] === close) return [close === ']' ? items : map, i + 1];
  for (;;) {
    if (close === '}') {
      FLOW_KEY.lastIndex = i;
      const key = FLOW_KEY.exec(text)?.[0];
      if (key === undefined || key.length > 1000 || NOT_STRING_KEYS.has(key) || Object.hasOwn(map, key)) outside();
      const [value, end] = flowItem(text, skipSpaces(text, i + key.length + 1), depth);
      map[key] = value;
      i = end;
    } else {
      const [value, end] = flowItem(text, i, depth);
      items.push(value);
      i = end;
    }
    i = skipSpaces(text, i);
    if (text[i] === close) return [close === ']' ? items : map, i + 1];
    if (text[i] !== ',') outside();
    i = skipSpaces(text, i + 1);
    if (text[i] === close || text[i] === ',') outside(); // a trailing or doubled comma
  }
}

/** One value inside a flow collection. */
function flowItem(text: string, from: number, depth: number): [unknown, number] {
  const first = text[from];
  if (first === '[' || first === '{') return flowCollection(text, from, depth + 1);
  if (first === '"') return doubleQuoted(text, from + 1);
  if (first === "'") return singleQuoted(text, from + 1);
  let end = from;
  // A `#` after a space starts a comment; `a#b` is one scalar.
  while (end < text.length && !',[]{}:'.includes(text[end]!) && !(text[end] === '#' && text[end - 1] === ' ')) end++;
  // A `:` inside a flow scalar (`a:b`, an implicit pair), a comment, or a scalar that runs to the line's end.
  if (end === text.length || text[end] === ':' || text[end] === '#') outside();
  const plain = trimSpaces(text.slice(from, end));
  if (plain === '' || !startsPlain(plain)) outside();
  return [resolvePlain(plain), end];
}
