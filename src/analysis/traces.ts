/**
 * Read trace files into spans grouped by trace: the JSONL records `JsonlTraceProcessor` writes, and the
 * SDK's own exported format (`Trace.toJSON()` / `Span.toJSON()` objects: one per line, a JSON array, or
 * the OpenAI exporter's `{ "data": [...] }` payload). Pure: text in, spans and located errors out.
 */

/** The largest trace file read whole (rotate with JsonlTraceProcessor's maxBytes to stay under it). */
export const MAX_TRACE_BYTES = 256 * 1024 * 1024;

export interface TraceSpan {
  readonly file: string;
  readonly line: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | null;
  /** agent, handoff, function, guardrail, turn, task, response, generation, or another SDK type. */
  readonly kind: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly error: { readonly message: string } | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface TraceGroup {
  readonly traceId: string;
  readonly workflow?: string;
  /** Where the trace was first seen. */
  readonly file: string;
  readonly line: number;
  readonly spans: TraceSpan[];
}

export interface TraceReadError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface ParsedTraces {
  readonly traces: TraceGroup[];
  readonly errors: TraceReadError[];
  /** Records read (lines or array items). */
  readonly records: number;
}

type Json = Record<string, unknown>;

/** Parse the text of one file. Every bad record becomes a located error; good ones are kept. */
export function parseTraceText(text: string, file: string, into?: ParsedTraces): ParsedTraces {
  const result: ParsedTraces = into ?? { traces: [], errors: [], records: 0 };
  const byId = new Map(result.traces.map((t) => [t.traceId, t]));
  const add = (value: unknown, line: number) => addRecord(value, file, line, result, byId);
  const trimmed = text.trimStart();
  // A whole-file JSON document (an array, or `{ "data": [...] }`) rather than one object per line.
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && isWholeDocument(text))) {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      result.errors.push({ file, line: jsonErrorLine(text, error as Error), message: `not valid JSON (${(error as Error).message})` });
      return result;
    }
    const items = Array.isArray(document) ? document : (document as Json).data;
    if (!Array.isArray(items)) {
      result.errors.push({ file, line: 1, message: 'expected one trace record per line, a JSON array of records, or an exporter payload { "data": [...] }' });
      return result;
    }
    for (const item of items) add(item, 1);
    return result;
  }
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/\r$/, '');
    if (content.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      const last = index === lines.length - 1 && !endsWithNewline;
      result.errors.push({ file, line, message: last ? 'truncated record: the file ends in the middle of a line (was the writer stopped?)' : `not valid JSON (${(error as Error).message})` });
      return;
    }
    add(value, line);
  });
  return result;
}

/** A file that is one JSON document spread over lines (pretty-printed exporter payloads). */
function isWholeDocument(text: string): boolean {
  try {
    const value = JSON.parse(text) as Json;
    return typeof value === 'object' && value !== null && Array.isArray(value.data);
  } catch {
    return false;
  }
}

function jsonErrorLine(text: string, error: Error): number {
  const match = /position (\d+)/.exec(error.message);
  if (!match) return 1;
  return text.slice(0, Number(match[1])).split('\n').length;
}

function addRecord(value: unknown, file: string, line: number, result: ParsedTraces, byId: Map<string, TraceGroup>): void {
  (result as { records: number }).records++;
  const fail = (message: string) => result.errors.push({ file, line, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void fail('not a trace record: expected a JSON object');
  const record = value as Json;
  const group = (traceId: unknown, workflow?: unknown): TraceGroup | undefined => {
    if (typeof traceId !== 'string' || traceId === '') return void fail('trace record without a `trace_id`');
    let g = byId.get(traceId);
    if (!g) {
      g = { traceId, file, line, spans: [], ...(typeof workflow === 'string' ? { workflow } : {}) };
      byId.set(traceId, g);
      result.traces.push(g);
    } else if (typeof workflow === 'string' && g.workflow === undefined) (g as { workflow?: string }).workflow = workflow;
    return g;
  };
  if (record.v !== undefined) {
    if (record.v !== 1) return void fail(`unsupported trace record version ${JSON.stringify(record.v)} (this switchboard reads version 1)`);
    if (record.type === 'trace_start') return void group(record.trace_id, record.workflow);
    if (record.type === 'trace_end') return void group(record.trace_id);
    if (record.type !== 'span') return void fail(`unknown record type ${JSON.stringify(record.type)} (expected trace_start, span or trace_end)`);
    const g = group(record.trace_id);
    if (!g) return;
    if (typeof record.span_id !== 'string' || typeof record.kind !== 'string' || typeof record.data !== 'object' || record.data === null) return void fail('span record needs `span_id`, `kind` and `data`');
    g.spans.push({ file, line, traceId: g.traceId, spanId: record.span_id, parentId: stringOrNull(record.parent_id), kind: record.kind, startedAt: stringOrNull(record.started_at), endedAt: stringOrNull(record.ended_at), error: errorOf(record.error), data: record.data as Json });
    return;
  }
  // The SDK's own serialisation.
  if (record.object === 'trace') return void group(record.id, record.workflow_name);
  if (record.object === 'trace.span') {
    const g = group(record.trace_id);
    if (!g) return;
    const spanData = record.span_data as Json | undefined;
    if (typeof record.id !== 'string' || typeof spanData !== 'object' || spanData === null || typeof spanData.type !== 'string') return void fail('span without `id` or `span_data.type`');
    const { kind, data } = fromSdkSpanData(spanData);
    g.spans.push({ file, line, traceId: g.traceId, spanId: record.id, parentId: stringOrNull(record.parent_id), kind, startedAt: stringOrNull(record.started_at), endedAt: stringOrNull(record.ended_at), error: errorOf(record.error), data });
    return;
  }
  fail('not a trace record: expected a switchboard record (`v`) or an SDK trace/span (`object`)');
}

/** Map the SDK's span_data onto the processor's field names (turn and task spans are serialised as custom). */
function fromSdkSpanData(d: Json): { kind: string; data: Json } {
  const custom = d.type === 'custom' ? (d.data as Json | undefined) : undefined;
  if (custom?.sdk_span_type === 'turn') return { kind: 'turn', data: { turn: custom.turn, agent: custom.agent_name, ...(custom.usage ? { usage: custom.usage } : {}) } };
  if (custom?.sdk_span_type === 'task') return { kind: 'task', data: { name: custom.name, ...(custom.usage ? { usage: custom.usage } : {}) } };
  switch (d.type) {
    case 'agent':
      return { kind: 'agent', data: { name: d.name } };
    case 'handoff':
      return { kind: 'handoff', data: { from: d.from_agent ?? null, to: d.to_agent ?? null } };
    case 'function':
      return { kind: 'function', data: { name: d.name } };
    case 'guardrail':
      return { kind: 'guardrail', data: { name: d.name, triggered: Boolean(d.triggered) } };
    case 'generation':
      return { kind: 'generation', data: { ...(d.model ? { model: d.model } : {}), ...(d.usage ? { usage: d.usage } : {}) } };
    default:
      return { kind: String(d.type), data: {} };
  }
}

const stringOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** The span error, with its data flattened into the message (the SDK puts `MaxTurnsExceededError: …` there). */
const errorOf = (v: unknown): { message: string } | null => {
  if (typeof v !== 'object' || v === null || typeof (v as Json).message !== 'string') return null;
  const data = (v as Json).data;
  const detail = typeof data === 'object' && data !== null ? Object.values(data).filter((x): x is string => typeof x === 'string') : [];
  return { message: [(v as Json).message as string, ...detail].join(': ') };
};
