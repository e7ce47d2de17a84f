import { describe, expect, it } from 'vitest';
import { confusion, percentile, round, routeScores, wilson } from '../../src/eval/metrics.js';
import { costOf, DEFAULT_PRICES, parsePriceTable, priceFor, PriceTableError } from '../../src/eval/prices.js';

describe('wilson', () => {
  it('matches published values and stays inside [0, 1]', () => {
    // 8/10 at 95 %: 0.4902 – 0.9433 (Wilson 1927; also R's prop.test without correction).
    const i = wilson(8, 10)!;
    expect([round(i.low), round(i.high)]).toEqual([0.4902, 0.9433]);
    const all = wilson(10, 10)!;
    expect([round(all.low), all.high]).toEqual([0.7225, 1]);
    const none = wilson(0, 10)!;
    expect([none.low, round(none.high)]).toEqual([0, 0.2775]);
    expect(wilson(0, 0)).toBeUndefined();
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [50, 10, 40, 20, 30];
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 95)).toBe(50);
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('confusion and route scores', () => {
  it('counts expected × actual with an error column, and derives precision, recall and F1', () => {
    const m = confusion(
      [
        { expected: 'billing', actual: 'billing' },
        { expected: 'billing', actual: 'sales' },
        { expected: 'billing', actual: undefined },
        { expected: 'tech', actual: 'tech' },
        { expected: 'stay', actual: 'tech' },
      ],
      ['billing', 'tech', 'sales', 'stay'],
    );
    expect(m.columns).toEqual(['billing', 'tech', 'sales', 'stay', 'error']);
    expect(m.matrix).toEqual([
      [1, 0, 1, 0, 1],
      [0, 1, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 1, 0, 0, 0],
    ]);
    const scores = routeScores(m);
    expect(scores.get('billing')).toEqual({ support: 3, predicted: 1, correct: 1, precision: 1, recall: 1 / 3, f1: 0.5 });
    expect(scores.get('tech')).toMatchObject({ precision: 0.5, recall: 1 });
    expect(scores.get('sales')).toEqual({ support: 0, predicted: 1, correct: 0, precision: 0, recall: undefined, f1: undefined });
    expect(scores.get('stay')).toEqual({ support: 1, predicted: 0, correct: 0, precision: undefined, recall: 0, f1: undefined });
  });

  it('appends labels it was not told about instead of dropping them', () => {
    expect(confusion([{ expected: 'billing', actual: 'legal' }], ['billing']).labels).toEqual(['billing', 'legal']);
  });
});

describe('prices', () => {
  it('finds a price exactly or by the longest dated-snapshot prefix', () => {
    expect(priceFor(DEFAULT_PRICES, 'gpt-4o-mini')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor(DEFAULT_PRICES, 'gpt-4o-2024-08-06')).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(priceFor(DEFAULT_PRICES, 'claude-3')).toBeUndefined();
    expect(priceFor(DEFAULT_PRICES, 'toString')).toBeUndefined();
  });

  it('costs input, cached input and output tokens per million', () => {
    expect(costOf({ inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000 }, { input: 2.5, output: 10 })).toBe(12.5);
    expect(costOf({ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 0 }, { input: 1, cachedInput: 0.5, output: 4 })).toBeCloseTo(0.0008, 10);
  });

  it('merges a --prices file over the defaults and rejects bad ones', () => {
    const table = parsePriceTable(JSON.stringify({ $comment: 'ours', 'my-model': { input: 1, output: 2 }, 'gpt-4o': null }));
    expect(table['my-model']).toEqual({ input: 1, output: 2 });
    expect(table['gpt-4o']).toBeUndefined();
    expect(table['gpt-4o-mini']).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(() => parsePriceTable('[]')).toThrow(PriceTableError);
    expect(() => parsePriceTable('{"m": {"input": -1, "output": 1}}')).toThrow('`m.input` must be a non-negative number');
    expect(() => parsePriceTable('{"m": {"input": 1, "outptu": 1}}')).toThrow('unknown key `outptu`');
    expect(() => parsePriceTable('{nope')).toThrow('not valid JSON');
  });
});
