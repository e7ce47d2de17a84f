/** A short, word-level summary of how a text changed: counts plus the first inserted and deleted runs. */
export interface WordDiffSummary {
  readonly added: number;
  readonly removed: number;
  readonly firstAdded?: string;
  readonly firstRemoved?: string;
}

const MAX_WORDS_FOR_LCS = 4000;

export function summariseWordDiff(before: string, after: string): WordDiffSummary {
  const a = before.split(/\s+/).filter(Boolean);
  const b = after.split(/\s+/).filter(Boolean);
  const ops = a.length * b.length <= MAX_WORDS_FOR_LCS * MAX_WORDS_FOR_LCS / 4 ? lcsOps(a, b) : bagOps(a, b);
  let added = 0;
  let removed = 0;
  const runs: Record<'+' | '-', string[][]> = { '+': [], '-': [] };
  let last: '+' | '-' | '=' | undefined;
  for (const [op, word] of ops) {
    if (op === '+') added++;
    if (op === '-') removed++;
    if (op !== '=') {
      if (op !== last) runs[op].push([]);
      runs[op][runs[op].length - 1]!.push(word);
    }
    last = op;
  }
  const clip = (words: string[] | undefined) => {
    if (!words) return undefined;
    const text = words.join(' ');
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  const firstAdded = clip(runs['+'][0]);
  const firstRemoved = clip(runs['-'][0]);
  return { added, removed, ...(firstAdded ? { firstAdded } : {}), ...(firstRemoved ? { firstRemoved } : {}) };
}

/** Longest-common-subsequence edit script over words. */
function lcsOps(a: string[], b: string[]): ['+' | '-' | '=', string][] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const ops: ['+' | '-' | '=', string][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push(['=', a[i]!]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) ops.push(['-', a[i++]!]);
    else ops.push(['+', b[j++]!]);
  }
  while (i < n) ops.push(['-', a[i++]!]);
  while (j < m) ops.push(['+', b[j++]!]);
  return ops;
}

/** For very long prompts: a multiset difference, cheap and still honest about the counts. */
function bagOps(a: string[], b: string[]): ['+' | '-' | '=', string][] {
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  const ops: ['+' | '-' | '=', string][] = [];
  for (const w of b) {
    const c = counts.get(w) ?? 0;
    if (c > 0) counts.set(w, c - 1);
    else ops.push(['+', w]);
  }
  for (const [w, c] of counts) for (let k = 0; k < c; k++) ops.push(['-', w]);
  return ops;
}
