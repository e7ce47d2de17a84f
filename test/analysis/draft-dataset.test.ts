import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { draftDataset, redactObvious } from '../../src/analysis/draft-dataset.js';
import type { Conversation } from '../../src/analysis/traffic.js';

const conversation = (route: string, input?: string) => ({ route, ...(input !== undefined ? { input } : {}) }) as unknown as Conversation;

describe('redactObvious', () => {
  it('replaces emails and phone numbers, and leaves ids, dates and amounts alone', () => {
    expect(redactObvious('Mail jane.doe+x@example.co.uk or call +44 20 7946 0958, (415) 555-0123 or +14155550123.')).toBe('Mail [email] or call [phone], [phone] or [phone].');
    expect(redactObvious('INV-1042, CALL-7Q2XK9, ACC-20417, 2026-11-20, 1,200 minutes, 480 dollars')).toBe('INV-1042, CALL-7Q2XK9, ACC-20417, 2026-11-20, 1,200 minutes, 480 dollars');
  });
});

describe('draftDataset', () => {
  it('deduplicates, spreads the sample over the traces and runs the hook after the built-in redaction', async () => {
    const conversations = [
      ...Array.from({ length: 10 }, (_, i) => conversation('billing', `Invoice question number ${i}`)),
      conversation('billing', 'invoice  QUESTION number 0'),
      conversation('stay', 'Hello?'),
      conversation('stay'),
    ];
    const seen: string[] = [];
    const draft = await draftDataset(conversations, { topology: 'support-desk', source: 'traces.jsonl', perRoute: 3, redact: (text, { route }) => (seen.push(route), text.toUpperCase()) });
    expect(draft).toMatchObject({ cases: 4, duplicates: 1, withoutInput: 1 });
    const data = parse(draft.text);
    expect(data.cases).toEqual([
      { id: 'traffic-billing-1', input: 'INVOICE QUESTION NUMBER 0', expect: 'billing', tags: ['from-traffic'] },
      { id: 'traffic-billing-2', input: 'INVOICE QUESTION NUMBER 3', expect: 'billing', tags: ['from-traffic'] },
      { id: 'traffic-billing-3', input: 'INVOICE QUESTION NUMBER 6', expect: 'billing', tags: ['from-traffic'] },
      { id: 'traffic-stay-1', input: 'HELLO?', expect: 'stay', tags: ['from-traffic'] },
    ]);
    expect(seen).toHaveLength(12);
  });
});
