/**
 * Python type hints → JSON Schema, as the Agents SDK's function_schema (pydantic + strict mode) sees
 * them: every property required, no additional properties, `Optional[X]` as a nullable X.
 */
export type JsonSchema = Record<string, unknown>;

/** What the annotation names beyond builtins: pydantic models and enums found in the file. */
export interface TypeScope {
  model(name: string): JsonSchema | undefined;
  /** Called for a type that cannot be expressed; the caller turns it into a located note. */
  unknown(typeText: string, why: string): void;
}

interface TypeExpr {
  name: string;
  args: TypeExpr[];
  literal?: string | number | boolean;
}

/** Parse an annotation's source text (`Optional[list[Literal["a", "b"]]]`, `str | None`). */
export function parseAnnotation(text: string): TypeExpr | undefined {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*|[[\],|]/g) ?? [];
  let at = 0;
  const union = (): TypeExpr | undefined => {
    const options: TypeExpr[] = [];
    do {
      const option = atom();
      if (!option) return undefined;
      options.push(option);
    } while (tokens[at] === '|' && ++at);
    return options.length === 1 ? options[0] : { name: 'Union', args: options };
  };
  const atom = (): TypeExpr | undefined => {
    const token = tokens[at++];
    if (token === undefined) return undefined;
    if (/^["']/.test(token)) {
      const inner = token.slice(1, -1);
      // A quoted forward reference (`"Invoice"`) outside Literal is a type name.
      return { name: '<literal>', args: [], literal: inner };
    }
    if (/^-?\d/.test(token)) return { name: '<literal>', args: [], literal: Number(token) };
    if (!/^[A-Za-z_]/.test(token)) return undefined;
    const expr: TypeExpr = { name: token.replace(/^(typing|typing_extensions|collections\.abc)\./, ''), args: [] };
    if (tokens[at] === '[') {
      at++;
      while (tokens[at] !== ']') {
        const arg = union();
        if (!arg) return undefined;
        expr.args.push(arg);
        if (tokens[at] === ',') at++;
        else if (tokens[at] !== ']') return undefined;
      }
      at++;
    }
    return expr;
  };
  const result = union();
  return result && at === tokens.length ? result : undefined;
}

const PRIMITIVES: Record<string, JsonSchema> = {
  str: { type: 'string' },
  int: { type: 'integer' },
  float: { type: 'number' },
  bool: { type: 'boolean' },
  None: { type: 'null' },
  NoneType: { type: 'null' },
  datetime: { type: 'string', format: 'date-time' },
  'datetime.datetime': { type: 'string', format: 'date-time' },
  date: { type: 'string', format: 'date' },
  'datetime.date': { type: 'string', format: 'date' },
  time: { type: 'string', format: 'time' },
  UUID: { type: 'string', format: 'uuid' },
  'uuid.UUID': { type: 'string', format: 'uuid' },
  EmailStr: { type: 'string', format: 'email' },
};

const ARRAYS = new Set(['list', 'List', 'Sequence', 'set', 'Set', 'frozenset', 'FrozenSet', 'tuple', 'Tuple', 'Iterable']);
const MAPS = new Set(['dict', 'Dict', 'Mapping']);

export function annotationSchema(text: string, scope: TypeScope): JsonSchema {
  const parsed = parseAnnotation(text);
  if (!parsed) {
    scope.unknown(text, 'the annotation could not be read');
    return {};
  }
  return exprSchema(parsed, scope, text);
}

