import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyError, DEFAULT_RETRY_POLICY, parseRetryAfter, retryAfterFrom, withRetry } from '../../src/eval/retry.js';
import type { EvalClock, TimedResponse } from '../../src/eval/types.js';

const ok: TimedResponse = { output: [], usage: { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2, cachedInputTokens: 0 }, latencyMs: 1 };
const apiError = (status: number, headers: Record<string, string> = {}, extra: object = {}) => Object.assign(new Error(`status ${status}`), { status, headers: new Headers(headers), ...extra });

/** A clock whose sleeps return at once and are recorded. */
function fakeClock(epoch = Date.parse('2026-11-20T10:00:00Z')): EvalClock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, epochNow: () => epoch, sleep: async (ms) => void slept.push(ms) };
}

describe('classifyError', () => {
  it('retries rate limits and transient failures, not client errors or aborts', () => {
    const now = Date.parse('2026-11-20T10:00:00Z');
    expect(classifyError(apiError(429, { 'retry-after': '7' }), now)).toEqual({ retry: true, kind: 'rate-limit', retryAfterMs: 7000 });
    expect(classifyError(apiError(429, {}, { code: 'insufficient_quota' }), now)).toEqual({ retry: false, kind: 'fatal' });
    expect(classifyError(apiError(503), now)).toEqual({ retry: true, kind: 'transient' });
    expect(classifyError(apiError(400), now)).toEqual({ retry: false, kind: 'fatal' });
    expect(classifyError(Object.assign(new Error('x'), { name: 'APIConnectionTimeoutError' }), now)).toEqual({ retry: true, kind: 'transient' });
    expect(classifyError(Object.assign(new Error('x'), { cause: { code: 'ECONNRESET' } }), now)).toEqual({ retry: true, kind: 'transient' });
    expect(classifyError(Object.assign(new Error('x'), { name: 'AbortError' }), now)).toEqual({ retry: false, kind: 'abort' });
    expect(classifyError(new Error('bug'), now)).toEqual({ retry: false, kind: 'fatal' });
  });

  it('reads retry-after in seconds, as an HTTP date, or retry-after-ms, from Headers or plain objects', () => {
    const now = Date.parse('2026-11-20T10:00:00Z');
    expect(parseRetryAfter('2.5', now)).toBe(2500);
    expect(parseRetryAfter('Fri, 20 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(retryAfterFrom(new Headers({ 'retry-after-ms': '150' }), now)).toBe(150);
    expect(retryAfterFrom({ 'Retry-After': '3' }, now)).toBe(3000);
  });
});

describe('withRetry', () => {
  it('backs off exponentially with jitter, honours retry-after, and succeeds', async () => {
    const clock = fakeClock();
    const failures = [apiError(500), apiError(429, { 'retry-after': '20' }), apiError(502)];
    const events: string[] = [];
    const call = withRetry(
      async () => {
        const next = failures.shift();
        if (next) throw next;
        return ok;
      },
      { clock, random: () => 1, onRetry: (e) => events.push(`${e.retry}:${e.kind}:${e.delayMs}`) },
    );
    expect(await call('m', {} as never, { repeat: 0 })).toBe(ok);
    // base 1 s doubling, jitter factor 1 (random 1); the 429's retry-after replaces the backoff.
    expect(clock.slept).toEqual([1000, 20_000, 4000]);
    expect(events).toEqual(['1:transient:1000', '2:rate-limit:20000', '3:transient:4000']);
  });

  it('gives up after the allowed retries, and never retries fatal errors', async () => {
    const clock = fakeClock();
    let calls = 0;
    const always429 = withRetry(async () => {
      calls++;
      throw apiError(429);
    }, { clock, policy: { ...DEFAULT_RETRY_POLICY, retries: 2 }, random: () => 0 });
    await expect(always429('m', {} as never, { repeat: 0 })).rejects.toThrow('status 429');
    expect(calls).toBe(3);
    expect(clock.slept).toEqual([500, 1000]);
    calls = 0;
    const fatal = withRetry(async () => {
      calls++;
      throw apiError(401);
    }, { clock });
    await expect(fatal('m', {} as never, { repeat: 0 })).rejects.toThrow('status 401');
    expect(calls).toBe(1);
  });

  it('caps backoff and a bogus retry-after', () => {
    expect(backoffDelay(10, DEFAULT_RETRY_POLICY, () => 1)).toBe(30_000);
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(500);
  });
});
