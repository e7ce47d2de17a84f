import { describe, expect, it } from 'vitest';
import { validateSource } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';

/** Wording of the file-reference finding for a module of the wrong kind (once joined with "and"). */
const PATH = fromRoot('test/fixtures/rules/inline.yaml');

const topology = (implementation: string) => `version: 1
name: voice-support
entry: triage
agents:
  triage:
    instructions: Greet the caller and hand off.
  billing:
    handoffDescription: Invoices, refunds and unexpected charges on an existing account.
    instructions: Resolve the caller's billing question.
    tools: [lookup_invoice]
tools:
  lookup_invoice:
    description: Look up one invoice by id.
    parameters: { type: object, properties: { invoiceId: { type: string } }, required: [invoiceId], additionalProperties: false }
    implementation: ${implementation}
handoffs:
  - from: triage
    to: billing
  - from: billing
    to: triage
    handback: true
`;

const messages = (text: string) => validateSource(text, PATH).diagnostics.map((d) => `${d.ruleId} ${d.message}`);

describe('file-reference: module kinds', () => {
  it('the clean topology these tests start from has no findings', () => {
    expect(messages(topology('./shared-tools.ts#lookupInvoice'))).toEqual([]);
  });

  it('file-reference: a module of the wrong kind must be one of the extensions, joined with "or"', () => {
    expect(messages(topology('./file-reference/tech-prompt.md#lookupInvoice'))).toEqual([
      'file-reference module `./file-reference/tech-prompt.md` must be a `.ts`, `.mts`, `.js` or `.mjs` file',
    ]);
  });
});
