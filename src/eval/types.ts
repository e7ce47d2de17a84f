/**
 * Types shared by the routing evaluation. Only type imports from the Agents SDK: at run time the SDK
 * comes from the compiled topology's own module graph (see load-topology.ts), so switchboard never
 * loads a second copy of it, and `validate`/`compile` never load it at all.
 */
import type { Agent, MCPServer, MemorySession, ModelProvider, ModelRequest, ModelResponse, OpenAIProvider, Runner, Usage } from '@openai/agents';
import type { SdkBundle } from './bundle-module.js';

export type { ModelProvider, ModelRequest };

/** One item a model produced (message, function call, reasoning, …), as the SDK models it. */
export type OutputItem = ModelResponse['output'][number];

/** Token usage of one model call, as plain data (what cassettes store and reports add up). */
export interface UsageRecord {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at `cachedInput` when priced). */
  readonly cachedInputTokens: number;
}

/** A model response as plain, JSON-serialisable data, with how long the call took. */
export interface TimedResponse {
  readonly output: OutputItem[];
  readonly usage: UsageRecord;
  /** Wall time of the successful call in whole milliseconds (replayed from the cassette in replay). */
  readonly latencyMs: number;
  readonly responseId?: string;
}

export interface CallContext {
  /** Which repetition of a case this call belongs to (0-based); keys cassette slots under `--repeat`. */
  readonly repeat: number;
  readonly signal?: AbortSignal;
}

/**
 * One model call by model name: the seam every layer (live provider, retries, cassette record and
 * replay) implements, so they stack.
 */
export type ModelCall = (model: string, request: ModelRequest, context: CallContext) => Promise<TimedResponse>;

/** The few SDK values the evaluation needs, taken from the same module graph as the agents. */
export interface Sdk {
  readonly Runner: typeof Runner;
  readonly Usage: typeof Usage;
  readonly OpenAIProvider?: typeof OpenAIProvider;
  /** The SDK's in-memory session: pass `new MemorySession()` as `session` to runs that form one conversation. */
  readonly MemorySession?: typeof MemorySession;
}

/** MCP servers a topology's `openMcpServers()` connected; `close()` them when the conversation ends. */
export interface McpConnection {
  readonly servers: readonly MCPServer[];
  close(): Promise<void>;
}

export type AnyAgent = Agent<any, any>;

/** A compiled topology, imported and ready to run. */
export interface RuntimeTopology {
  readonly name: string;
  /** The entry agent's id in the YAML. */
  readonly entryId: string;
  /** Every agent by its YAML id (plain SDK Agent instances). */
  readonly agents: Readonly<Record<string, AnyAgent>>;
  readonly sdk: Sdk;
  /**
   * Connect the topology's local MCP servers (absent when it declares no `mcpServers`). Every run of
   * the agents needs them open; close the connection after the last run, also on errors.
   */
  readonly openMcpServers?: () => Promise<McpConnection>;
  /** The prebuilt SDK the topology was bundled against, for a `--provider` module to share. */
  readonly sdkBundle?: SdkBundle;
}

/** Time, injectable so latency, timeouts and backoff are testable without waiting. */
export interface EvalClock {
  /** A monotonic clock in milliseconds (latency). */
  now(): number;
  /** Epoch milliseconds (to read HTTP-date `retry-after` headers). */
  epochNow(): number;
  /**
   * Resolve after `ms`, or as soon as `signal` aborts (never rejects). With `deadline`, the wait alone
   * does not keep the process alive: a deadline is not work, and when nothing else is left the eval
   * sees the stall (see stallWatch) instead of waiting out the deadline.
   */
  sleep(ms: number, signal?: AbortSignal, options?: { readonly deadline?: boolean }): Promise<void>;
}

export const realClock: EvalClock = {
  now: () => performance.now(),
  epochNow: () => Date.now(),
  sleep: (ms, signal, options) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      if (options?.deadline) timer.unref();
      signal?.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    }),
};

/** The pseudo-route for "the entry agent should answer (or ask a clarifying question) itself". */
export const STAY = 'stay';
