/**
 * Retries with exponential backoff for rate limits (honouring `retry-after`) and transient errors.
 * Time and randomness are injected, so backoff is tested without waiting.
 */
import type { EvalClock, ModelCall } from './types.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Delay before the first retry, doubled for each further one (before jitter). */
  readonly baseDelayMs: number;
  /** Cap on a computed backoff delay. */
  readonly maxDelayMs: number;
  /** Cap on a server's `retry-after`, so a bogus header cannot stall the run. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export type ErrorClass =
  | { readonly retry: true; readonly kind: 'rate-limit' | 'transient'; readonly retryAfterMs?: number }
  | { readonly retry: false; readonly kind: 'abort' | 'fatal' };

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const TRANSIENT_NAMES = new Set(['APIConnectionError', 'APIConnectionTimeoutError', 'InternalServerError']);

/** Decide whether an error from a model call is worth retrying. Duck-typed: works for any provider. */
export function classifyError(error: unknown, epochNow: number): ErrorClass {
  const e = (error ?? {}) as { name?: unknown; status?: unknown; code?: unknown; headers?: unknown; cause?: unknown };
  if (e.name === 'AbortError' || e.name === 'APIUserAbortError') return { retry: false, kind: 'abort' };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const retryAfterMs = retryAfterFrom(e.headers, epochNow);
  if (status === 429 || e.name === 'RateLimitError') {
    // OpenAI signals an exhausted quota (which no wait will fix) with 429 and code insufficient_quota.
    if (e.code === 'insufficient_quota') return { retry: false, kind: 'fatal' };
    return { retry: true, kind: 'rate-limit', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
    return { retry: true, kind: 'transient', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status !== undefined) return { retry: false, kind: 'fatal' };
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return { retry: true, kind: 'transient' };
  const code = typeof e.code === 'string' ? e.code : typeof (e.cause as { code?: unknown })?.code === 'string' ? (e.cause as { code: string }).code : undefined;
  if (code !== undefined && TRANSIENT_CODES.has(code)) return { retry: true, kind: 'transient' };
  return { retry: false, kind: 'fatal' };
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date, from a Headers object or a plain record. */
export function retryAfterFrom(headers: unknown, epochNow: number): number | undefined {
  const get = (name: string): string | undefined => {
    if (!headers || typeof headers !== 'object') return undefined;
    const h = headers as { get?: unknown } & Record<string, unknown>;
    if (typeof h.get === 'function') {
      const v = (h.get as (n: string) => unknown).call(headers, name);
      return typeof v === 'string' ? v : undefined;
    }
    for (const [key, value] of Object.entries(h)) if (key.toLowerCase() === name && typeof value === 'string') return value;
    return undefined;
  };
  const ms = get('retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  return parseRetryAfter(get('retry-after'), epochNow);
}

export function parseRetryAfter(value: string | undefined, epochNow: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - epochNow);
}

/** Exponential backoff with jitter in [50 %, 100 %] of the step: base × 2^(retry − 1), capped. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step * (0.5 + random() / 2));
}

export interface RetryEvent {
  readonly model: string;
  readonly retry: number;
  readonly delayMs: number;
  readonly kind: 'rate-limit' | 'transient';
  readonly error: unknown;
}

/** Wrap a model call with retries. A server's retry-after, when sent, replaces the computed backoff. */
export function withRetry(
  inner: ModelCall,
  options: { policy?: RetryPolicy; clock: EvalClock; random?: () => number; onRetry?: (event: RetryEvent) => void },
): ModelCall {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  return async (model, request, context) => {
    for (let retry = 0; ; retry++) {
      try {
        return await inner(model, request, context);
      } catch (error) {
        if (context.signal?.aborted) throw error;
        const verdict = classifyError(error, options.clock.epochNow());
        if (!verdict.retry || retry >= policy.retries) throw error;
        const computed = backoffDelay(retry + 1, policy, random);
        const delayMs = verdict.retryAfterMs !== undefined ? Math.min(verdict.retryAfterMs, policy.maxRetryAfterMs) : computed;
        options.onRetry?.({ model, retry: retry + 1, delayMs, kind: verdict.kind, error });
        await options.clock.sleep(delayMs, context.signal);
        if (context.signal?.aborted) throw error;
      }
    }
  };
}
