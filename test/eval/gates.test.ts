import { describe, expect, it } from 'vitest';
import { checkRecallRoutes, evaluateGates, GateSpecError, parseRatio, parseRecallSpec, readBaseline } from '../../src/eval/gates.js';
import type { RunReport } from '../../src/eval/report.js';

const run = (accuracy: number | null, recall: Record<string, number | null>, errors = 0) =>
  ({
    summary: { accuracy, errors },
    routes: Object.fromEntries(Object.entries(recall).map(([k, v]) => [k, { recall: v }])),
  }) as unknown as RunReport;

describe('gates', () => {
  it('passes and fails min-accuracy, min-recall, max-drop and max-errors with one line each', () => {
    const results = evaluateGates(run(0.8, { billing: 0.75, tech: 1, sales: null }, 2), {
      minAccuracy: 0.9,
      minRecall: { billing: 0.7, tech: 0.95, sales: 0.5 },
      baseline: { file: 'base.json', accuracy: 0.85 },
      maxDrop: 0.02,
      maxErrors: 1,
    });
    expect(results.map((r) => [r.gate, r.passed, r.actual, r.threshold])).toEqual([
      ['min-accuracy', false, 0.8, 0.9],
      ['min-recall:billing', true, 0.75, 0.7],
      ['min-recall:tech', true, 1, 0.95],
      ['min-recall:sales', false, null, 0.5],
      ['max-drop', false, 0.8, 0.83],
      ['max-errors', false, 2, 1],
    ]);
    expect(results.map((r) => r.message)).toEqual([
      'accuracy 80% < minimum 90%',
      'recall of billing 75% ≥ minimum 70%',
      'recall of tech 100% ≥ minimum 95%',
      'recall of sales: no case expects it (minimum 50%)',
      'accuracy 80% vs baseline 85% (base.json): dropped more than the allowed 2%',
      '2 failed attempt(s) > maximum 1',
    ]);
    expect(evaluateGates(run(0.84, {}), { baseline: { file: 'b', accuracy: 0.85 }, maxDrop: 0.01 })[0]!.passed).toBe(true);
    expect(evaluateGates(run(0.84, {}), {})).toEqual([]);
  });

  it('parses ratios, percentages and route specs', () => {
    expect(parseRatio('0.9', '--x')).toBe(0.9);
    expect(parseRatio('90%', '--x')).toBe(0.9);
    expect(() => parseRatio('1.5', '--x')).toThrow(GateSpecError);
    expect(parseRecallSpec('billing=0.9')).toEqual(['billing', 0.9]);
    expect(() => parseRecallSpec('billing')).toThrow('--min-recall expects <route>=<ratio>');
    expect(() => checkRecallRoutes({ minRecall: { biling: 0.9 } }, ['billing', 'tech', 'stay'])).toThrow('`biling` is not a route; did you mean `billing`?');
  });

  it('reads the accuracy of a baseline report', () => {
    expect(readBaseline(JSON.stringify({ version: 1, runs: [{ summary: { accuracy: 0.91 } }] }), 'b.json')).toEqual({ file: 'b.json', accuracy: 0.91, cases: [] });
    expect(() => readBaseline('{}', 'b.json')).toThrow('not a switchboard eval report');
    expect(() => readBaseline('nope', 'b.json')).toThrow('not valid JSON');
  });
});