function exprSchema(expr: TypeExpr, scope: TypeScope, whole: string): JsonSchema {
  if (expr.literal !== undefined) {
    // A quoted forward reference: `"Invoice"`.
    if (typeof expr.literal === 'string' && /^[A-Za-z_][\w.]*$/.test(expr.literal)) return exprSchema({ name: expr.literal, args: [] }, scope, whole);
    scope.unknown(whole, `a bare literal ${JSON.stringify(expr.literal)} is not a type`);
    return {};
  }
  const primitive = PRIMITIVES[expr.name];
  if (primitive) return { ...primitive };
  if (expr.name === 'Optional' && expr.args.length === 1) return nullable(exprSchema(expr.args[0]!, scope, whole));
  if (expr.name === 'Union') {
    const withoutNone = expr.args.filter((arg) => arg.name !== 'None');
    const schemas = withoutNone.map((arg) => exprSchema(arg, scope, whole));
    const base = schemas.length === 1 ? schemas[0]! : { anyOf: schemas };
    return withoutNone.length < expr.args.length ? nullable(base) : base;
  }
  if (expr.name === 'Literal') {
    const values = expr.args.map((arg) => arg.literal ?? (arg.name === 'None' ? null : arg.name === 'True' ? true : arg.name === 'False' ? false : undefined));
    if (values.some((value) => value === undefined)) {
      scope.unknown(whole, 'Literal holds something other than constants');
      return {};
    }
    const types = [...new Set(values.map((value) => (value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value)))];
    return { type: types.length === 1 ? types[0] : types, enum: values };
  }
  if (expr.name === 'Annotated' && expr.args.length >= 1) return exprSchema(expr.args[0]!, scope, whole);
  if (ARRAYS.has(expr.name)) {
    const item = expr.args[0];
    if (!item) return { type: 'array', items: {} };
    if ((expr.name === 'tuple' || expr.name === 'Tuple') && expr.args.length > 1 && expr.args[1]?.name !== 'Ellipsis') {
      return { type: 'array', prefixItems: expr.args.map((arg) => exprSchema(arg, scope, whole)), minItems: expr.args.length, maxItems: expr.args.length };
    }
    return { type: 'array', items: exprSchema(item, scope, whole) };
  }
  if (MAPS.has(expr.name)) {
    const value = expr.args[1];
    scope.unknown(whole, 'a dict has free-form keys, which strict mode cannot describe; kept as an object with additionalProperties');
    return { type: 'object', additionalProperties: value ? exprSchema(value, scope, whole) : true };
  }
  const model = scope.model(expr.name);
  if (model) return model;
  scope.unknown(whole, expr.name === 'Any' ? 'Any has no schema' : `the type ${expr.name} is not defined in this file`);
  return {};
}

function nullable(schema: JsonSchema): JsonSchema {
  const type = schema.type;
  if (typeof type === 'string' && !('anyOf' in schema)) {
    const result: JsonSchema = { ...schema, type: [type, 'null'] };
    if (Array.isArray(schema.enum)) result.enum = [...(schema.enum as unknown[]), null];
    return result;
  }
  if (Array.isArray(type)) return type.includes('null') ? schema : { ...schema, type: [...(type as string[]), 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

/** Argument descriptions and the summary from a Google, Sphinx or NumPy style docstring. */
export function parseDocstring(doc: string): { description: string; params: Record<string, string> } {
  const lines = doc.split('\n');
  const params: Record<string, string> = {};
  const descriptionLines: string[] = [];
  let section: 'description' | 'google-args' | 'numpy-params' | 'other' = 'description';
  let current: string | undefined;
  let sectionIndent = 0;
  let argIndent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    const indent = line.length - line.trimStart().length;
    const sphinx = /^:param\s+(?:[\w\[\], .|]+\s+)?(\w+):\s*(.*)$/.exec(trimmed);
    if (sphinx) {
      current = sphinx[1]!;
      params[current] = sphinx[2]!.trim();
      section = 'other';
      sectionIndent = indent;
      continue;
    }
    if (/^:(type|returns?|rtype|raises?)\b/.test(trimmed)) {
      section = 'other';
      current = undefined;
      continue;
    }
    if (/^(Args|Arguments|Parameters|Params)\s*:$/.test(trimmed)) {
      section = 'google-args';
      sectionIndent = indent;
      current = undefined;
      argIndent = undefined;
      continue;
    }
    if (/^(Parameters|Params)$/.test(trimmed) && /^-{3,}$/.test(lines[i + 1]?.trim() ?? '')) {
      section = 'numpy-params';
      sectionIndent = indent;
      current = undefined;
      i++;
      continue;
    }
    if (/^(Returns?|Yields?|Raises?|Examples?|Notes?|Attributes|See Also)\s*:?$/.test(trimmed) && (trimmed.endsWith(':') || /^-{3,}$/.test(lines[i + 1]?.trim() ?? ''))) {
      section = 'other';
      current = undefined;
      continue;
    }
    if (section === 'description') {
      descriptionLines.push(line);
      continue;
    }
    if (trimmed === '') continue;
    if (section === 'google-args') {
      const entry = /^(\*{0,2}\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$/.exec(trimmed);
      // A new argument starts at the first argument's indentation; deeper lines continue the last one.
      if (entry && indent <= sectionIndent + 4 && (argIndent === undefined || indent <= argIndent)) {
        current = entry[1]!.replace(/^\*+/, '');
        params[current] = entry[2]!.trim();
        argIndent = indent;
      } else if (current) {
        params[current] = `${params[current]} ${trimmed}`.trim();
      }
    } else if (section === 'numpy-params') {
      const entry = /^(\w+)\s*(?::.*)?$/.exec(trimmed);
      if (entry && indent <= sectionIndent) {
        current = entry[1]!;
        params[current] = '';
      } else if (current) {
        params[current] = `${params[current]} ${trimmed}`.trim();
      }
    } else if (section === 'other' && current && indent > sectionIndent) {
      params[current] = `${params[current]} ${trimmed}`.trim();
    }
  }
  return { description: descriptionLines.join('\n').trim(), params };
}
