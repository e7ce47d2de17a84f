import { describe, expect, it } from 'vitest';
import { binomialTwoSided, caseLevel, compareRuns, mcnemarExact, paretoSet, wilson, type CaseOutcome } from '../../src/eval/statistics.js';

// Every expected value below is worked out by hand in the comment beside it.
describe('exact McNemar', () => {
  it('is 1 when nothing changed, or when the changes balance', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(3, 3)).toBe(1); // 2 × (1 + 6 + 15 + 20) / 64 = 84/64, capped at 1
  });

  it('matches the binomial tail on the discordant pairs', () => {
    expect(mcnemarExact(0, 5)).toBe(0.0625); // 2 × 1/32: five of five broken is not significant at 0.05
    expect(mcnemarExact(0, 6)).toBe(0.03125); // 2 × 1/64
    expect(mcnemarExact(1, 5)).toBe(0.21875); // 2 × (1 + 6)/64 = 14/64
    expect(mcnemarExact(5, 1)).toBe(0.21875); // symmetric
    expect(mcnemarExact(2, 10)).toBeCloseTo(0.03857421875, 12); // 2 × (1 + 12 + 66)/4096 = 158/4096
    expect(mcnemarExact(1, 9)).toBeCloseTo(0.021484375, 12); // 2 × (1 + 10)/1024 = 22/1024
  });

  it('stays exact for large n (summed in log space)', () => {
    // n = 2000, k = 1000: the tail is just over half; two-sided capped at 1.
    expect(binomialTwoSided(1000, 2000)).toBe(1);
    // n = 1000, k = 0: 2 × 2^-1000, far below any alpha but not zero.
    expect(binomialTwoSided(0, 1000)).toBe(2 * 0.5 ** 1000);
    // n = 1100 (log-space branch), k = 550: the middle, capped at 1; k = 500: two-sided tail.
    expect(binomialTwoSided(550, 1100)).toBe(1);
    expect(binomialTwoSided(500, 1100)).toBeCloseTo(0.0028195449914364, 10); // 2 × Σ C(1100, i)/2^1100 for i ≤ 500, summed exactly in Python
  });
});

describe('paired comparison', () => {
  const c = (id: string, expect: string, passed: boolean): CaseOutcome => ({ id, expect, passed });
  const before = [c('b1', 'billing', true), c('b2', 'billing', true), c('b3', 'billing', false), c('t1', 'tech', true), c('t2', 'tech', true), c('t3', 'tech', true), c('gone', 'stay', true)];
  const after = [c('b1', 'billing', true), c('b2', 'billing', false), c('b3', 'billing', true), c('t1', 'tech', false), c('t2', 'tech', false), c('t3', 'tech', false), c('new', 'stay', true)];

  it('pairs by id, tests overall and per route, and lists the changed cases both ways', () => {
    const result = compareRuns(before, after, { baseline: 'base.json', candidate: 'default' }, ['billing', 'tech', 'sales', 'stay']);
    expect(result.overall).toEqual({ cases: 6, bothCorrect: 1, bothWrong: 0, fixed: 1, broken: 4, pValue: 0.375, baselineAccuracy: 0.8333, candidateAccuracy: 0.3333 }); // 2 × (1 + 5)/32
    expect(result.routes.billing).toMatchObject({ cases: 3, fixed: 1, broken: 1, pValue: 1 });
    expect(result.routes.tech).toMatchObject({ cases: 3, fixed: 0, broken: 3, pValue: 0.25 }); // 2 × 1/8
    expect(result.routes.sales).toMatchObject({ cases: 0, pValue: 1, baselineAccuracy: null });
    expect(result.fixedCases).toEqual(['b3']);
    expect(result.brokenCases).toEqual(['b2', 't1', 't2', 't3']);
    expect(result.unpaired).toEqual(['new', 'gone']);
    expect(result.significantDrop).toBe(false);
  });

  it('calls a drop significant only when more broke than were fixed and p < alpha', () => {
    const many = Array.from({ length: 8 }, (_, i) => c(`x${i}`, 'billing', true));
    const worse = many.map((x) => ({ ...x, passed: false }));
    expect(compareRuns(many, worse, { baseline: 'a', candidate: 'b' }, ['billing']).overall.pValue).toBe(0.0078125); // 2/256
    expect(compareRuns(many, worse, { baseline: 'a', candidate: 'b' }, ['billing']).significantDrop).toBe(true);
    expect(compareRuns(worse, many, { baseline: 'a', candidate: 'b' }, ['billing']).significantDrop).toBe(false); // a gain
    expect(compareRuns(many, worse, { baseline: 'a', candidate: 'b' }, ['billing'], 0.005).significantDrop).toBe(false);
  });
});

describe('intervals over cases', () => {
  it('Wilson matches the textbook values', () => {
    const w = wilson(8, 10)!; // p = 0.8, n = 10 → 0.4902–0.9433
    expect(w.low).toBeCloseTo(0.4902, 4);
    expect(w.high).toBeCloseTo(0.9433, 4);
  });

  it('repeats do not narrow the interval: n is the number of cases', () => {
    const once = caseLevel(Array.from({ length: 10 }, (_, i) => ({ ran: 1, correct: i < 8 ? 1 : 0 })));
    const thrice = caseLevel(Array.from({ length: 10 }, (_, i) => ({ ran: 3, correct: i < 8 ? 3 : 0 })));
    expect(thrice.accuracy).toBe(0.8);
    expect(thrice.interval).toEqual(once.interval);
    expect(thrice.interval!.low).toBeCloseTo(0.4902, 4);
  });

  it('pass^k counts cases correct on every attempt', () => {
    // 4 cases × 3: all right, 2 of 3, 1 of 3, all right → accuracy (1 + 2/3 + 1/3 + 1)/4 = 0.75, pass^3 = 2/4.
    const stats = caseLevel([
      { ran: 3, correct: 3 },
      { ran: 3, correct: 2 },
      { ran: 3, correct: 1 },
      { ran: 3, correct: 3 },
      { ran: 0, correct: 0 },
    ]);
    expect(stats.cases).toBe(4);
    expect(stats.accuracy).toBeCloseTo(0.75, 12);
    expect(stats.passAll).toBe(0.5);
  });
});

describe('cost–accuracy frontier', () => {
  it('keeps the settings nothing beats on both accuracy and cost', () => {
    const set = paretoSet([
      { label: 'mini', accuracy: 0.9, costPerCase: 0.0001 },
      { label: 'big', accuracy: 0.95, costPerCase: 0.001 },
      { label: 'worse-and-dearer', accuracy: 0.88, costPerCase: 0.0005 },
      { label: 'same-as-mini-dearer', accuracy: 0.9, costPerCase: 0.0002 },
      { label: 'unpriced', accuracy: 0.99, costPerCase: null },
    ]);
    expect(set).toEqual(['mini', 'big']);
  });
});
