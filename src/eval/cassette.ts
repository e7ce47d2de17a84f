/**
 * Cassettes: every model request → response pair of a run, keyed by a stable hash of the request, so
 * an evaluation can be replayed offline, deterministically, with no API key. Format in docs/eval.md.
 */
import { createHash } from 'node:crypto';
import { loadYaml } from '../source/load-yaml.js';
import { locate } from '../source/locate.js';
import { encodePointer } from '../source/pointer.js';
import type { CallContext, ModelCall, ModelRequest, OutputItem, TimedResponse, UsageRecord } from './types.js';

export const CASSETTE_VERSION = 1;

export interface CassetteResponse extends TimedResponse {}

export interface CassetteEntry {
  readonly model: string;
  /** The request's last caller message, shortened: for people reading the file and for miss hints. */
  readonly summary: string;
  /** One response per repetition (`--repeat`); `null` where a repetition was not recorded. */
  readonly responses: (CassetteResponse | null)[];
  /**
   * Short hashes of each part of the request (instructions, input, tools, handoffs, output type,
   * model settings): when a request misses, the entry for the same message names what drifted.
   */
  readonly request?: Readonly<Record<string, string>>;
  /** Content hash of model, summary, request and responses: an edited entry fails to load. */
  readonly hash?: string;
}

/** Who recorded a cassette: written by `--record`, shown by reports, never part of a key. */
export interface CassetteMetadata {
  /** `openai`, or the `--provider` module. */
  readonly recordedWith: string;
  readonly note?: string;
  readonly [key: string]: unknown;
}

export class CassetteError extends Error {
  override readonly name = 'CassetteError';
  constructor(
    message: string,
    /** Every bad value found, by JSON pointer. */
    readonly problems: readonly CassetteProblem[] = [],
  ) {
    super(message);
  }
}

export interface CassetteProblem {
  readonly pointer: string;
  readonly message: string;
}

/** Bounds on recorded numbers: far above any real call, far below where sums lose precision. */
export const CASSETTE_LIMITS = { maxTokensPerCall: 1_000_000_000, maxRequestsPerCall: 1_000, maxLatencyMs: 24 * 60 * 60 * 1000 } as const;

const USAGE_FIELDS = ['requests', 'inputTokens', 'outputTokens', 'totalTokens', 'cachedInputTokens'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}

function checkEntry(value: unknown, pointer: string, problems: CassetteProblem[]): CassetteEntry | undefined {
  if (!isRecord(value)) {
    problems.push({ pointer, message: `an entry must be an object with model, summary and responses, got ${shown(value)}` });
    return undefined;
  }
  let ok = true;
  if (typeof value.model !== 'string') {
    problems.push({ pointer: `${pointer}/model`, message: `model must be a string, got ${shown(value.model)}` });
    ok = false;
  }
  if (value.summary !== undefined && typeof value.summary !== 'string') {
    problems.push({ pointer: `${pointer}/summary`, message: `summary must be a string, got ${shown(value.summary)}` });
    ok = false;
  }
  if (!Array.isArray(value.responses)) {
    problems.push({ pointer: `${pointer}/responses`, message: `responses must be a list, got ${shown(value.responses)}` });
    return undefined;
  }
  value.responses.forEach((response, i) => {
    if (response !== null && !checkResponse(response, `${pointer}/responses/${i}`, problems)) ok = false;
  });
  if (value.request !== undefined && (!isRecord(value.request) || !Object.values(value.request).every((v) => typeof v === 'string'))) {
    problems.push({ pointer: `${pointer}/request`, message: `request must be an object of part hashes, got ${shown(value.request)}` });
    ok = false;
  }
  if (value.hash !== undefined && typeof value.hash !== 'string') {
    problems.push({ pointer: `${pointer}/hash`, message: `hash must be a string, got ${shown(value.hash)}` });
    ok = false;
  }
  if (!ok) return undefined;
  const entry: CassetteEntry = {
    model: value.model as string,
    summary: (value.summary as string | undefined) ?? '',
    responses: value.responses as (CassetteResponse | null)[],
    ...(value.request !== undefined ? { request: value.request as Record<string, string> } : {}),
    ...(value.hash !== undefined ? { hash: value.hash as string } : {}),
  };
  if (entry.hash !== undefined) {
    const actual = entryHash(entry);
    if (actual !== entry.hash) {
      problems.push({
        pointer: `${pointer}/hash`,
        message: `content hash mismatch (recorded ${entry.hash}, content hashes to ${actual}): this entry was edited after it was recorded; re-record with --record instead of editing responses`,
      });
      return undefined;
    }
  }
  return entry;
}

