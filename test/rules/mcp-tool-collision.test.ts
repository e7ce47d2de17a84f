import { describe, expect, it } from 'vitest';
import { validateSource } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';

// tool-name-collision with MCP tools whose names are known statically (allowedTools).
const yaml = `version: 1
name: mcp-collision
entry: triage
mcpServers:
  helpdesk:
    type: stdio
    command: node
    allowedTools: [lookup_invoice, transfer_to_Triage_Agent, fetch_call_log]
    blockedTools: [fetch_call_log]
agents:
  triage:
    name: Triage Agent
    instructions: Route.
  billing:
    handoffDescription: Invoices.
    instructions: Help.
    tools: [lookup_invoice]
    mcpServers: [helpdesk]
tools:
  lookup_invoice:
    description: Look up an invoice.
    implementation: ../shared-tools.ts#lookupInvoice
  fetch_call_log:
    description: Fetch a call log.
    implementation: ../shared-tools.ts#fetchCallLog
handoffs:
  - from: triage
    to: billing
  - from: billing
    to: triage
    handback: true
`;

describe('tool-name-collision with MCP tools', () => {
  it('reports allowed MCP tools that clash with a local tool or a handoff, not blocked ones', () => {
    const result = validateSource(yaml, fromRoot('test/fixtures/rules/mcp-collision.yaml'));
    const found = result.diagnostics.filter((d) => d.ruleId === 'tool-name-collision').map((d) => `${d.range!.start.line}:${d.range!.start.column} ${d.message}`);
    expect(found).toEqual([
      '8:20 agent `billing` would see two tools named `lookup_invoice`: tool `lookup_invoice` and tool `lookup_invoice` of MCP server `helpdesk`',
      '30:9 agent `billing` would see two tools named `transfer_to_Triage_Agent`: tool `transfer_to_Triage_Agent` of MCP server `helpdesk` and the handoff to `triage`',
    ]);
  });
});
