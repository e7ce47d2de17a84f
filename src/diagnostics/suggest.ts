/** Did-you-mean: the closest candidate within an edit distance that grows with the word's length. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  return closestMatch(input, candidates).best;
}

/**
 * The did-you-mean and whether it is the only candidate at its distance: only a unique match is safe
 * for `--fix` and the editor's quick fix to apply without asking.
 */
export function closestMatch(input: string, candidates: Iterable<string>): { best?: string; unique: boolean } {
  const lowered = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  let ties = 0;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    // Case and separator differences (`Billing`, `tech_support` vs `tech-support`) are the commonest slips.
    const distance =
      normalise(candidate) === normalise(input)
        ? 0.5
        : input.length >= 3 && candidate.toLowerCase().startsWith(lowered)
          ? 1 // an abbreviation: `warn` for `warning`
          : levenshtein(lowered, candidate.toLowerCase());
    if (distance < bestDistance) ties = 0;
    else if (distance === bestDistance && candidate !== best) ties++;
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(input.length / 3));
  return bestDistance <= allowed && best !== undefined ? { best, unique: ties === 0 } : { unique: false };
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '');
}

/** Edit distance counting an adjacent transposition (`modle` → `model`) as one edit (optimal string alignment). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** `a`, `b` and `c` — for listing valid names in a hint. Long lists are cut with a count. */
export function listNames(names: readonly string[], max = 12, conjunction: 'and' | 'or' = 'and'): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length > max) return `${quoted.slice(0, max).join(', ')} and ${quoted.length - max} more`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}
