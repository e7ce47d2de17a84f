import type { UsageRecord } from './types.js';

export const ZERO_USAGE: UsageRecord = { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0 };

/** Largest token count taken from a provider for one call; matches what a cassette may hold. */
const MAX_TOKENS = 1_000_000_000;

/** A count a provider reported, if it is one: a whole number from 0 to `max`. */
function count(value: unknown, max = MAX_TOKENS): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? value : undefined;
}

/**
 * Plain usage from an SDK `Usage` (or any object shaped like one; snake_case is accepted too).
 * Counts that are not whole numbers in range (negative, fractional, NaN, 1e20) are left out as 0,
 * so a provider's bad numbers neither distort the cost nor make its recording unreplayable.
 */
export function usageRecord(usage: unknown): UsageRecord {
  if (typeof usage !== 'object' || usage === null) return { ...ZERO_USAGE, requests: 1 };
  const u = usage as Record<string, unknown>;
  const num = (...keys: string[]) => {
    for (const key of keys) {
      const n = count(u[key]);
      if (n !== undefined) return n;
    }
    return 0;
  };
  const inputTokens = num('inputTokens', 'input_tokens');
  const outputTokens = num('outputTokens', 'output_tokens');
  const details = u.inputTokensDetails ?? u.input_tokens_details;
  const cached = (Array.isArray(details) ? details : [details]).reduce<number>((sum, d) => {
    const value = typeof d === 'object' && d !== null ? (d as Record<string, unknown>).cached_tokens ?? (d as Record<string, unknown>).cachedTokens : undefined;
    return sum + (count(value) ?? 0);
  }, 0);
  return {
    requests: count(u.requests, 1_000) ?? 1,
    inputTokens,
    outputTokens,
    totalTokens: Math.min(MAX_TOKENS, num('totalTokens', 'total_tokens') || inputTokens + outputTokens),
    cachedInputTokens: Math.min(cached, inputTokens),
  };
}

/** The SDK `Usage` constructor input for a record (what replayed responses carry). */
export function usageInput(usage: UsageRecord): Record<string, unknown> {
  return {
    requests: usage.requests,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens,
    ...(usage.cachedInputTokens > 0 ? { inputTokensDetails: { cached_tokens: usage.cachedInputTokens } } : {}),
  };
}

export function addUsage(a: UsageRecord, b: UsageRecord): UsageRecord {
  return {
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  };
}
