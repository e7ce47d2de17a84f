/**
 * The only ways user text enters generated code. Every YAML string goes through `lit` (a string
 * literal) or `docComment` (a comment); every identifier through `NameAllocator`, which only makes
 * names from `[A-Za-z0-9_$]` and never hands out the same one twice.
 */

/** A TypeScript string literal for any string: JSON quoting plus the two line terminators JSON leaves raw. */
export function lit(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A multi-line string as an array of line literals joined at run time: reviewable in diffs, safe for any text. */
export function multiline(value: string): string {
  if (!value.includes('\n')) return lit(value);
  return `[\n${value.split('\n').map((line) => `  ${lit(line)},`).join('\n')}\n].join("\\n")`;
}

/** Any JSON value as a TypeScript expression (object keys and strings escaped through `lit`). */
export function jsonLiteral(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return lit(value);
  if (Array.isArray(value)) return `[${value.map(jsonLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${jsonLiteral(v)}`).join(', ')} }`;
  }
  throw new Error(`internal: cannot emit a ${typeof value} as JSON`);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object key: bare when it is a plain identifier, else a string literal (`"__proto__"` stays quoted). */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) && key !== '__proto__' ? key : lit(key);
}

/** A `/** … *\/` comment. `*\/` in user text would end the comment early, so it is broken up. */
export function docComment(text: string, indent = ''): string {
  const lines = text.replace(/\*\//g, '*\\/').replace(/\r/g, '').split('\n');
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

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  allocate(preferred: string): string {
    let base = preferred.replace(/[^A-Za-z0-9_$]/g, '_');
    if (!IDENTIFIER.test(base)) base = `_${base}`;
    let name = base;
    for (let n = 2; this.taken.has(name) || RESERVED.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }
}
