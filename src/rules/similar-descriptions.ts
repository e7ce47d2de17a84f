import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';

export const DEFAULT_SIMILARITY_THRESHOLD = 0.6;

const STOP_WORDS = new Set(
  'a an and any are as at be by can for from has have how i if in into is it its like me my of on or our so such that the their them they this to us was we what when where which who why will with you your other others about all also'.split(' '),
);

/** Content words, lower-cased, with a light plural/verb-ending stem so "invoices" matches "invoice". */
export function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => !STOP_WORDS.has(w) && w.length > 1).map(stem));
}

/** A light stemmer: plural, -ing and -ed endings, then a final e, so price/prices/pricing/priced meet. */
function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && /(s|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  return w.length > 3 && w.endsWith('e') ? w.slice(0, -1) : w;
}

/** Jaccard similarity of two descriptions' content-word sets: |A ∩ B| / |A ∪ B|. */
export function descriptionSimilarity(a: string, b: string): number {
  const left = contentWords(a);
  const right = contentWords(b);
  const union = new Set([...left, ...right]).size;
  if (union === 0) return 0;
  let shared = 0;
  for (const w of left) if (right.has(w)) shared++;
  return shared / union;
}

export default defineRule({
  id: 'similar-descriptions',
  defaultSeverity: 'warning',
  description: 'Handoff descriptions of the entry agent\'s targets are not near-duplicates.',
  docs: 'The router picks a specialist by its handoff description. When two descriptions share most of their content words, routing between those specialists becomes a coin toss. The measure is the Jaccard similarity of the two descriptions\' content-word sets (lower-cased, stop words removed, plural, -ing and -ed endings stemmed); pairs at or above `rules.similar-descriptions.threshold` (default 0.6) are reported. Say what is different about each specialist.',
  check({ topology, options, report }) {
    const threshold = typeof options.threshold === 'number' ? options.threshold : DEFAULT_SIMILARITY_THRESHOLD;
    const { agents, outgoing } = indexOf(topology);
    const described: { id: string; text: string; pointer: string }[] = [];
    for (const edge of outgoing.get(topology.entry.value) ?? []) {
      const target = agents.get(edge.to.value);
      const description = edge.description ?? target?.handoffDescription;
      if (target && description && !described.some((d) => d.id === target.id)) described.push({ id: target.id, text: description.value, pointer: description.pointer });
    }
    // Each specialist is reported once, against the first earlier one it resembles: n findings at
    // most, not n²/2, when many share one description.
    for (let j = 1; j < described.length; j++) {
      for (let i = 0; i < j; i++) {
        const [a, b] = [described[i]!, described[j]!];
        const similarity = descriptionSimilarity(a.text, b.text);
        if (similarity < threshold) continue;
        report({
          pointer: b.pointer,
          message: `handoff descriptions of \`${a.id}\` and \`${b.id}\` are ${Math.round(similarity * 100)}% alike; routing may confuse them`,
          hint: 'say what is distinct about each specialist',
          related: [{ pointer: a.pointer, message: `description of \`${a.id}\`` }],
        });
        break;
      }
    }
  },
});
