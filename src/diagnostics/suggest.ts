/** Did-you-mean: the closest candidate within an edit distance that grows with the word's length. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  return closestMatch(input, candidates).best;
}

/**
 * The did-you-mean and whether it is the only candidate at its distance: only a unique match is safe
 * for `--fix` and the editor's quick fix to apply without asking.
 */
export function closestMatch(input: string, candidates: Iterable<string>): { best?: string; unique: boolean } {
  // A file repeats its slips (the same misspelt key in every agent): each pair is worked out once.
  const list = [...candidates];
  const key = `${input}\u0000${list.join('\u0000')}`;
  let match = matches.get(key);
  if (!match) {
    if (matches.size >= 10_000) matches.clear();
    match = computeClosestMatch(input, list);
    matches.set(key, match);
  }
  return { ...match };
}

const matches = new Map<string, { best?: string; unique: boolean }>();

function computeClosestMatch(input: string, candidates: readonly string[]): { best?: string; unique: boolean } {
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
  // Three rolling rows (the transposition looks two rows back) instead of a full matrix of arrays.
  let before = new Int32Array(b.length + 1);
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** `a`, `b` and `c` — for listing valid names in a hint. Long lists are cut with a count. */
export function listNames(names: readonly string[], max = 12, conjunction: 'and' | 'or' = 'and'): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length > max) return `${quoted.slice(0, max).join(', ')} and ${quoted.length - max} more`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}
