/**
 * A small layout engine that prints generated TypeScript already formatted, the way prettier (printWidth
 * 100, double quotes, trailing commas) prints these constructs: a group stays on one line when it fits
 * and breaks otherwise. Running prettier over large outputs cost seconds (300 agents: ~9 s here); tests
 * assert that prettier leaves this output unchanged.
 */

export const WIDTH = 100;

export type Doc =
  /** Printed as is, never broken. */
  | string
  /** A string literal: may move to the next line after `key:` when it does not fit. */
  | { readonly kind: 'string'; readonly literal: string }
  /** `{ a: 1 }`; `expand` keeps it broken even when it would fit (prettier preserves that). */
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, Doc])[]; readonly expand?: boolean }
  /** `[a, b]` plus an optional suffix such as `.join("\n")`. */
  | { readonly kind: 'array'; readonly items: readonly Doc[]; readonly suffix?: string }
  /** `(params) => body`. */
  | { readonly kind: 'arrow'; readonly params: string; readonly body: Doc }
  /** `callee(args)`; a trailing object argument is hugged: `callee(x, {`. */
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Doc[] };

export const str = (literal: string): Doc => ({ kind: 'string', literal });
export const object = (entries: readonly (readonly [string, Doc])[], expand = false): Doc => ({ kind: 'object', entries, expand });
export const array = (items: readonly Doc[], suffix?: string): Doc => ({ kind: 'array', items, ...(suffix ? { suffix } : {}) });
export const arrow = (params: string, body: Doc): Doc => ({ kind: 'arrow', params, body });
export const call = (callee: string, args: readonly Doc[]): Doc => ({ kind: 'call', callee, args });

/** The doc on one line, or undefined when something in it must stay broken. */
export function flat(doc: Doc): string | undefined {
  if (typeof doc === 'string') return doc;
  switch (doc.kind) {
    case 'string':
      return doc.literal;
    case 'object': {
      if (doc.expand) return undefined;
      if (doc.entries.length === 0) return '{}';
      const parts = doc.entries.map(([key, value]) => mapDefined(flat(value), (v) => `${key}: ${v}`));
      return parts.includes(undefined) ? undefined : `{ ${parts.join(', ')} }`;
    }
    case 'array': {
      const parts = doc.items.map(flat);
      return parts.includes(undefined) ? undefined : `[${parts.join(', ')}]${doc.suffix ?? ''}`;
    }
    case 'arrow':
      return mapDefined(flat(doc.body), (body) => `${doc.params} => ${body}`);
    case 'call': {
      const parts = doc.args.map(flat);
      return parts.includes(undefined) ? undefined : `${doc.callee}(${parts.join(', ')})`;
    }
  }
}

/**
 * `flat(doc)` if it is at most `budget` characters long, else undefined. Stops as soon as the budget
 * is spent: `render` asks this at every level of a nested doc, and flattening whole subtrees each time
 * made emitting a large object quadratic in its depth.
 */
function flatWithin(doc: Doc, budget: number): string | undefined {
  if (budget < 0) return undefined;
  if (typeof doc === 'string') return doc.length <= budget ? doc : undefined;
  switch (doc.kind) {
    case 'string':
      return doc.literal.length <= budget ? doc.literal : undefined;
    case 'object': {
      if (doc.expand) return undefined;
      if (doc.entries.length === 0) return budget >= 2 ? '{}' : undefined;
      let out = '{ ';
      for (let i = 0; i < doc.entries.length; i++) {
        const [key, value] = doc.entries[i]!;
        const prefix = `${i > 0 ? ', ' : ''}${key}: `;
        const part = flatWithin(value, budget - out.length - prefix.length - 2);
        if (part === undefined) return undefined;
        out += prefix + part;
      }
      out += ' }';
      return out.length <= budget ? out : undefined;
    }
    case 'array':
      return listWithin('[', doc.items, `]${doc.suffix ?? ''}`, budget);
    case 'arrow': {
      const head = `${doc.params} => `;
      const body = flatWithin(doc.body, budget - head.length);
      return body === undefined ? undefined : head + body;
    }
    case 'call':
      return listWithin(`${doc.callee}(`, doc.args, ')', budget);
  }
}

