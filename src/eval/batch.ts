/**
 * Large live runs through OpenAI's Batch API (`--batch`, docs/eval.md#batch-api): lower price,
 * asynchronous. The entry decision of every case is one Responses request, so a run goes:
 *
 * 1. **collect**: the cases run through the SDK with a client whose `responses.create` only records
 *    the request body the SDK built (so the batch asks exactly what a live run would) and fails;
 * 2. **submit**: the bodies become a JSONL file (one line per distinct request, `custom_id` its hash),
 *    uploaded with purpose `batch`; a batch is created on `/v1/responses` (resumable by its id);
 * 3. **poll**: the batch is retrieved every `pollMs` until it ends, or `timeoutMs` passes;
 * 4. **answer**: its output file is downloaded and the cases run again, `responses.create` now
 *    answering each body with the batch's response for it; the SDK reads them as it reads live ones.
 *
 * The client is passed in (the project's `openai` package): nothing here opens a connection itself.
 */
import { createHash } from 'node:crypto';
import type { EvalClock } from './types.js';

/** The parts of the `openai` client the Batch API needs (structurally; the real client fits). */
export interface BatchClient {
  readonly files: {
    create(body: { file: unknown; purpose: 'batch' }): PromiseLike<{ id: string }>;
    content(fileId: string): PromiseLike<{ text(): Promise<string> }>;
  };
  readonly batches: {
    create(body: { input_file_id: string; endpoint: '/v1/responses'; completion_window: '24h'; metadata?: Record<string, string> }): PromiseLike<BatchStatus>;
    retrieve(batchId: string): PromiseLike<BatchStatus>;
  };
}

/** What a batch says about itself (the fields read here). */
export interface BatchStatus {
  readonly id: string;
  readonly status: string;
  readonly output_file_id?: string | null;
  readonly error_file_id?: string | null;
  readonly request_counts?: { readonly total: number; readonly completed: number; readonly failed: number } | null;
}

export class BatchError extends Error {
  override readonly name = 'BatchError';
}

/** A request body as the batch keys it: the SDK's body without `stream` (a batch never streams). */
export function batchBody(body: Record<string, unknown>): Record<string, unknown> {
  const { stream: _stream, ...rest } = body;
  return rest;
}

/** The `custom_id` of a request: a hash of its body with keys sorted, so identical requests share one line. */
export function requestKey(body: Record<string, unknown>): string {
  return createHash('sha256').update(stableJson(batchBody(body))).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** One JSONL line per distinct request, in the order first seen. */
export function batchJsonl(requests: ReadonlyMap<string, Record<string, unknown>>): string {
  return [...requests].map(([key, body]) => `${JSON.stringify({ custom_id: key, method: 'POST', url: '/v1/responses', body: batchBody(body) })}\n`).join('');
}

/** Upload the JSONL and create the batch; returns the batch (its id resumes it with `--batch-id`). */
export async function submitBatch(client: BatchClient, jsonl: string, metadata: Record<string, string> = {}): Promise<BatchStatus> {
  const file = await client.files.create({ file: new File([jsonl], 'switchboard-eval.jsonl', { type: 'application/jsonl' }), purpose: 'batch' });
  return client.batches.create({ input_file_id: file.id, endpoint: '/v1/responses', completion_window: '24h', metadata });
}

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

export interface PollOptions {
  /** Between two retrievals. */
  readonly pollMs: number;
  /** Give up (the batch goes on: resume it with its id) after this long. */
  readonly timeoutMs: number;
  readonly clock: EvalClock;
  readonly signal?: AbortSignal;
  readonly onStatus?: (status: BatchStatus) => void;
}

/** Retrieve the batch until it ends; a batch that failed, expired or was cancelled is a BatchError. */
export async function awaitBatch(client: BatchClient, batchId: string, options: PollOptions): Promise<BatchStatus> {
  const started = options.clock.now();
  for (;;) {
    const status = await client.batches.retrieve(batchId);
    options.onStatus?.(status);
    if (TERMINAL.has(status.status)) {
      if (status.status === 'completed') return status;
      throw new BatchError(`batch ${batchId} ${status.status}${status.request_counts ? ` (${status.request_counts.completed} of ${status.request_counts.total} requests completed)` : ''}`);
    }
    if (options.signal?.aborted) throw new BatchError(`interrupted while waiting for batch ${batchId}; resume with --batch-id ${batchId}`);
    const elapsed = options.clock.now() - started;
    if (elapsed >= options.timeoutMs) throw new BatchError(`batch ${batchId} is still ${status.status} after ${Math.round(elapsed / 1000)} s; resume with --batch-id ${batchId}`);
    await options.clock.sleep(Math.min(options.pollMs, options.timeoutMs - elapsed), options.signal);
  }
}

export interface BatchOutputs {
  /** Response bodies by `custom_id`. */
  readonly responses: ReadonlyMap<string, Record<string, unknown>>;
  /** Error messages by `custom_id`, for requests the batch could not answer. */
  readonly errors: ReadonlyMap<string, string>;
}

/** Download and read a completed batch's output (and error) files. */
export async function batchOutputs(client: BatchClient, batch: BatchStatus): Promise<BatchOutputs> {
  const responses = new Map<string, Record<string, unknown>>();
  const errors = new Map<string, string>();
  const read = async (fileId: string | null | undefined) => (fileId ? (await (await client.files.content(fileId)).text()).split('\n').filter((l) => l.trim() !== '') : []);
  for (const line of [...(await read(batch.output_file_id)), ...(await read(batch.error_file_id))]) {
    let parsed: { custom_id?: unknown; response?: { status_code?: number; body?: unknown } | null; error?: { message?: string } | null };
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new BatchError(`batch ${batch.id}: an output line is not JSON`);
    }
    if (typeof parsed.custom_id !== 'string') continue;
    const body = parsed.response?.body;
    if (parsed.response?.status_code === 200 && body && typeof body === 'object') responses.set(parsed.custom_id, body as Record<string, unknown>);
    else errors.set(parsed.custom_id, parsed.error?.message ?? (body as { error?: { message?: string } } | undefined)?.error?.message ?? `status ${parsed.response?.status_code ?? 'unknown'}`);
  }
  return { responses, errors };
}

/** Thrown by the collecting client: the case is only being collected, not answered. */
export class CollectedRequest extends Error {
  override readonly name = 'CollectedRequest';
}

/**
 * Point a client's `responses.create` at the batch: in `collect` mode it records each body and fails;
 * in `answer` mode it returns the batch's response for that body (an error when the batch has none).
 */
export function interceptResponses(client: { responses: { create: unknown } }, mode: { readonly collect: Map<string, Record<string, unknown>> } | { readonly answer: BatchOutputs; readonly batchId: string }): void {
  (client.responses as { create: (body: Record<string, unknown>) => Promise<unknown> }).create = async (body) => {
    const key = requestKey(body);
    if ('collect' in mode) {
      if (!mode.collect.has(key)) mode.collect.set(key, batchBody(body));
      throw new CollectedRequest('collected for the batch');
    }
    const response = mode.answer.responses.get(key);
    if (response) return response;
    const error = mode.answer.errors.get(key);
    throw new BatchError(error ? `the batch could not answer this request: ${error}` : `request ${key} is not in batch ${mode.batchId}: the dataset, topology or models changed since it was submitted`);
  };
}
