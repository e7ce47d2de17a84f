/**
 * `switchboard eval … --batch`: the entry decisions of a live run go through OpenAI's Batch API
 * (src/eval/batch.ts). Collects the requests, submits (or resumes `--batch-id`), polls, and returns a
 * model provider that answers each request from the batch's output, for the normal run to use.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, type CliIo } from '../io.js';
import { awaitBatch, batchJsonl, batchOutputs, BatchError, interceptResponses, submitBatch, type BatchClient } from '../../eval/batch.js';
import { liveCall } from '../../eval/provider.js';
import type { EvalClock, ModelCall, ModelProvider, RuntimeTopology } from '../../eval/types.js';
import { terminalLine } from '../../eval/terminal-text.js';

export interface BatchOptions {
  readonly batchId?: string;
  /** Seconds between two retrievals of the batch (default 30). */
  readonly batchPoll?: number;
  /** Seconds to wait for the batch before giving up (default 86400, the completion window). */
  readonly batchTimeout?: number;
}

type OpenAIConstructor = new (options: { apiKey: string; baseURL?: string; maxRetries?: number }) => BatchClient & { responses: { create: unknown } };

/** The project's `openai` package (the one its @openai/agents uses), not a copy of switchboard's. */
async function projectOpenAI(root: string): Promise<OpenAIConstructor> {
  let path: string;
  try {
    path = createRequire(join(root, 'package.json')).resolve('openai');
  } catch {
    throw new UsageError('--batch needs the `openai` package in the project (it comes with @openai/agents; or npm install openai)');
  }
  const module = (await import(pathToFileURL(path).href)) as { OpenAI?: OpenAIConstructor; default?: OpenAIConstructor & { OpenAI?: OpenAIConstructor } };
  const OpenAI = module.OpenAI ?? module.default?.OpenAI ?? module.default;
  if (typeof OpenAI !== 'function') throw new UsageError(`--batch: ${path} does not export the OpenAI client`);
  return OpenAI;
}

/**
 * Run `collect` (the cases, against a call that records each request) unless resuming, submit the
 * batch, wait for it, and return the provider that answers from its output.
 */
export async function batchProvider(
  runtime: RuntimeTopology,
  root: string,
  options: BatchOptions,
  io: CliIo,
  deps: { clock: EvalClock; signal: AbortSignal; collect: (call: ModelCall) => Promise<void> },
): Promise<ModelProvider> {
  const OpenAIProvider = runtime.sdk.OpenAIProvider;
  if (!OpenAIProvider) throw new UsageError("--batch: the project's @openai/agents does not export OpenAIProvider");
  const OpenAI = await projectOpenAI(root);
  const client = () => new OpenAI({ apiKey: io.env.OPENAI_API_KEY!, ...(io.env.OPENAI_BASE_URL ? { baseURL: io.env.OPENAI_BASE_URL } : {}) });
  const providerFor = (openAIClient: unknown) => new OpenAIProvider({ openAIClient: openAIClient as never, useResponses: true });
  const api = client();
  try {
    let batchId = options.batchId;
    if (batchId === undefined) {
      const collected = new Map<string, Record<string, unknown>>();
      const collecting = client();
      interceptResponses(collecting, { collect: collected });
      await deps.collect(liveCall(providerFor(collecting), deps.clock));
      if (deps.signal.aborted) throw new BatchError('interrupted before the batch was submitted');
      if (collected.size === 0) throw new BatchError('no request to submit: did the cases reach the entry model?');
      const batch = await submitBatch(api, batchJsonl(collected), { switchboard_topology: runtime.name });
      batchId = batch.id;
      io.stderr(`switchboard: submitted batch ${terminalLine(batchId)} (${collected.size} request(s)); if this process stops, resume with --batch-id ${terminalLine(batchId)}\n`);
    }
    const pollMs = (options.batchPoll ?? 30) * 1000;
    const timeoutMs = (options.batchTimeout ?? 86_400) * 1000;
    let last = '';
    const done = await awaitBatch(api, batchId, {
      pollMs,
      timeoutMs,
      clock: deps.clock,
      signal: deps.signal,
      onStatus: (status) => {
        const counts = status.request_counts ? ` ${status.request_counts.completed}/${status.request_counts.total}` : '';
        const line = `${status.status}${counts}`;
        if (line !== last) io.stderr(`switchboard: batch ${terminalLine(status.id)} ${terminalLine(line)}\n`);
        last = line;
      },
    });
    const outputs = await batchOutputs(api, done);
    const answering = client();
    interceptResponses(answering, { answer: outputs, batchId });
    return providerFor(answering);
  } catch (error) {
    if (error instanceof BatchError) throw new UsageError(`--batch: ${error.message}`);
    if (error instanceof Error && 'status' in error) throw new UsageError(`--batch: the Batch API refused: ${error.message}`);
    throw error;
  }
}
