import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DiagnosticDraft } from '../diagnostics/types.js';
import { closestMatch, didYouMean, listNames } from '../diagnostics/suggest.js';
import { childPointer, decodePointer } from '../source/pointer.js';
import { checkEmbeddedSchemas, EMBEDDED_META_SCHEMA, type ValidateOne } from './embedded-schema.js';


/** The schema editors use through the `yaml-language-server` modeline is the one we validate with. */
export const TOPOLOGY_SCHEMA_URL = new URL('../../schema/topology.schema.json', import.meta.url);

interface Validators {
  /** The topology schema. */
  readonly topology: ValidateFunction;
  /** One embedded JSON Schema object against the draft-07 meta-schema (see embedded-schema.ts). */
  readonly embedded: ValidateFunction;
}

let compiled: Validators | undefined;
let compiledVerdicts: Validators | undefined;

/** Compile the schemas with the options every caller must share (the build precompiles the same). */
export function compileTopologySchema(options: { source?: boolean; firstErrorOnly?: boolean } = {}) {
  const written = JSON.parse(readFileSync(TOPOLOGY_SCHEMA_URL, 'utf8')) as JsonObject;
  // Error paths need every `$ref` inlined (see inlineRefs); a verdict does not, and keeping the
  // references (one function per definition, also in ajv) makes its code about 40% smaller.
  const schema = options.firstErrorOnly ? written : inlineRefs(written);
  // Loaded on demand: the built CLI uses the precompiled validator and never needs ajv's compiler.
  const Ajv = (createRequire(import.meta.url)('ajv') as { default: (typeof import('ajv'))['default'] }).default;
  // firstErrorOnly: the same schema and strictness, so the same verdict, in a fraction of the code.
  const reporting = options.firstErrorOnly ? { allErrors: false, verbose: false, inlineRefs: false } : { allErrors: true, verbose: true };
  const ajv = new Ajv({ ...reporting, strict: true, strictRequired: false, allowUnionTypes: true, ...(options.source ? { code: { source: true } } : {}) });
  const validate = ajv.compile(schema);
  const embedded = ajv.compile(EMBEDDED_META_SCHEMA);
  return { ajv, validate, embedded, ids: { topology: String(schema.$id), embedded: EMBEDDED_META_SCHEMA.$id } };
}

/**
 * The build writes the compiled validators next to this module (dist/schema/topology-validator.cjs,
 * exporting `topology` and `embedded`): compiling the schema at start-up was a third of a cold
 * `validate`. Running from source, compile them.
 */
function validators(): Validators {
  if (!compiled) {
    try {
      compiled = createRequire(import.meta.url)('./topology-validator.cjs') as Validators;
      if (typeof compiled.embedded !== 'function') throw new Error('stale precompiled validator');
    } catch {
      const { validate, embedded } = compileTopologySchema();
      compiled = { topology: validate, embedded };
    }
  }
  return compiled!;
}

/**
 * Validators that stop at the first error (dist/schema/topology-verdict.cjs, half the other's
 * code): a valid file, the usual case, never loads the all-errors ones. Running from source, none.
 */
function verdictValidators(): Validators | undefined {
  if (!compiledVerdicts) {
    try {
      compiledVerdicts = loadWithCodeCache(new URL('./topology-verdict.cjs', import.meta.url)) as Validators;
      if (typeof compiledVerdicts.embedded !== 'function') return undefined;
    } catch {
      return undefined;
    }
  }
  return compiledVerdicts;
}

/**
 * The V8 code cache the CLI build stores next to a .cjs: `<file>.cache` holds the source's length
 * (4 bytes), the source itself, then V8's data. The copy of the source is the key: comparing it costs
 * microseconds, and loading node:crypto for a hash took longer than the comparison it replaces.
 */
export const codeCachePath = (file: URL) => new URL(`${file.href}.cache`);
export const codeCacheFile = (source: Buffer, cachedData: Buffer): Buffer => {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(source.length);
  return Buffer.concat([length, source, cachedData]);
};