/** The content hash of an entry: everything in it but the hash itself. */
export function entryHash(entry: Omit<CassetteEntry, 'hash'>): string {
  const { model, summary, responses, request } = entry;
  return createHash('sha256').update(stableJson({ model, summary, responses, request })).digest('hex').slice(0, 32);
}

/** What each request part is called when it drifted. */
const PART_NAMES: Readonly<Record<string, string>> = {
  systemInstructions: 'the compiled instructions',
  input: 'the input',
  tools: 'the tool schemas',
  handoffs: 'the handoffs (names, descriptions or input schemas)',
  outputType: 'the output schema',
  modelSettings: 'the model settings',
  prompt: 'the prompt',
};

/** Short hashes of each part of a request (see keyMaterial), for naming drift. */
export function requestParts(model: string, request: ModelRequest): Record<string, string> {
  const material = keyMaterial(model, request) as Record<string, unknown>;
  const parts: Record<string, string> = {};
  for (const key of Object.keys(material).sort()) {
    if (key === 'model') continue;
    parts[key] = createHash('sha256').update(stableJson(material[key])).digest('hex').slice(0, 12);
  }
  return parts;
}

/** The parts that differ between a recorded request and this one, named for people. */
export function driftedParts(recorded: Readonly<Record<string, string>>, current: Readonly<Record<string, string>>): string[] {
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort();
  return keys.filter((k) => recorded[k] !== current[k]).map((k) => PART_NAMES[k] ?? k);
}

function checkResponse(value: unknown, pointer: string, problems: CassetteProblem[]): boolean {
  const before = problems.length;
  if (!isRecord(value)) {
    problems.push({ pointer, message: `a response must be an object with output, usage and latencyMs (or null), got ${shown(value)}` });
    return false;
  }
  if (!Array.isArray(value.output) || !value.output.every(isRecord)) problems.push({ pointer: `${pointer}/output`, message: `output must be a list of output items, got ${shown(value.output)}` });
  if (!isRecord(value.usage)) problems.push({ pointer: `${pointer}/usage`, message: `usage must be an object with ${USAGE_FIELDS.join(', ')}, got ${shown(value.usage)}` });
  else {
    for (const field of USAGE_FIELDS) {
      const max = field === 'requests' ? CASSETTE_LIMITS.maxRequestsPerCall : CASSETTE_LIMITS.maxTokensPerCall;
      const n = value.usage[field];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
        problems.push({ pointer: `${pointer}/usage/${field}`, message: `usage.${field} must be a whole number from 0 to ${max.toLocaleString('en-US')}, got ${shown(n)}` });
      }
    }
  }
  const latency = value.latencyMs;
  if (typeof latency !== 'number' || !Number.isFinite(latency) || latency < 0 || latency > CASSETTE_LIMITS.maxLatencyMs) {
    problems.push({ pointer: `${pointer}/latencyMs`, message: `latencyMs must be a number of milliseconds from 0 to ${CASSETTE_LIMITS.maxLatencyMs.toLocaleString('en-US')}, got ${shown(latency)}` });
  }
  if (value.responseId !== undefined && typeof value.responseId !== 'string') problems.push({ pointer: `${pointer}/responseId`, message: `responseId must be a string, got ${shown(value.responseId)}` });
  return problems.length === before;
}

/** The first few problems, each as `file:line:col pointer: message` (the position found by reading the JSON as YAML). */
function describeProblems(problems: readonly CassetteProblem[], text: string, file: string): string {
  const loaded = loadYaml(text, file);
  const where = (pointer: string) => {
    if (!loaded.source) return file;
    const { start } = locate(loaded.source, pointer);
    return `${file}:${start.line}:${start.column}`;
  };
  const shownProblems = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `${where(p.pointer)} ${p.pointer}: ${p.message}`);
  const more = problems.length > MAX_PROBLEMS_SHOWN ? `\n  … and ${problems.length - MAX_PROBLEMS_SHOWN} more` : '';
  return `${problems.length} bad value${problems.length === 1 ? '' : 's'}:\n  ${shownProblems.join('\n  ')}${more}`;
}

