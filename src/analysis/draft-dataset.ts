/**
 * A draft routing dataset from real traffic: caller inputs sampled per route, deduplicated, redacted,
 * in the format of `evals/*.routing.yaml` (docs/eval.md). The label is what the entry did, not what it
 * should have done: a person reviews every case before the file is used as ground truth.
 */
import { yamlLibrary } from '../source/yaml-library.js';
import type { Conversation } from './traffic.js';

export type Redactor = (text: string, context: { readonly route: string }) => string | Promise<string>;

export const DEFAULT_PER_ROUTE = 20;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// International (+44 20 7946 0958) and North American ((415) 555-0123, 415-555-0123) shapes: seven or
// more digits with the usual separators. Ids such as INV-1042 or CALL-7Q2XK9 are too short or lettered.
const PHONE = /(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\w-])|\+\d{7,15}(?!\w)/g;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The built-in redaction: obvious email addresses and phone numbers become `[email]` and `[phone]`. */
export function redactObvious(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, (match) => (match.replace(/\D/g, '').length >= 7 && !ISO_DATE.test(match) ? '[phone]' : match));
}

export interface DraftOptions {
  readonly topology: string;
  readonly perRoute?: number;
  /** A user hook run after the built-in redaction. */
  readonly redact?: Redactor;
  readonly source: string;
}

export interface DraftResult {
  readonly text: string;
  readonly cases: number;
  /** Conversations without a recorded caller input (the processor's `captureInput` was off). */
  readonly withoutInput: number;
  readonly duplicates: number;
}

export async function draftDataset(conversations: readonly Conversation[], options: DraftOptions): Promise<DraftResult> {
  const perRoute = options.perRoute ?? DEFAULT_PER_ROUTE;
  // Every distinct redacted input per route, in trace order; then an evenly spread sample of each.
  const seen = new Set<string>();
  const candidates = new Map<string, string[]>();
  let withoutInput = 0;
  let duplicates = 0;
  for (const conversation of conversations) {
    if (conversation.input === undefined || conversation.input.trim() === '') {
      withoutInput++;
      continue;
    }
    const route = conversation.route;
    let input = redactObvious(conversation.input.trim());
    if (options.redact) input = String(await options.redact(input, { route }));
    const key = `${route}\u0000${input.toLowerCase().replace(/\s+/g, ' ')}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const list = candidates.get(route);
    if (list) list.push(input);
    else candidates.set(route, [input]);
  }
  const cases: { id: string; input: string; expect: string; tags: string[] }[] = [];
  for (const [route, inputs] of candidates) {
    const picked = inputs.length <= perRoute ? inputs : Array.from({ length: perRoute }, (_, i) => inputs[Math.floor((i * inputs.length) / perRoute)]!);
    picked.forEach((input, i) => cases.push({ id: `traffic-${route}-${i + 1}`, input, expect: route, tags: ['from-traffic'] }));
  }
  const header = [
    `# Draft routing dataset for ${options.topology}, sampled from traces (${options.source}) by switchboard traffic --to-dataset.`,
    '# `expect` is where the entry agent routed each caller, not necessarily where it should have: review every',
    '# label (and the redaction) before using this file as ground truth. Format: docs/eval.md.',
  ];
  const body = yamlLibrary().stringify({ version: 1, topology: options.topology, description: `Caller inputs sampled from traffic, up to ${perRoute} per route (draft).`, cases }, { lineWidth: 0 });
  return { text: `${header.join('\n')}\n${body}`, cases: cases.length, withoutInput, duplicates };
}