/** Wrap CommonJS source the way Node does, so a `vm.Script` over it can produce and use a code cache. */
export function commonJsScript(file: URL, source: string, cachedData?: Buffer): Script {
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: fileURLToPath(file), ...(cachedData ? { cachedData } : {}) });
}

export function runCommonJsScript(file: URL, script: Script): unknown {
  const path = fileURLToPath(file);
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, path, dirname(path));
  return module.exports;
}

/**
 * Load a CommonJS file, using its code cache when one is there and its key matches the source: the
 * verdict validator is ~250 kB, and compiling its functions was the largest cost of a cold `validate`
 * after Node itself. No cache, a stale one, or one V8 rejects: compiled from source, as `require` would.
 */
function loadWithCodeCache(file: URL): unknown {
  const source = readFileSync(file);
  return runCommonJsScript(file, commonJsScript(file, source.toString('utf8'), cachedDataFor(file, source)));
}

/** V8's data from `file`'s code cache, if there is one and it was made from exactly `source`. */
export function cachedDataFor(file: URL, source: Buffer): Buffer | undefined {
  let cache: Buffer;
  try {
    cache = readFileSync(codeCachePath(file));
  } catch {
    return undefined; // no cache (running from source or the library build): compile as usual
  }
  const length = cache.length >= 4 ? cache.readUInt32LE(0) : -1;
  return length === source.length && cache.length > 4 + length && cache.subarray(4, 4 + length).equals(source) ? cache.subarray(4 + length) : undefined;
}

type JsonObject = Record<string, unknown>;

/**
 * Replace every local `$ref` with the definition it names. ajv restarts `schemaPath` inside a `$ref`,
 * which would hide which `anyOf` branch an error belongs to; inlined, every path is absolute.
 * The topology schema is not recursive, so this terminates.
 */
function inlineRefs(root: JsonObject): JsonObject {
  const definitions = (root.definitions ?? {}) as Record<string, JsonObject>;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const object = node as JsonObject;
    if (typeof object.$ref === 'string' && object.$ref.startsWith('#/definitions/')) {
      const { $ref, ...siblings } = object;
      const target = definitions[$ref.slice('#/definitions/'.length)];
      if (!target) throw new Error(`schema: unresolved ${$ref}`);
      return walk({ ...target, ...siblings });
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(object)) {
      if (key === 'definitions') continue;
      // `properties`, `definitions` and the like are maps of names to schemas; their keys are not keywords.
      out[key] = walk(value);
    }
    return out;
  };
  return walk(root) as JsonObject;
}

/**
 * Validate plain data against the topology schema, and every JSON Schema it embeds against the
 * draft-07 meta-schema; turn ajv's errors into one clear diagnostic per problem.
 */
export function validateSchema(data: unknown): DiagnosticDraft[] {
  const verdicts = verdictValidators();
  // Every error, from the all-errors validators, only once the quick verdict says there are some.
  const topologyValid = verdicts ? verdicts.topology(data) || validators().topology(data) : validators().topology(data);
  const drafts = topologyValid ? [] : ajvErrorsToDiagnostics(validators().topology.errors ?? []);
  const embedded: ValidateOne = verdicts ? Object.assign((schema: unknown) => verdicts.embedded(schema) || checkedEmbedded(schema), { errors: null }) : validators().embedded;
  function checkedEmbedded(schema: unknown): boolean {
    const full = validators().embedded;
    const valid = full(schema);
    embedded.errors = full.errors;
    return valid;
  }
  // The topology schema checks a few keywords itself (`type`, `required`, …); say each problem once.
  const reported = new Set(drafts.map((d) => d.pointer));
  for (const draft of checkEmbeddedSchemas(data, embedded, ajvErrorsToDiagnostics)) {
    if (!reported.has(draft.pointer)) drafts.push(draft);
  }
  return drafts;
}