const MAX_PROBLEMS_SHOWN = 10;

/** A request the cassette has no response for: the case fails with this error, the run goes on. */
export class CassetteMissError extends Error {
  override readonly name = 'CassetteMissError';
}

export class Cassette {
  private readonly entries = new Map<string, CassetteEntry>();

  /**
   * Read a cassette file's text; throws CassetteError when it is not one, naming each bad value by its
   * JSON pointer and, when the text can be mapped, its `line:column` (`file` prefixes the location).
   */
  static parse(text: string, file = 'cassette'): Cassette {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new CassetteError(`not valid JSON (${(error as Error).message})`);
    }
    const file_ = data as { version?: unknown; entries?: unknown; metadata?: unknown };
    if (typeof data !== 'object' || data === null || Array.isArray(data) || file_.version !== CASSETTE_VERSION || !isRecord(file_.entries)) {
      throw new CassetteError(`not a switchboard cassette (expected { "version": ${CASSETTE_VERSION}, "entries": { … } })`);
    }
    const problems: CassetteProblem[] = [];
    const cassette = new Cassette();
    for (const [key, value] of Object.entries(file_.entries)) {
      const entry = checkEntry(value, encodePointer(['entries', key]), problems);
      if (entry) cassette.entries.set(key, entry);
    }
    if (file_.metadata !== undefined) {
      if (!isRecord(file_.metadata) || typeof file_.metadata.recordedWith !== 'string') problems.push({ pointer: '/metadata', message: `metadata must be an object with recordedWith, got ${shown(file_.metadata)}` });
      else cassette.metadata = file_.metadata as CassetteMetadata;
    }
    if (problems.length > 0) throw new CassetteError(describeProblems(problems, text, file), problems);
    return cassette;
  }

  /** Who recorded it (see CassetteMetadata); undefined for cassettes written before metadata. */
  metadata: CassetteMetadata | undefined;

  /** Entries without a content hash (written before hashes): they cannot be checked for edits. */
  get unhashed(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.hash === undefined) n++;
    return n;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, repeat: number): CassetteResponse | undefined {
    return this.entries.get(key)?.responses[repeat] ?? undefined;
  }

  entry(key: string): CassetteEntry | undefined {
    return this.entries.get(key);
  }

  put(key: string, repeat: number, model: string, summary: string, response: CassetteResponse, request?: Readonly<Record<string, string>>): void {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { model, summary, responses: [], ...(request ? { request } : {}) };
      this.entries.set(key, entry);
    }
    while (entry.responses.length <= repeat) entry.responses.push(null);
    entry.responses[repeat] = response;
  }

  /** Entries for the same model and caller message (under other keys): what changed is the rest. */
  similar(model: string, summary: string): number {
    return this.similarEntries(model, summary).length;
  }

  similarEntries(model: string, summary: string): CassetteEntry[] {
    return [...this.entries.values()].filter((entry) => entry.model === model && entry.summary === summary);
  }

  /** The file's text: keys sorted, two-space indent, so re-recording gives reviewable diffs. Every entry carries its content hash. */
  serialize(): string {
    const entries: Record<string, CassetteEntry> = {};
    for (const key of [...this.entries.keys()].sort()) {
      const { hash: _old, ...entry } = this.entries.get(key)!;
      entries[key] = { ...entry, hash: entryHash(entry) };
    }
    return `${JSON.stringify({ version: CASSETTE_VERSION, ...(this.metadata ? { metadata: this.metadata } : {}), entries }, null, 2)}\n`;
  }
}

/** Top-level request fields that vary between identical calls or only configure transport. */
const IGNORED_REQUEST_KEYS = new Set(['signal', 'tracing', 'previousResponseId', 'conversationId', 'toolsExplicitlyProvided', 'overridePromptModel']);
const IGNORED_SETTINGS = new Set(['retry', 'timeoutMs']);

/**
 * What identifies a request: the model name, system instructions, input items, tools and handoffs
 * offered, output type and model settings. Item ids are dropped and call ids renumbered in order of
 * appearance, so nothing that varies between identical runs (timestamps, generated ids) is hashed.
 */
