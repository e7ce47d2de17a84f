import { array, object, str, type Doc } from './typescript/layout.js';

/**
 * The only ways user text enters generated code. Every YAML string goes through `lit` (a string
 * literal) or `docComment` (a comment); every identifier through `NameAllocator`, which only makes
 * names from `[A-Za-z0-9_$]` and never hands out the same one twice.
 */

/**
 * A TypeScript string literal for any string: JSON escaping plus the two line terminators JSON leaves
 * raw. Like prettier, it uses single quotes when that needs fewer escapes (more `"` than `'` inside).
 */
export function lit(value: string): string {
  // JSON leaves U+2028/U+2029, C1 controls and bidi overrides raw; escaped, no editor or terminal
  // can hide or reorder generated code with them ("Trojan Source").
  const json = JSON.stringify(value).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const doubles = value.split('"').length - 1;
  const singles = value.split("'").length - 1;
  if (doubles <= singles) return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** A multi-line string as an array of line literals joined at run time: reviewable in diffs, safe for any text. */
export function multiline(value: string): Doc {
  if (!value.includes('\n')) return str(lit(value));
  return array(value.split('\n').map((line) => str(lit(line))), '.join("\\n")');
}

/** Any JSON value as a layout doc (object keys and strings escaped through `propertyKey` and `lit`). */
export function jsonDoc(value: unknown): Doc {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return str(lit(value));
  if (Array.isArray(value)) return array(value.map(jsonDoc));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return object(entries.map(([k, v]) => [propertyKey(k), jsonDoc(v)] as const));
  }
  throw new Error(`internal: cannot emit a ${typeof value} as JSON`);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * An object key: bare when it is a plain identifier, else a string literal. `__proto__` is computed:
 * written `__proto__:` or `"__proto__":` an object literal sets its prototype instead of a property.
 */
export function propertyKey(key: string): string {
  if (key === '__proto__') return '["__proto__"]';
  return IDENTIFIER.test(key) ? key : lit(key);
}

/** A `/** … *\/` comment. `*\/` in user text would end the comment early, so it is broken up. */
export function docComment(text: string, indent = ''): string {
  const lines = text
    .replace(/\*\//g, '*\\/')
    .replace(/\r/g, '')
    // Raw control, line-separator and bidi characters would hide or reorder code in editors and diffs.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */`;
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`.trimEnd()), `${indent} */`].join('\n');
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await async of type any unknown never object string number boolean symbol bigint undefined arguments eval'
  ).split(' '),
);

/** Hands out unique, valid identifiers; a taken or reserved name gets a numeric suffix. */
export class NameAllocator {
  private readonly taken = new Set<string>();
  /**
   * The last suffix tried per base: every smaller one was taken then and `taken` only grows, so the
   * search resumes there (one export bound to 1,500 tools was 1.1 million lookups).
   */
  private readonly nextSuffix = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  allocate(preferred: string): string {
    let base = preferred.replace(/[^A-Za-z0-9_$]/g, '_');
    if (!IDENTIFIER.test(base)) base = `_${base}`;
    let name = base;
    let n = this.nextSuffix.get(base);
    if (n !== undefined) name = `${base}_${n}`;
    else n = 2;
    for (; this.taken.has(name) || RESERVED.has(name); n++) name = `${base}_${n}`;
    this.nextSuffix.set(base, n);
    this.taken.add(name);
    return name;
  }
}