/** Plain-language names for the patterns in the schema. */
const PATTERN_NAMES: Record<string, string> = {
  '^[a-z][a-z0-9_-]*$': 'an agent id: a lowercase letter, then lowercase letters, digits, `-` or `_`',
  '^[A-Za-z][A-Za-z0-9_]*$': 'a tool name: a letter, then letters, digits or `_` (the name the model sees)',
  '^[A-Za-z][A-Za-z0-9_-]*$': 'a tool name: a letter, then letters, digits, `-` or `_`',
  '^[a-z][a-z0-9-]*$': 'a kebab-case name: a lowercase letter, then lowercase letters, digits or `-`',
  '^[A-Z][A-Za-z0-9]*$': 'a PascalCase schema name such as `HandoffReason`',
  '^[a-z][a-zA-Z0-9_-]*$': 'a filter name: a lowercase letter, then letters, digits, `-` or `_`',
};

function describePattern(pattern: string): string {
  if (pattern.includes('#')) return 'a code reference `path#export`, e.g. `./tools/billing.ts#lookupInvoice`';
  return PATTERN_NAMES[pattern] ?? `text matching ${pattern}`;
}

export function ajvErrorsToDiagnostics(rawErrors: readonly ErrorObject[]): DiagnosticDraft[] {
  const drafts = resolveUnions(rawErrors).flatMap((error) => toDraft(error) ?? []);
  // `descripton: …` yields both "unknown key descripton (did you mean description?)" and "missing
  // description"; the first says it all.
  const misspelt = new Set(drafts.filter((d) => d.suggestion && d.ruleId === 'schema/unknown-key').map((d) => `${parentOf(d.pointer)}\0${d.suggestion}`));
  return drafts.filter((d) => !(d.ruleId === 'schema/required' && misspelt.has(`${d.pointer}\0${d.missingKey}`)));
}

