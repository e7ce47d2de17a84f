/**
 * A trace processor for the Agents SDK that appends spans to a local JSONL file: no network, no
 * batching thread, size-based rotation. Only types come from the SDK (`import type`), so this module
 * loads without `@openai/agents` installed.
 *
 *   import { addTraceProcessor } from '@openai/agents';
 *   import { JsonlTraceProcessor } from 'switchboard/tracing';
 *   addTraceProcessor(new JsonlTraceProcessor({ file: 'traces/support-desk.jsonl' }));
 *
 * `setTraceProcessors([processor])` instead keeps the SDK's OpenAI exporter out entirely.
 * Record format (one JSON object per line, `v: 1`): docs/analysis.md.
 */
import { appendFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirectories } from '../emit/write-output.js';
import type { Span, Trace, TracingProcessor } from '@openai/agents';

export const TRACE_RECORD_VERSION = 1;
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 5;

export interface JsonlTraceProcessorOptions {
  /** The file to append to; its folder is created when missing. */
  readonly file: string;
  /** Rotate before a write would take the file past this size (default 10 MiB). */
  readonly maxBytes?: number;
  /** Rotated files kept beside the current one: `file.1` (newest) … `file.N` (default 5). */
  readonly maxFiles?: number;
  /**
   * Record the caller's message of each run (the last user message the first model call saw), for
   * `switchboard traffic --to-dataset`. Off by default: it is personal data. Needs a model that
   * traces its input (the SDK's OpenAI models do unless `traceIncludeSensitiveData` is false).
   */
  readonly captureInput?: boolean;
  /** Record tool arguments and results (off by default: personal data). */
  readonly captureToolData?: boolean;
}

/** One line of the file. */
export type TraceRecord =
  | { readonly v: 1; readonly type: 'trace_start'; readonly trace_id: string; readonly workflow: string; readonly group_id: string | null; readonly metadata?: Record<string, unknown>; readonly at: string }
  | { readonly v: 1; readonly type: 'trace_end'; readonly trace_id: string; readonly at: string }
  | {
      readonly v: 1;
      readonly type: 'span';
      readonly trace_id: string;
      readonly span_id: string;
      readonly parent_id: string | null;
      readonly kind: string;
      readonly started_at: string | null;
      readonly ended_at: string | null;
      readonly error: { readonly message: string; readonly data?: Record<string, unknown> } | null;
      readonly data: Record<string, unknown>;
    };

/** The span kinds written: agent, handoff, tool (function) and guardrail spans, plus the usage carriers. */
const KINDS = new Set(['agent', 'handoff', 'function', 'guardrail', 'turn', 'task', 'response', 'generation']);

export class JsonlTraceProcessor implements TracingProcessor {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly captureInput: boolean;
  private readonly captureToolData: boolean;
  private size: number | undefined;
  /** Traces whose caller input is already recorded. */
  private readonly inputSeen = new Set<string>();

  constructor(options: JsonlTraceProcessorOptions) {
    this.file = options.file;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    this.captureInput = options.captureInput ?? false;
    this.captureToolData = options.captureToolData ?? false;
  }

  async onTraceStart(trace: Trace): Promise<void> {
    this.write({ v: 1, type: 'trace_start', trace_id: trace.traceId, workflow: trace.name, group_id: trace.groupId, ...(trace.metadata && Object.keys(trace.metadata).length > 0 ? { metadata: trace.metadata } : {}), at: new Date().toISOString() });
  }

  async onTraceEnd(trace: Trace): Promise<void> {
    this.inputSeen.delete(trace.traceId);
    this.write({ v: 1, type: 'trace_end', trace_id: trace.traceId, at: new Date().toISOString() });
  }

  async onSpanStart(): Promise<void> {}

  async onSpanEnd(span: Span<any>): Promise<void> {
    const data = this.spanData(span);
    if (!data) return;
    this.write({
      v: 1,
      type: 'span',
      trace_id: span.traceId,
      span_id: span.spanId,
      parent_id: span.parentId,
      kind: data.kind,
      started_at: span.startedAt,
      ended_at: span.endedAt,
      error: span.error ? { message: span.error.message, ...(span.error.data ? { data: span.error.data } : {}) } : null,
      data: data.fields,
    });
  }

  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}

  private spanData(span: Span<any>): { kind: string; fields: Record<string, unknown> } | undefined {
    const d = span.spanData as Record<string, any>;
    if (!KINDS.has(d.type)) return undefined;
    switch (d.type) {
      case 'agent':
        return { kind: 'agent', fields: { name: d.name } };
      case 'handoff':
        return { kind: 'handoff', fields: { from: d.from_agent ?? null, to: d.to_agent ?? null } };
      case 'function':
        return { kind: 'function', fields: { name: d.name, ...(this.captureToolData ? { input: d.input, output: d.output } : {}) } };
      case 'guardrail':
        return { kind: 'guardrail', fields: { name: d.name, triggered: Boolean(d.triggered) } };
      case 'turn':
        return { kind: 'turn', fields: { turn: d.turn, agent: d.agent_name, ...(d.usage ? { usage: d.usage } : {}) } };
      case 'task':
        return { kind: 'task', fields: { name: d.name, ...(d.usage ? { usage: d.usage } : {}) } };
      case 'response': {
        const response = d._response as { model?: string; usage?: Record<string, unknown> } | undefined;
        return { kind: 'response', fields: { ...(response?.model ? { model: response.model } : {}), ...this.input(span, d._input) } };
      }
      case 'generation':
        return { kind: 'generation', fields: { ...(d.model ? { model: d.model } : {}), ...this.input(span, d.input) } };
    }
    return undefined;
  }

  /** The caller's message, once per trace, when asked for. */
  private input(span: Span<any>, input: unknown): { input?: string } {
    if (!this.captureInput || this.inputSeen.has(span.traceId)) return {};
    const text = lastUserText(input);
    if (text === undefined) return {};
    this.inputSeen.add(span.traceId);
    return { input: text };
  }

  private write(record: TraceRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.size === undefined) {
      // One level at a time: Node's recursive mkdir spins forever under /proc (see makeDirectories).
      makeDirectories(dirname(this.file));
      this.size = existsSync(this.file) ? statSync(this.file).size : 0;
    }
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    appendFileSync(this.file, line);
    this.size += bytes;
  }

  /** `file` → `file.1` → … → `file.N`; the oldest beyond maxFiles is deleted. */
  private rotate(): void {
    if (this.maxFiles < 1) rmSync(this.file, { force: true });
    else {
      rmSync(`${this.file}.${this.maxFiles}`, { force: true });
      for (let i = this.maxFiles - 1; i >= 1; i--) if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      renameSync(this.file, `${this.file}.1`);
    }
    this.size = 0;
  }
}

/** The text of the last user message in a model input (a string, or Responses/Chat items). */
export function lastUserText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return undefined;
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i] as { role?: string; type?: string; content?: unknown };
    if (item?.role !== 'user') continue;
    if (typeof item.content === 'string') return item.content;
    if (Array.isArray(item.content)) {
      const parts = item.content.flatMap((c: { type?: string; text?: unknown }) => (typeof c?.text === 'string' && (c.type === 'input_text' || c.type === 'text' || c.type === undefined) ? [c.text] : []));
      if (parts.length > 0) return parts.join('\n');
    }
  }
  return undefined;
}