/** `open` + the items flat, comma-separated + `close`, within `budget` characters. */
function listWithin(open: string, items: readonly Doc[], close: string, budget: number): string | undefined {
  let out = open;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ', ';
    const part = flatWithin(items[i]!, budget - out.length - close.length);
    if (part === undefined) return undefined;
    out += part;
  }
  out += close;
  return out.length <= budget ? out : undefined;
}

/**
 * Print `head` + doc + `tail` starting at `indent` spaces: on one line when it fits in WIDTH, else
 * broken the way prettier breaks that construct. Returns lines joined with `\n`, without a final newline.
 */
export function render(doc: Doc, indent: number, head = '', tail = ''): string {
  const pad = ' '.repeat(indent);
  const oneLine = flatWithin(doc, WIDTH - pad.length - head.length - tail.length);
  if (oneLine !== undefined) return pad + head + oneLine + tail;
  if (typeof doc === 'string') return pad + head + doc + tail;
  switch (doc.kind) {
    case 'string':
      // `key: "long text"` moves the string to its own line; elsewhere a string cannot break.
      return head.endsWith(': ') ? `${pad}${head.trimEnd()}\n${pad}  ${doc.literal}${tail}` : pad + head + doc.literal + tail;
    case 'object':
      if (doc.entries.length === 0) return `${pad}${head}{}${tail}`;
      return [`${pad}${head}{`, ...doc.entries.map(([key, value]) => render(value, indent + 2, `${key}: `, ',')), `${pad}}${tail}`].join('\n');
    case 'array':
      if (doc.items.length === 0) return `${pad}${head}[]${doc.suffix ?? ''}${tail}`;
      return [`${pad}${head}[`, ...doc.items.map((item) => render(item, indent + 2, '', ',')), `${pad}]${doc.suffix ?? ''}${tail}`].join('\n');
    case 'arrow': {
      const body = flatWithin(doc.body, WIDTH - (pad + head + doc.params + ' => ' + tail).length);
      if (body !== undefined) return pad + head + doc.params + ' => ' + body + tail;
      return `${pad}${head}${doc.params} =>\n${render(doc.body, indent + 2, '', tail)}`;
    }
    case 'call': {
      const last = doc.args[doc.args.length - 1];
      const rest = doc.args.slice(0, -1).map(flat);
      if (last !== undefined && typeof last !== 'string' && last.kind === 'object' && !rest.includes(undefined)) {
        const opening = `${doc.callee}(${[...rest, ''].join(', ')}`;
        return render(last, indent, head + opening, `)${tail}`);
      }
      return [`${pad}${head}${doc.callee}(`, ...doc.args.map((arg) => render(arg, indent + 2, '', ',')), `${pad})${tail}`].join('\n');
    }
  }
}

/** `left = right;`, broken after `=` when it does not fit (prettier's assignment layout). */
export function assignment(left: string, right: string, tail = ';'): string {
  const line = `${left} = ${right}${tail}`;
  return line.length <= WIDTH ? line : `${left} =\n  ${right}${tail}`;
}

/** `import { a, b } from "x";`, one specifier per line when it does not fit. */
export function importStatement(specifiers: readonly string[], from: string, keyword = 'import'): string {
  const line = `${keyword} { ${specifiers.join(', ')} } from ${from};`;
  return line.length <= WIDTH ? line : `${keyword} {\n${specifiers.map((s) => `  ${s},`).join('\n')}\n} from ${from};`;
}

/** A union type after `head` (`name: ` or `export type X = `): one line, or one member per line. */
export function unionType(members: readonly string[], indent: number, head: string, tail: string): string {
  const pad = ' '.repeat(indent);
  const line = `${pad}${head}${members.join(' | ')}${tail}`;
  if (line.length <= WIDTH || members.length < 2 || members.some((m) => m.includes('\n'))) return line;
  return `${pad}${head.trimEnd()}\n${members.map((m, i) => `${pad}  | ${m}${i === members.length - 1 ? tail : ''}`).join('\n')}`;
}

function mapDefined<T, U>(value: T | undefined, fn: (value: T) => U): U | undefined {
  return value === undefined ? undefined : fn(value);
}