function parentOf(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/**
 * ajv reports every branch of an `anyOf`. Keep only the branch the user evidently meant (the one
 * whose type matches the data and that has the fewest errors); when no branch's type matches, replace
 * the whole cascade with one "must be X or Y" message.
 */
function resolveUnions(input: readonly ErrorObject[]): ErrorObject[] {
  // Linear in the number of errors: each error is filed under the unions that enclose it up front,
  // instead of scanning every error for every union (a file with thousands of bad edges).
  const alive = new Set(input);
  const unions = input.filter((e) => e.keyword === 'anyOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  const unionKeys = new Set(unions.map((u) => unionKey(u.instancePath, u.schemaPath)));
  const members = new Map<string, ErrorObject[]>();
  const enroll = (error: ErrorObject) => {
    for (const key of enclosingUnionKeys(error)) {
      if (!unionKeys.has(key)) continue;
      const list = members.get(key);
      if (list) list.push(error);
      else members.set(key, [error]);
    }
  };
  input.forEach(enroll);
  for (const union of unions) {
    if (!alive.has(union)) continue;
    const prefix = union.schemaPath + '/';
    const branches = new Map<number, ErrorObject[]>();
    for (const e of members.get(unionKey(union.instancePath, union.schemaPath)) ?? []) {
      if (!alive.has(e)) continue;
      const index = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
      const branch = branches.get(index);
      if (branch) branch.push(e);
      else branches.set(index, [e]);
    }
    const all = [...branches.values()].flat();
    const typeMatching = [...branches.entries()].filter(
      ([, errs]) => !errs.some((e) => e.instancePath === union.instancePath && MISMATCH_KEYWORDS.has(e.keyword)),
    );
    let keep: ErrorObject[];
    if (typeMatching.length === 0) {
      const choices = (union.schema as JsonObject[]).flatMap((b) => (Array.isArray(b.enum) ? b.enum.map(String) : []));
      const suggestion = typeof union.data === 'string' ? didYouMean(union.data, choices) : undefined;
      const title = (union.parentSchema as JsonObject | undefined)?.title;
      const expected = typeof title === 'string' ? title : describeUnion(union.schema as object[]);
      const replacement: ErrorObject = { ...union, keyword: 'x-union', message: `must be ${expected}`, params: { suggestion } };
      enroll(replacement);
      keep = [replacement];
    } else {
      typeMatching.sort(([ia, a], [ib, b]) => a.length - b.length || ia - ib);
      keep = typeMatching[0]![1];
    }
    alive.delete(union);
    for (const e of all) alive.delete(e);
    for (const e of keep) alive.add(e);
  }
  return [...alive];
}

function unionKey(instancePath: string, schemaPath: string): string {
  return `${instancePath}\0${schemaPath}`;
}

/** Keys of every union that could enclose an error: an `anyOf` above it in the schema, at its data path or above. */
function enclosingUnionKeys(error: ErrorObject): string[] {
  const schemaPrefixes: string[] = [];
  for (let i = error.schemaPath.indexOf('/anyOf/'); i !== -1; i = error.schemaPath.indexOf('/anyOf/', i + 1)) {
    schemaPrefixes.push(error.schemaPath.slice(0, i + '/anyOf'.length));
  }
  if (schemaPrefixes.length === 0) return [];
  const dataPaths = [''];
  for (let i = error.instancePath.indexOf('/', 1); i !== -1; i = error.instancePath.indexOf('/', i + 1)) dataPaths.push(error.instancePath.slice(0, i));
  if (error.instancePath !== '') dataPaths.push(error.instancePath);
  return dataPaths.flatMap((path) => schemaPrefixes.map((prefix) => unionKey(path, prefix)));
}

/** Errors at the union's own path with these keywords mean "this branch was not what the user meant". */
const MISMATCH_KEYWORDS = new Set(['type', 'enum', 'const']);

function describeUnion(branches: readonly object[]): string {
  const parts = branches.map((b) => describeSchema(b as Record<string, unknown>));
  return [...new Set(parts)].join(' or ');
}

function describeSchema(schema: Record<string, unknown>): string {
  if (typeof schema.title === 'string') return schema.title;
  if (Array.isArray(schema.enum)) return `one of ${listNames(schema.enum.map(String))}`;
  if (schema.type === 'array') return 'a list';
  if (schema.type === 'object' && Array.isArray(schema.required)) return `a mapping with \`${String(schema.required[0])}\``;
  if (schema.type === 'object') return 'a mapping';
  if (schema.type === 'string') return 'a string';
  if (schema.type === 'boolean') return 'true or false';
  return String(schema.type ?? 'a value');
}

const TYPE_NAMES: Record<string, string> = {
  'object,boolean': 'a JSON Schema (a mapping, or true or false)',
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 37) + '...' : value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

function subject(pointer: string): string {
  const segments = decodePointer(pointer);
  const last = segments[segments.length - 1];
  if (last === undefined) return 'the file';
  return /^\d+$/.test(last) ? `item ${Number(last) + 1} of \`${segments[segments.length - 2] ?? ''}\`` : `\`${last}\``;
}

function toDraft(error: ErrorObject): (DiagnosticDraft & { missingKey?: string }) | undefined {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const ruleId = `schema/${error.keyword === 'x-union' ? 'type' : error.keyword}`;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const { best: suggestion, unique } = closestMatch(key, allowed);
      if (key === '<<') {
        return { ruleId: 'schema/unknown-key', message: 'YAML merge keys (`<<`) are not supported; write the keys out, or use `defaults`', pointer: childPointer(at, key), onKey: true };
      }
      return {
        ruleId: 'schema/unknown-key',
        message: `unknown key \`${key}\` in ${subject(at)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        pointer: childPointer(at, key),
        onKey: true,
        ...(suggestion ? { suggestion, ...(unique ? { fixable: true } : {}) } : {}),
        ...(allowed.length ? { hint: `allowed keys: ${listNames(allowed, 20)}` } : {}),
      };
    }
    case 'required':
      return {
        ruleId,
        message: `${subject(at)} is missing the required key \`${String(params.missingProperty)}\``,
        pointer: at,
        onKey: true,
        missingKey: String(params.missingProperty),
      };
    case 'propertyNames':
      // The pattern error that ajv reports alongside carries the explanation.
      return undefined;
    case 'pattern': {
      const propertyName = params.propertyName;
      const isKey = error.propertyName !== undefined || propertyName !== undefined;
      const value = isKey ? String(error.propertyName ?? propertyName) : String(error.data);
      return {
        ruleId,
        message: `${JSON.stringify(value)} is not ${describePattern(String(params.pattern))}`,
        pointer: isKey ? childPointer(at, value) : at,
        onKey: isKey,
      };
    }
    case 'type':
      return { ruleId, message: `${subject(at)} must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}, not ${typeOf(error.data)}`, pointer: at };
    case 'x-union': {
      const suggestion = params.suggestion as string | undefined;
      return {
        ruleId,
        message: `${subject(at)} ${error.message ?? ''}, not ${typeOf(error.data)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        pointer: at,
        ...(suggestion ? { suggestion } : {}),
      };
    }
    case 'enum': {
      // A list value (`runtime: [text, voice]`) reads as it is written in YAML.
      const allowed = (params.allowedValues as unknown[]).map((v) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v)));
      const { best: suggestion, unique } = typeof error.data === 'string' ? closestMatch(error.data, allowed) : { best: undefined, unique: false };
      return {
        ruleId,
        message: `${subject(at)} must be one of ${listNames(allowed)}, not ${typeOf(error.data)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        pointer: at,
        ...(suggestion ? { suggestion, ...(unique ? { fixable: true } : {}) } : {}),
      };
    }
    case 'const':
      return { ruleId, message: `${subject(at)} must be ${JSON.stringify(params.allowedValue)}, not ${typeOf(error.data)}`, pointer: at };
    case 'not':
      // `not: { required: [...] }` holds vacuously false for a non-mapping; its type error says it all.
      if (typeof error.data !== 'object' || error.data === null || Array.isArray(error.data)) return undefined;
      if ((error.parentSchema as JsonObject | undefined)?.properties && 'instructionsFile' in ((error.parentSchema as JsonObject).properties as JsonObject)) {
        return { ruleId: 'schema/instructions', message: 'set either `instructions` or `instructionsFile`, not both', pointer: childPointer(at, 'instructionsFile'), onKey: true };
      }
      return { ruleId, message: `${subject(at)} ${error.message ?? 'is not allowed'}`, pointer: at };
    case 'dependencies':
      // `voice:` (the session settings) without `runtime:` would compile no voice session at all.
      return {
        ruleId,
        message: `\`${String(params.property)}\` needs \`${String(params.missingProperty)}\` beside it${params.property === 'voice' ? ': add `runtime: [text, voice]` to compile the voice session' : ''}`,
        pointer: childPointer(at, String(params.property)),
        onKey: true,
      };
    case 'minProperties':
    case 'minItems':
      return { ruleId, message: `${subject(at)} must not be empty`, pointer: at };
    case 'minLength':
      return { ruleId, message: `${subject(at)} must not be empty`, pointer: at };
    case 'uniqueItems': {
      const [first, repeat] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return { ruleId, message: `${subject(at)} lists the same value twice (items ${first! + 1} and ${repeat! + 1})`, pointer: childPointer(at, repeat!) };
    }
    case 'maxLength':
      return { ruleId, message: `${subject(at)} is ${String(error.data).length} characters long; the limit is ${String(params.limit)}`, pointer: at };
    default:
      return { ruleId, message: `${subject(at)} ${error.message ?? 'is invalid'}`, pointer: at };
  }
}
