import { describe, expect, it } from 'vitest';
import { contentWords, DEFAULT_SIMILARITY_THRESHOLD, descriptionSimilarity } from '../../src/rules/similar-descriptions.js';

const words = (text: string) => [...contentWords(text)];

describe('descriptionSimilarity', () => {
  it.each([
    // A payments team copying billing's description and reordering it.
    ['Invoices, refunds and unexpected charges on an existing account.', 'Unexpected charges, refunds and invoices for existing customers.'],
    // Two technical specialists (first and second line) described alike.
    ['Troubleshooting dropped or failed calls, call logs and webhook errors.', 'Troubleshooting failed or dropped calls, call logs and webhook delivery errors.'],
    // Billing and accounts-receivable with the same words.
    ['Questions about invoices, billing charges and payments on the account.', 'Questions about payments, invoices and charges on the account.'],
  ])('flags near-duplicates: %s / %s', (a, b) => {
    expect(descriptionSimilarity(a, b)).toBeGreaterThanOrEqual(DEFAULT_SIMILARITY_THRESHOLD);
  });

  it.each([
    // The support desk's own billing, tech and sales descriptions.
    ["Existing customers' invoices, refunds, unexpected charges and subscription plan changes.", 'Troubleshooting dropped or failed calls, call logs, webhook delivery errors and integration faults.'],
    ["Existing customers' invoices, refunds, unexpected charges and subscription plan changes.", 'Prospects wanting price quotes, product demonstrations or brochures before buying.'],
    // A telco's number porting desk and its account security desk.
    ['Porting an existing phone number from another carrier.', 'Resetting passwords, two-factor authentication and locked accounts.'],
    // Related but distinct: they share "refund" and "charge" and still stay well apart.
    ['Refund requests for double charges and cancelled subscriptions.', 'Invoices, refunds and unexpected charges on an existing account.'],
  ])('keeps distinct specialists apart: %s / %s', (a, b) => {
    expect(descriptionSimilarity(a, b)).toBeLessThan(0.3);
  });

  it('is the Jaccard index of the content-word sets: symmetric, 1 for the same words, 0 for nothing', () => {
    const [a, b] = ['Invoices and refunds.', 'Refunds, invoices and plan changes.'];
    // {invoice, refund} vs {refund, invoice, plan, change}: 2 shared of 4.
    expect(descriptionSimilarity(a, b)).toBe(0.5);
    expect(descriptionSimilarity(b, a)).toBe(0.5);
    expect(descriptionSimilarity('Refunds and invoices', 'the invoice, a refund')).toBe(1);
    expect(descriptionSimilarity('', '')).toBe(0);
    expect(descriptionSimilarity('and the of', 'with your')).toBe(0);
  });
});

describe('contentWords', () => {
  it('lower-cases, drops punctuation and stop words', () => {
    expect(words('Invoices, REFUNDS and unexpected charges!')).toEqual(['invoic', 'refund', 'unexpect', 'charg']);
    expect(words('What can you do for me about my order?')).toEqual(['do', 'order']);
  });

  it('drops one-character words and keeps numbers and non-ASCII letters', () => {
    expect(words('Port a 2nd number: 911 or E164')).toEqual(['port', '2nd', 'number', '911', 'e164']);
    expect(words('Rückerstattung für Kunden')).toEqual(['rückerstattung', 'für', 'kunden']);
  });

  it('stems plurals: -s, and -es after s, x, ch and sh, but not -ss', () => {
    expect(words('invoices charges boxes switches addresses wishes')).toEqual(['invoic', 'charg', 'box', 'switch', 'address', 'wish']);
    expect(words('access address')).toEqual(['access', 'address']);
    expect(words('gas bus')).toEqual(['gas', 'bus']);
  });

  it('strips -ing from words longer than five letters only', () => {
    expect(words('billing calling routing')).toEqual(['bill', 'call', 'rout']);
    expect(words('ring thing')).toEqual(['ring', 'thing']);
    expect(descriptionSimilarity('Billing calls', 'Bill call')).toBe(1);
  });

  it('returns a set: repeated words count once', () => {
    expect(words('Calls, calls and more calls')).toEqual(['call', 'mor']);
  });

  it('lets the forms of one word meet: price, prices, pricing, priced; companies and company', () => {
    expect(words('price prices pricing priced')).toEqual(['pric']);
    expect(words('quote quotes quoting')).toEqual(['quot']);
    expect(words('companies company')).toEqual(['company']);
    expect(words('status analysis')).toEqual(['status', 'analysis']);
  });
});
