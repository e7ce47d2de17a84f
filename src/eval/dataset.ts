/**
 * Routing datasets (docs/eval.md): YAML (`version`, `topology`, `cases`) or JSONL (one case per line).
 * Loading never throws for bad input: every problem is a located Diagnostic, like a topology's.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic, DiagnosticDraft, SourceRange } from '../diagnostics/types.js';
import { sortDiagnostics } from '../diagnostics/types.js';
import { didYouMean, listNames } from '../diagnostics/suggest.js';
import { LIMITS, loadYaml, type SourceFile } from '../source/load-yaml.js';
import { locate, startLine } from '../source/locate.js';
import { childPointer, decodePointer, encodePointer } from '../source/pointer.js';
import { STAY } from './types.js';

export interface Message {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface EvalCase {
  readonly id: string;
  /** One caller message, or a short conversation ending with the caller's turn. */
  readonly input: string | readonly Message[];
  /** The agent id the entry should hand off to, or `stay`. */
  readonly expect: string;
  readonly tags: readonly string[];
  /** Under `--full`: whether the specialist should hand the caller back to the entry in this turn. */
  readonly handback?: boolean;
  readonly note?: string;
  /** Where the case was written: 1-based line of its first key. */
  readonly line: number;
}

export interface Dataset {
  /** The file as shown in diagnostics and reports. */
  readonly file: string;
  readonly topology?: string;
  readonly description?: string;
  readonly cases: readonly EvalCase[];
}

/** What a dataset is checked against: the topology it evaluates. */
export interface DatasetContext {
  readonly topologyName: string;
  readonly entry: string;
  /** Every agent id. */
  readonly agents: readonly string[];
  /** Agent ids the entry hands off to, in authoring order. */
  readonly routes: readonly string[];
}

export interface DatasetResult {
  /** Present when there are no errors. */
  readonly dataset?: Dataset;
  /** Sorted; every diagnostic has a range unless the file could not be read. */
  readonly diagnostics: readonly Diagnostic[];
  /** The file's text, for code frames. */
  readonly text?: string;
}

export type DatasetFormat = 'yaml' | 'jsonl';

export interface DatasetLimits {
  /** Cases a dataset may hold (`--max-cases`). */
  readonly maxCases: number;
}

/**
 * A run's time, cost and report grow with the cases: beyond this, say so before anything runs.
 * File sizes are checked before reading: YAML as topologies are (the loader's limit), JSONL larger.
 */
export const DATASET_LIMITS = { maxCases: 10_000, maxYamlBytes: LIMITS.maxFileBytes, maxJsonlBytes: 64 * 1024 * 1024 } as const;

const TOP_KEYS = ['version', 'topology', 'description', 'cases'];
const CASE_KEYS = ['id', 'input', 'expect', 'tags', 'handback', 'note'];
const MESSAGE_KEYS = ['role', 'content'];

export function datasetFormatOf(path: string): DatasetFormat {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'yaml';
}

/** Read and check a dataset file: a regular file within the size limit, then its text. */
export function loadDatasetFile(path: string, displayPath: string, context: DatasetContext, limits: DatasetLimits = DATASET_LIMITS): DatasetResult {
  const format = datasetFormatOf(path);
  const fail = (ruleId: string, message: string): DatasetResult => ({
    diagnostics: [{ ruleId, severity: 'error', message, file: displayPath, pointer: '', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } }],
  });
  let text: string;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return fail('source/unreadable', 'the dataset is not a regular file');
    const maxBytes = format === 'jsonl' ? DATASET_LIMITS.maxJsonlBytes : DATASET_LIMITS.maxYamlBytes;
    if (stats.size > maxBytes) {
      return fail('source/too-large', `the dataset is ${stats.size.toLocaleString('en-US')} bytes; a ${format === 'jsonl' ? 'JSONL' : 'YAML'} dataset may have at most ${maxBytes.toLocaleString('en-US')}${format === 'yaml' ? ' (JSONL files may be larger)' : ''}`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'dataset file not found' : `cannot read dataset (${(error as Error).message})`;
    return { diagnostics: [{ ruleId: 'source/unreadable', severity: 'error', message: reason, file: displayPath, pointer: '' }] };
  }
  return parseDataset(text, displayPath, context, format, limits);
}

