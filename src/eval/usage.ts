import type { UsageRecord } from './types.js';

export const ZERO_USAGE: UsageRecord = { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0 };

/** Plain usage from an SDK `Usage` (or any object shaped like one; snake_case is accepted too). */
export function usageRecord(usage: unknown): UsageRecord {
  if (typeof usage !== 'object' || usage === null) return { ...ZERO_USAGE, requests: 1 };
  const u = usage as Record<string, unknown>;
  const num = (...keys: string[]) => {
    for (const key of keys) if (typeof u[key] === 'number' && Number.isFinite(u[key])) return u[key] as number;
    return 0;
  };
  const inputTokens = num('inputTokens', 'input_tokens');
  const outputTokens = num('outputTokens', 'output_tokens');
  const details = u.inputTokensDetails ?? u.input_tokens_details;
  const cached = (Array.isArray(details) ? details : [details]).reduce<number>((sum, d) => {
    const value = typeof d === 'object' && d !== null ? (d as Record<string, unknown>).cached_tokens ?? (d as Record<string, unknown>).cachedTokens : undefined;
    return sum + (typeof value === 'number' ? value : 0);
  }, 0);
  return {
    requests: typeof u.requests === 'number' ? u.requests : 1,
    inputTokens,
    outputTokens,
    totalTokens: num('totalTokens', 'total_tokens') || inputTokens + outputTokens,
    cachedInputTokens: cached,
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