export function keyMaterial(model: string, request: ModelRequest): unknown {
  const callIds = new Map<string, string>();
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'id') continue;
      if ((key === 'callId' || key === 'call_id') && typeof v === 'string') {
        if (!callIds.has(v)) callIds.set(v, `call#${callIds.size}`);
        out[key] = callIds.get(v);
      } else out[key] = walk(v);
    }
    return out;
  };
  const material: Record<string, unknown> = { model };
  for (const [key, value] of Object.entries(request)) {
    if (IGNORED_REQUEST_KEYS.has(key) || value === undefined) continue;
    if (key === 'modelSettings' && typeof value === 'object' && value !== null) {
      material[key] = walk(Object.fromEntries(Object.entries(value).filter(([k]) => !IGNORED_SETTINGS.has(k))));
    } else material[key] = walk(value);
  }
  return material;
}

/** A stable 128-bit hex key for a request (see keyMaterial). */
export function requestKey(model: string, request: ModelRequest): string {
  return createHash('sha256').update(stableJson(keyMaterial(model, request))).digest('hex').slice(0, 32);
}

/** JSON with object keys sorted at every level; functions and undefined are left out. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'function' || v === undefined ? null : sortKeys(v)));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function') continue;
    out[key] = sortKeys(v);
  }
  return out;
}

/** The last caller message of a request, on one line and at most 100 characters. */
export function requestSummary(request: ModelRequest): string {
  let text = '';
  if (typeof request.input === 'string') text = request.input;
  else {
    for (const item of request.input) {
      const message = item as { role?: unknown; content?: unknown };
      if (message.role !== 'user') continue;
      if (typeof message.content === 'string') text = message.content;
      else if (Array.isArray(message.content)) {
        text = message.content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join(' ');
      }
    }
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 99)}…` : flat;
}

function copy(response: TimedResponse): TimedResponse {
  // The SDK may hold on to (and annotate) output items: hand out copies, keep the recording pristine.
  return JSON.parse(JSON.stringify(response)) as TimedResponse;
}

function plain(response: TimedResponse): CassetteResponse {
  const usage: UsageRecord = { ...response.usage };
  return {
    output: JSON.parse(JSON.stringify(response.output)) as OutputItem[],
    usage,
    latencyMs: response.latencyMs,
    ...(response.responseId !== undefined ? { responseId: response.responseId } : {}),
  };
}

/**
 * Record every successful call into `cassette`. Identical requests (same key and repetition) share
 * one call, in flight or already recorded, so a recording run reports exactly what its replay will.
 */
export function recordingCall(inner: ModelCall, cassette: Cassette): ModelCall {
  const inflight = new Map<string, Promise<TimedResponse>>();
  return async (model, request, context: CallContext) => {
    const key = requestKey(model, request);
    const recorded = cassette.get(key, context.repeat);
    if (recorded) return copy(recorded);
    const slot = `${key}#${context.repeat}`;
    let pending = inflight.get(slot);
    if (!pending) {
      pending = inner(model, request, context)
        .then((response) => {
          cassette.put(key, context.repeat, model, requestSummary(request), plain(response), requestParts(model, request));
          return response;
        })
        .finally(() => inflight.delete(slot));
      inflight.set(slot, pending);
    }
    return copy(await pending);
  };
}

/** Serve every call from `cassette`; a request it does not hold fails with CassetteMissError. */
export function replayingCall(cassette: Cassette, file: string): ModelCall {
  return async (model, request, context) => {
    const key = requestKey(model, request);
    const recorded = cassette.get(key, context.repeat);
    if (recorded) return copy(recorded);
    const summary = requestSummary(request);
    const entry = cassette.entry(key);
    let why: string;
    const similar = entry ? [] : cassette.similarEntries(model, summary);
    if (entry) why = `it was recorded for ${entry.responses.length} repetition(s), not ${context.repeat + 1}: re-record with the same --repeat`;
    else if (similar.length > 0) {
      const current = requestParts(model, request);
      // The closest recording of this message: the one with the fewest parts changed.
      const drift = similar
        .filter((e) => e.request)
        .map((e) => driftedParts(e.request!, current))
        .sort((a, b) => a.length - b.length)[0];
      why =
        drift && drift.length > 0
          ? `the cassette holds this message for this model, but ${listParts(drift)} changed since it was recorded`
          : 'the cassette holds this message for this model with different instructions, tools or settings: the topology changed since it was recorded';
    } else why = 'the dataset, topology or models changed since it was recorded';
    throw new CassetteMissError(`request not in cassette ${file} (model ${model}, "${summary}", key ${key}): ${why}; re-record with --record`);
  };
}

function listParts(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