/** Check dataset text against a topology. Pure. */
export function parseDataset(text: string, file: string, context: DatasetContext, format: DatasetFormat = 'yaml', limits: DatasetLimits = DATASET_LIMITS): DatasetResult {
  const out: Diagnostic[] = [];
  const cases: CaseDraft[] = [];
  let header: { topology?: string; description?: string } = {};
  if (format === 'yaml') {
    const loaded = loadYaml(text, file);
    const source = loaded.source;
    const at: Locator = Object.assign((pointer: string, onKey = false): SourceRange | undefined => (source ? locate(source, pointer, { onKey }) : undefined), {
      // A case's line, without the full parse for positions when the fast reader read the file.
      line: (pointer: string) => (source ? startLine(source, pointer) : undefined),
    });
    for (const d of loaded.diagnostics) out.push(finish(d, file, d.range));
    if (loaded.data !== undefined) header = checkTopLevel(loaded.data, context, file, at, out, cases, limits);
  } else {
    checkJsonLines(text, file, context, out, cases, limits);
  }
  checkDuplicateIds(cases, file, out);
  const diagnostics = sortDiagnostics(out);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, text };
  return {
    diagnostics,
    text,
    dataset: {
      file,
      ...(header.topology !== undefined ? { topology: header.topology } : {}),
      ...(header.description !== undefined ? { description: header.description } : {}),
      cases: cases.flatMap((c) => (c.value ? [c.value] : [])),
    },
  };
}

/** Where a pointer's node is; `line` gives only its first line, which may be cheaper. */
type Locator = ((pointer: string, onKey?: boolean) => SourceRange | undefined) & { readonly line?: (pointer: string) => number | undefined };

/** A case as written: its value when it has no errors, and its id whenever it has a usable one (duplicates are reported either way). */
interface CaseDraft {
  readonly value?: EvalCase;
  readonly id?: string;
  readonly line: number;
  readonly pointer: string;
  readonly at: Locator;
}

function idOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.id === 'string' && value.id.trim() !== '' ? value.id : undefined;
}

function tooManyCases(count: number, limits: DatasetLimits): DiagnosticDraft {
  return {
    ruleId: 'dataset/too-many-cases',
    message: `the dataset has ${count.toLocaleString('en-US')} cases; the limit is ${limits.maxCases.toLocaleString('en-US')} (raise it with --max-cases)`,
    pointer: '',
    hint: 'split the dataset, or select cases with --tag',
  };
}

type Report = (draft: DiagnosticDraft) => void;

function finish(draft: DiagnosticDraft, file: string, range: SourceRange | undefined): Diagnostic {
  const { onKey: _onKey, range: _range, ...rest } = draft;
  return { ...rest, severity: draft.severity ?? 'error', file, ...(range ? { range } : {}) };
}

function reporter(file: string, at: Locator, out: Diagnostic[]): Report {
  return (draft) => out.push(finish(draft, file, draft.range ?? at(draft.pointer, draft.onKey ?? false)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], pointer: string, where: string, report: Report): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const suggestion = didYouMean(key, allowed);
    report({
      ruleId: 'dataset/unknown-key',
      message: `unknown key \`${key}\` in ${where}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
      pointer: childPointer(pointer, key),
      onKey: true,
      ...(suggestion ? { suggestion } : {}),
      hint: `allowed keys: ${listNames(allowed)}`,
    });
  }
}

function checkTopLevel(
  data: unknown,
  context: DatasetContext,
  file: string,
  at: Locator,
  out: Diagnostic[],
  cases: CaseDraft[],
  limits: DatasetLimits,
): { topology?: string; description?: string } {
  const report = reporter(file, at, out);
  if (!isRecord(data)) {
    report({ ruleId: 'dataset/type', message: `a dataset is a mapping with \`version\` and \`cases\`, not ${typeName(data)}`, pointer: '' });
    return {};
  }
  unknownKeys(data, TOP_KEYS, '', 'the dataset', report);
  if (data.version === undefined) report({ ruleId: 'dataset/missing-key', message: 'missing `version: 1`', pointer: '', onKey: true });
  else if (data.version !== 1) report({ ruleId: 'dataset/version', message: `unsupported dataset version \`${String(data.version)}\`; this switchboard reads version 1`, pointer: '/version' });
  const header: { topology?: string; description?: string } = {};
  if (data.topology !== undefined) {
    if (typeof data.topology !== 'string') report({ ruleId: 'dataset/type', message: `\`topology\` must be a string, not ${typeName(data.topology)}`, pointer: '/topology' });
    else {
      header.topology = data.topology;
      if (data.topology !== context.topologyName) {
        report({
          ruleId: 'dataset/topology-mismatch',
          message: `this dataset is for topology \`${data.topology}\`, but the topology being evaluated is \`${context.topologyName}\``,
          pointer: '/topology',
        });
      }
    }
  }
  if (data.description !== undefined) {
    if (typeof data.description !== 'string') report({ ruleId: 'dataset/type', message: `\`description\` must be a string, not ${typeName(data.description)}`, pointer: '/description' });
    else header.description = data.description;
  }
  if (data.cases === undefined) {
    report({ ruleId: 'dataset/missing-key', message: 'missing `cases`: a dataset needs at least one case', pointer: '', onKey: true });
  } else if (!Array.isArray(data.cases)) {
    report({ ruleId: 'dataset/type', message: `\`cases\` must be a list, not ${typeName(data.cases)}`, pointer: '/cases' });
  } else if (data.cases.length === 0) {
    report({ ruleId: 'dataset/no-cases', message: '`cases` is empty: a dataset needs at least one case', pointer: '/cases' });
  } else {
    if (data.cases.length > limits.maxCases) report({ ...tooManyCases(data.cases.length, limits), pointer: `/cases/${limits.maxCases}` });
    data.cases.slice(0, limits.maxCases).forEach((value, index) => {
      const pointer = `/cases/${index}`;
      const draft = checkCase(value, pointer, context, report, at);
      const id = idOf(value);
      cases.push({ ...(draft ? { value: draft } : {}), ...(id !== undefined ? { id } : {}), line: draft?.line ?? lineOf(at, pointer), pointer, at });
    });
  }
  return header;
}

