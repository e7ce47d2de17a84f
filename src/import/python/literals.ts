/** Static values of Python expressions: strings (plain, implicit concatenation, f-strings), numbers, booleans. */
import type { PyNode } from './parser.js';

export interface StringValue {
  text: string;
  /** Source text of each f-string interpolation, in order (`{RECOMMENDED_PROMPT_PREFIX}`). */
  interpolations: string[];
  /** Text up to the first interpolation, and whether the string starts with one (for prefixes). */
  interpolationAtStart?: string;
}

/** The value of a string literal expression, or undefined when it is not one. */
export function stringValue(node: PyNode | null | undefined): StringValue | undefined {
  if (!node) return undefined;
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1) return stringValue(node.namedChildren[0]);
  if (node.type === 'concatenated_string') {
    const parts = node.namedChildren.map((child) => stringValue(child));
    if (parts.some((part) => !part)) return undefined;
    const first = parts[0];
    return {
      text: parts.map((part) => part!.text).join(''),
      interpolations: parts.flatMap((part) => part!.interpolations),
      ...(first?.interpolationAtStart !== undefined ? { interpolationAtStart: first.interpolationAtStart } : {}),
    };
  }
  if (node.type !== 'string') return undefined;
  const start = node.children.find((child) => child?.type === 'string_start');
  const end = node.children.find((child) => child?.type === 'string_end');
  if (!start || !end) return undefined;
  const prefix = start.text.replace(/['"]+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  const full = node.text;
  const body = full.slice(start.text.length, full.length - end.text.length);
  const interpolations: string[] = [];
  let text = '';
  let cursor = 0;
  let interpolationAtStart: string | undefined;
  for (const child of node.namedChildren) {
    if (child?.type !== 'interpolation') continue;
    const at = body.indexOf(child.text, cursor);
    if (at < 0) continue;
    const before = body.slice(cursor, at);
    if (at === 0) interpolationAtStart = child.text;
    text += raw ? before : unescape(before);
    text += child.text;
    interpolations.push(child.text);
    cursor = at + child.text.length;
  }
  const rest = body.slice(cursor);
  text += raw ? rest : unescape(rest);
  if (prefix.includes('f')) text = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return { text, interpolations, ...(interpolationAtStart !== undefined ? { interpolationAtStart } : {}) };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

function unescape(text: string): string {
  return text.replace(/\\(\n|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (match, code: string) => {
    if (code === '\n') return '';
    if (/^[xuU]/.test(code) && code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
    return SIMPLE_ESCAPES[code] ?? match;
  });
}

export type Literal = string | number | boolean | null | Literal[];

/** A constant expression's value (str, int, float, bool, None, lists and tuples of them). */
export function literalValue(node: PyNode | null | undefined): Literal | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'integer':
      return Number(node.text.replace(/_/g, ''));
    case 'float':
      return Number(node.text.replace(/_/g, ''));
    case 'unary_operator': {
      const operand = literalValue(node.childForFieldName('argument'));
      return typeof operand === 'number' && node.text.trim().startsWith('-') ? -operand : operand;
    }
    case 'list':
    case 'tuple': {
      const items = node.namedChildren.map((child) => literalValue(child));
      return items.every((item) => item !== undefined) ? (items as Literal[]) : undefined;
    }
    default: {
      const str = stringValue(node);
      return str && str.interpolations.length === 0 ? str.text : undefined;
    }
  }
}

/** textwrap.dedent plus trimming of blank first and last lines (triple-quoted prompts and docstrings). */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((line) => line.slice(Math.min(common, /^[ \t]*/.exec(line)![0].length)))
    .join('\n')
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '');
}

/** inspect.cleandoc: the first line is stripped, the rest dedented together. */
export function cleandoc(text: string): string {
  const [first = '', ...rest] = text.replace(/\r\n/g, '\n').split('\n');
  const body = dedent(['', ...rest].join('\n'));
  return [first.trim(), body].filter((part) => part !== '').join('\n').trim();
}
