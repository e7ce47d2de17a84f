import type { Topology } from '../../../src/model/types.js';
import { validateSource, type ValidationResult } from '../../../src/validate.js';
import { fromRoot } from '../../helpers/paths.js';

/** Validate YAML text as if it were a file in this folder (so `../../../topologies/…` references resolve). */
export function validateInline(yaml: string): ValidationResult & { readonly topology: Topology } {
  const result = validateSource(yaml, fromRoot('test/emit/mermaid/inline.yaml'), { displayPath: 'test/emit/mermaid/inline.yaml' });
  if (!result.topology) throw new Error(`no topology: ${JSON.stringify(result.diagnostics)}`);
  return { ...result, topology: result.topology };
}

/** A small valid star with every edge feature: named and inline input, named and inline filter, hook, escalation. */
export const SMALL_STAR = `version: 1
name: small-star
description: A hub and two spokes.
entry: hub
agents:
  hub:
    name: Hub
  billing:
    handoffDescription: Invoices and refunds.
    tools: [lookup_invoice, refund, escalate]
  tech-support:
    name: Tech Support
    handoffDescription: Technical faults.
    tools: [escalate]
tools:
  lookup_invoice:
    description: Look up an invoice.
    parameters: { type: object, properties: { id: { type: string } }, required: [id], additionalProperties: false }
    implementation: ../../../topologies/support-desk/billing.ts#lookupInvoice
  refund:
    description: Refund an invoice.
    needsApproval: true
    parameters: { type: object, properties: { id: { type: string } }, required: [id], additionalProperties: false }
    implementation: ../../../topologies/support-desk/billing.ts#issueRefund
  escalate:
    kind: human-escalation
    description: Ask a human.
    parameters: { type: object, properties: { why: { type: string } }, required: [why], additionalProperties: false }
    implementation: ../../../topologies/support-desk/human.ts#escalateToHuman
schemas:
  Reason:
    type: object
    properties: { reason: { type: string } }
    required: [reason]
    additionalProperties: false
filters:
  clean: [removeAllTools]
handoffs:
  - from: hub
    to: billing
    input: Reason
    filter: clean
    onHandoff: ../../../topologies/support-desk/hooks.ts#logHandoff
  - from: hub
    to: tech-support
    input: { type: object, properties: { fault: { type: string } }, required: [fault], additionalProperties: false }
  - from: [billing, tech-support]
    to: hub
    handback: true
    filter: [removeReasoning, { keepLast: 4 }]
`;