function checkJsonLines(text: string, file: string, context: DatasetContext, out: Diagnostic[], cases: CaseDraft[], limits: DatasetLimits): void {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  let index = 0;
  lines.forEach((line, n) => {
    if (line.trim() === '') return;
    const lineNumber = n + 1;
    if (index === limits.maxCases) {
      const count = index + lines.slice(n).filter((l) => l.trim() !== '').length;
      const range = { start: { line: lineNumber, column: 1 }, end: { line: lineNumber, column: 1 } };
      out.push(finish({ ...tooManyCases(count, limits), pointer: `/${index}` }, file, range));
    }
    if (index >= limits.maxCases) {
      index++;
      return;
    }
    const pointer = `/${index++}`;
    try {
      JSON.parse(line);
    } catch (error) {
      const column = jsonErrorColumn((error as Error).message);
      const range = { start: { line: lineNumber, column }, end: { line: lineNumber, column } };
      out.push({ ruleId: 'dataset/invalid-json', severity: 'error', message: `line ${lineNumber} is not valid JSON: ${cleanJsonMessage((error as Error).message)}`, file, pointer, range, hint: 'a JSONL dataset holds one JSON object per line' });
      return;
    }
    // JSON is YAML: loading the line as YAML gives node positions for located diagnostics.
    const loaded = loadYaml(line, file);
    const source: SourceFile | undefined = loaded.source;
    const shift = (range: SourceRange | undefined): SourceRange => ({
      start: { line: lineNumber, column: range?.start.column ?? 1 },
      end: { line: lineNumber, column: range?.end.column ?? 1 },
    });
    if (loaded.diagnostics.length > 0) {
      for (const d of loaded.diagnostics) out.push(finish(d, file, shift(d.range)));
      return;
    }
    const at: Locator = (p, onKey = false) => {
      if (!source) return shift(undefined);
      return shift(locate(source, encodePointer(decodePointer(p).slice(1)), { onKey }));
    };
    const draft = checkCase(loaded.data, pointer, context, reporter(file, at, out), at);
    const id = idOf(loaded.data);
    cases.push({ ...(draft ? { value: { ...draft, line: lineNumber } } : {}), ...(id !== undefined ? { id } : {}), line: lineNumber, pointer, at });
  });
  if (index === 0) {
    out.push({ ruleId: 'dataset/no-cases', severity: 'error', message: 'the file holds no cases: a JSONL dataset has one JSON object per line', file, pointer: '', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } });
  }
}

function jsonErrorColumn(message: string): number {
  const column = /column (\d+)/.exec(message);
  if (column) return Number(column[1]);
  const position = /position (\d+)/.exec(message);
  return position ? Number(position[1]) + 1 : 1;
}

function cleanJsonMessage(message: string): string {
  return message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
}

