/**
 * Token prices, in US dollars per million tokens. The defaults are OpenAI's published list prices for
 * common models when this table was written; they change, so override them with `--prices file.json`
 * (merged over these, model by model). Documented in docs/eval.md.
 */
import type { UsageRecord } from './types.js';

export interface Price {
  /** USD per 1M input tokens. */
  readonly input: number;
  /** USD per 1M output tokens. */
  readonly output: number;
  /** USD per 1M cached input tokens; cached tokens are billed as `input` when absent. */
  readonly cachedInput?: number;
}

export type PriceTable = Readonly<Record<string, Price>>;

export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
};

export class PriceTableError extends Error {
  override readonly name = 'PriceTableError';
}

/**
 * Parse a `--prices` file: `{ "<model>": { "input": n, "output": n, "cachedInput"?: n } }`, merged
 * over `base`. A model set to `null` removes its price (its cost is then reported as unknown).
 */
export function parsePriceTable(text: string, base: PriceTable = DEFAULT_PRICES): PriceTable {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PriceTableError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new PriceTableError('expected an object mapping model names to { input, output } prices');
  const table: Record<string, Price> = { ...base };
  for (const [model, value] of Object.entries(data as Record<string, unknown>)) {
    if (model.startsWith('$')) continue; // `$comment` and friends
    if (value === null) {
      delete table[model];
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) throw new PriceTableError(`\`${model}\`: expected { input, output } in USD per 1M tokens`);
    const entry = value as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (!['input', 'output', 'cachedInput'].includes(key)) throw new PriceTableError(`\`${model}\`: unknown key \`${key}\` (expected input, output, cachedInput)`);
    }
    const number = (key: string, required: boolean): number | undefined => {
      const v = entry[key];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new PriceTableError(`\`${model}.${key}\` must be a non-negative number (USD per 1M tokens)`);
      return v;
    };
    const cachedInput = number('cachedInput', false);
    table[model] = { input: number('input', true)!, output: number('output', true)!, ...(cachedInput !== undefined ? { cachedInput } : {}) };
  }
  return table;
}

/**
 * The price for a model: an exact match, else the longest listed name it extends with `-` (a dated
 * snapshot such as `gpt-4o-mini-2024-07-18` uses `gpt-4o-mini`).
 */
export function priceFor(table: PriceTable, model: string): Price | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : table[best];
}

/** Cost in USD of the given usage at a price. */
export function costOf(usage: Pick<UsageRecord, 'inputTokens' | 'outputTokens' | 'cachedInputTokens'>, price: Price): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  return (fresh * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1_000_000;
}
