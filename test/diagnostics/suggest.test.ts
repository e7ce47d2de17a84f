import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, levenshtein, listNames } from '../../src/diagnostics/suggest.js';

/** The textbook optimal-string-alignment distance, a full matrix: what the rolling rows must equal. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('suggest', () => {
  it('computes the optimal string alignment distance', () => {
    expect(levenshtein('modle', 'model')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 2000; n++) {
      const word = () => Array.from({ length: Math.floor(next() * 8) }, () => 'abcd'[Math.floor(next() * 4)]).join('');
      const [a, b] = [word(), word()];
      expect(levenshtein(a, b), `${a} ${b}`).toBe(reference(a, b));
    }
  });

  it('suggests the closest name, says whether it is the only one, and gives the same answer when asked again', () => {
    const keys = ['model', 'instructions', 'tools', 'name'];
    expect(closestMatch('modle', keys)).toEqual({ best: 'model', unique: true });
    const first = closestMatch('tool', ['tools', 'pool']);
    expect(first).toEqual({ best: 'pool', unique: false });
    first.best = 'changed by a caller';
    expect(closestMatch('tool', ['tools', 'pool'])).toEqual({ best: 'pool', unique: false });
    expect(didYouMean('zzzzzz', keys)).toBeUndefined();
    expect(didYouMean('Tech_Support', new Set(['tech-support']))).toBe('tech-support');
    expect(listNames(['a', 'b', 'c'], 12, 'or')).toBe('`a`, `b` or `c`');
  });
});