/** Check one case; returns it when it is usable (cross-case checks still run on it). */
function checkCase(value: unknown, pointer: string, context: DatasetContext, report: Report, at: Locator): EvalCase | undefined {
  if (!isRecord(value)) {
    report({ ruleId: 'dataset/type', message: `a case is a mapping with \`id\`, \`input\` and \`expect\`, not ${typeName(value)}`, pointer });
    return undefined;
  }
  unknownKeys(value, CASE_KEYS, pointer, 'a case', report);
  let ok = true;
  for (const key of ['id', 'input', 'expect']) {
    if (value[key] === undefined) {
      report({ ruleId: 'dataset/missing-key', message: `case is missing \`${key}\``, pointer, onKey: false, range: startOf(at(pointer)) });
      ok = false;
    }
  }
  const id = value.id;
  if (id !== undefined && typeof id !== 'string') {
    report({ ruleId: 'dataset/type', message: `\`id\` must be a string, not ${typeName(id)}`, pointer: childPointer(pointer, 'id'), ...(typeof id === 'number' ? { hint: 'quote it: id: "12"' } : {}) });
    ok = false;
  } else if (typeof id === 'string' && id.trim() === '') {
    report({ ruleId: 'dataset/type', message: '`id` must not be empty', pointer: childPointer(pointer, 'id') });
    ok = false;
  }
  const input = checkInput(value.input, childPointer(pointer, 'input'), report);
  if (value.input !== undefined && input === undefined) ok = false;
  const expect = value.expect;
  if (expect !== undefined) {
    if (typeof expect !== 'string') {
      report({ ruleId: 'dataset/type', message: `\`expect\` must be an agent id or \`${STAY}\`, not ${typeName(expect)}`, pointer: childPointer(pointer, 'expect') });
      ok = false;
    } else if (!checkExpect(expect, childPointer(pointer, 'expect'), context, report)) ok = false;
  }
  const tags: string[] = [];
  if (value.tags !== undefined) {
    if (!Array.isArray(value.tags)) {
      report({ ruleId: 'dataset/type', message: `\`tags\` must be a list of strings, not ${typeName(value.tags)}`, pointer: childPointer(pointer, 'tags') });
      ok = false;
    } else {
      value.tags.forEach((tag, i) => {
        if (typeof tag !== 'string' || tag.trim() === '') {
          report({ ruleId: 'dataset/type', message: `a tag must be a non-empty string, not ${typeof tag === 'string' ? 'an empty one' : typeName(tag)}`, pointer: childPointer(pointer, 'tags', i) });
          ok = false;
        } else tags.push(tag);
      });
    }
  }
  if (value.handback !== undefined) {
    if (typeof value.handback !== 'boolean') {
      report({ ruleId: 'dataset/type', message: `\`handback\` must be true or false, not ${typeName(value.handback)}`, pointer: childPointer(pointer, 'handback') });
      ok = false;
    } else if (value.handback && expect === STAY) {
      report({ ruleId: 'dataset/handback-on-stay', severity: 'warning', message: '`handback: true` on a case that expects `stay`: nothing can hand back when no handoff happens', pointer: childPointer(pointer, 'handback') });
    }
  }
  if (value.note !== undefined && typeof value.note !== 'string') {
    report({ ruleId: 'dataset/type', message: `\`note\` must be a string, not ${typeName(value.note)}`, pointer: childPointer(pointer, 'note') });
    ok = false;
  }
  if (!ok || input === undefined) return undefined;
  return {
    id: id as string,
    input,
    expect: expect as string,
    tags,
    ...(typeof value.handback === 'boolean' ? { handback: value.handback } : {}),
    ...(typeof value.note === 'string' ? { note: value.note } : {}),
    line: lineOf(at, pointer),
  };
}

function lineOf(at: Locator, pointer: string): number {
  return (at.line ? at.line(pointer) : at(pointer, false)?.start.line) ?? 1;
}

function startOf(range: SourceRange | undefined): SourceRange | undefined {
  return range ? { start: range.start, end: range.start } : undefined;
}

function checkInput(value: unknown, pointer: string, report: Report): string | Message[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value.trim() === '') {
      report({ ruleId: 'dataset/empty-input', message: '`input` is empty: give the caller\'s message', pointer });
      return undefined;
    }
    return value;
  }
  if (!Array.isArray(value)) {
    report({ ruleId: 'dataset/type', message: `\`input\` must be a message or a list of { role, content } turns, not ${typeName(value)}`, pointer });
    return undefined;
  }
  if (value.length === 0) {
    report({ ruleId: 'dataset/empty-input', message: '`input` is an empty conversation: give at least the caller\'s message', pointer });
    return undefined;
  }
  const messages: Message[] = [];
  let ok = true;
  value.forEach((turn, i) => {
    const at = childPointer(pointer, i);
    if (!isRecord(turn)) {
      report({ ruleId: 'dataset/type', message: `a conversation turn is a mapping { role, content }, not ${typeName(turn)}`, pointer: at });
      ok = false;
      return;
    }
    unknownKeys(turn, MESSAGE_KEYS, at, 'a conversation turn', report);
    const { role, content } = turn;
    if (role !== 'user' && role !== 'assistant') {
      const suggestion = typeof role === 'string' ? didYouMean(role, ['user', 'assistant']) : undefined;
      report({
        ruleId: 'dataset/role',
        message: role === undefined ? 'turn is missing `role` (user or assistant)' : `role \`${String(role)}\` is not \`user\` or \`assistant\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        pointer: role === undefined ? at : childPointer(at, 'role'),
        ...(suggestion ? { suggestion } : {}),
      });
      ok = false;
    }
    if (typeof content !== 'string' || content.trim() === '') {
      report({
        ruleId: typeof content === 'string' ? 'dataset/empty-input' : content === undefined ? 'dataset/missing-key' : 'dataset/type',
        message: typeof content === 'string' ? 'turn has empty `content`' : content === undefined ? 'turn is missing `content`' : `\`content\` must be a string, not ${typeName(content)}`,
        pointer: content === undefined ? at : childPointer(at, 'content'),
      });
      ok = false;
    }
    if (ok) messages.push({ role: role as Message['role'], content: content as string });
  });
  if (!ok) return undefined;
  if (messages[messages.length - 1]!.role !== 'user') {
    report({
      ruleId: 'dataset/conversation-end',
      message: 'a conversation must end with the caller\'s (`user`) turn: that is what the entry agent routes',
      pointer: childPointer(pointer, messages.length - 1),
    });
    return undefined;
  }
  return messages;
}

function checkExpect(expect: string, pointer: string, context: DatasetContext, report: Report): boolean {
  if (expect === STAY || context.routes.includes(expect)) return true;
  const routesHint = `the entry \`${context.entry}\` hands off to ${listNames(context.routes)}; use \`${STAY}\` when it should answer or ask a clarifying question itself`;
  if (expect === context.entry) {
    report({ ruleId: 'dataset/not-a-route', message: `\`${expect}\` is the entry agent; write \`${STAY}\` when it should handle the caller itself`, pointer, suggestion: STAY, hint: routesHint });
    return false;
  }
  if (context.agents.includes(expect)) {
    report({ ruleId: 'dataset/not-a-route', message: `the entry \`${context.entry}\` has no handoff to \`${expect}\``, pointer, hint: routesHint });
    return false;
  }
  const suggestion = didYouMean(expect, [...context.routes, STAY]) ?? didYouMean(expect, context.agents);
  report({
    ruleId: 'dataset/unknown-agent',
    message: `unknown agent \`${expect}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
    pointer,
    ...(suggestion ? { suggestion } : {}),
    hint: routesHint,
  });
  return false;
}

function checkDuplicateIds(cases: readonly CaseDraft[], file: string, out: Diagnostic[]): void {
  const first = new Map<string, CaseDraft>();
  for (const draft of cases) {
    if (draft.id === undefined) continue;
    const earlier = first.get(draft.id);
    if (!earlier) {
      first.set(draft.id, draft);
      continue;
    }
    const earlierRange = earlier.at(childPointer(earlier.pointer, 'id'));
    out.push(
      finish(
        {
          ruleId: 'dataset/duplicate-id',
          message: `duplicate case id \`${draft.id}\` (first used on line ${earlier.line})`,
          pointer: childPointer(draft.pointer, 'id'),
          related: [{ message: 'first used here', pointer: childPointer(earlier.pointer, 'id'), ...(earlierRange ? { range: earlierRange } : {}) }],
        },
        file,
        draft.at(childPointer(draft.pointer, 'id')),
      ),
    );
  }
}

/**
 * Where a case's key (`input`, `expect`, …) is written: by the case's index in a dataset that loaded
 * without errors (so every case of the file is in `Dataset.cases`, in order). For dataset lints that
 * point at lines after the dataset was read.
 */
export function datasetCaseLocator(text: string, file: string, format: DatasetFormat = 'yaml'): (index: number, key?: string) => SourceRange | undefined {
  if (format === 'yaml') {
    const source = loadYaml(text, file).source;
    return (index, key) => (source ? locate(source, key === undefined ? `/cases/${index}` : childPointer(`/cases/${index}`, key)) : undefined);
  }
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const caseLines: number[] = [];
  lines.forEach((line, n) => void (line.trim() !== '' && caseLines.push(n)));
  return (index, key) => {
    const n = caseLines[index];
    if (n === undefined) return undefined;
    const source = loadYaml(lines[n]!, file).source;
    const range = source ? locate(source, key === undefined ? '' : childPointer('', key)) : undefined;
    return { start: { line: n + 1, column: range?.start.column ?? 1 }, end: { line: n + 1, column: range?.end.column ?? 1 } };
  };
}
