import { beforeEach, describe, expect, it } from 'vitest';
import { tool } from '@openai/agents';
import { runSupportDesk, agents, entryAgent } from '../../generated/support-desk/index.js';
import { handoffLog } from '../../topologies/support-desk/hooks.js';
import { escalations } from '../../topologies/support-desk/human.js';
import { call, inputTypes, offeredTools, say, ScriptedModelProvider } from '../helpers/scripted-model.js';

// The generated wiring, driven offline through the SDK's model-provider interface: no network, no key.
const run = (input: Parameters<typeof runSupportDesk>[0], modelProvider: ScriptedModelProvider) =>
  runSupportDesk(input, { modelProvider, tracingDisabled: true });

beforeEach(() => {
  handoffLog.length = 0;
  escalations.length = 0;
});

describe('generated support desk', () => {
  it('exposes the entry agent and every agent by id', () => {
    expect(entryAgent.name).toBe('Triage Agent');
    expect(Object.keys(agents)).toEqual(['triage', 'billing', 'tech', 'sales']);
    expect(agents.billing.handoffDescription).toMatch(/invoice/i);
  });

  it('routes triage → billing with a typed reason, runs a tool, hands back, and routes again to tech', async () => {
    const provider = new ScriptedModelProvider([
      (request) => {
        expect(request.systemInstructions).toMatch(/Do not answer billing/i);
        expect(offeredTools(request)).toEqual(['transfer_to_BillingAgent', 'transfer_to_TechSupportAgent', 'transfer_to_SalesAgent']);
        return [call('transfer_to_BillingAgent', { reason: 'Caller asks about invoice INV-1042.' })];
      },
      (request) => {
        // removeAllTools: billing sees the conversation but no tool calls or handoff items.
        expect(inputTypes(request)).toEqual(['message']);
        expect(offeredTools(request)).toContain('lookup_invoice');
        return [call('lookup_invoice', { invoiceId: 'INV-1042' })];
      },
      (request) => {
        const output = JSON.stringify(request.input);
        expect(output).toContain('INV-1042');
        // Triage has no handoffDescription: the hand-back tool still says when to use it.
        const handBack = request.handoffs.find((h) => h.toolName === 'transfer_to_Triage_Agent');
        expect(handBack?.toolDescription).toBe(
          "Handoff to the Triage Agent agent to handle the request. Hand the conversation back to Triage Agent (it routes each request to the right agent) when the request is outside your scope as BillingAgent (Existing customers' invoices, refunds, unexpected charges and subscription plan changes), or when you have finished with it.",
        );
        return [call('transfer_to_Triage_Agent', {})];
      },
      (request) => {
        // The hand-back edge has no filter, so triage sees the full history, tool calls included.
        expect(inputTypes(request)).toContain('function_call');
        expect(inputTypes(request)).toContain('function_call_result');
        return [call('transfer_to_TechSupportAgent', { reason: 'Caller now reports failing webhooks.' })];
      },
      (request) => {
        expect(inputTypes(request)).not.toContain('function_call');
        return [say('Let me check your webhook deliveries.')];
      },
    ]);

    const result = await run('Why is invoice INV-1042 so high? Also my webhooks fail.', provider);

    expect(handoffLog).toEqual([{ reason: 'Caller asks about invoice INV-1042.' }, { reason: 'Caller now reports failing webhooks.' }]);
    expect(result.finalOutput).toBe('Let me check your webhook deliveries.');
    expect(result.lastAgent?.name).toBe('TechSupportAgent');
    expect(provider.remaining).toBe(0);
    expect(provider.requests.map((r) => r.model)).toEqual(['gpt-4o-mini', 'gpt-4o', 'gpt-4o', 'gpt-4o-mini', 'gpt-4o']);
  });

  it('lets a specialist escalate to a human through the escape-hatch tool', async () => {
    const provider = new ScriptedModelProvider([
      () => [call('transfer_to_TechSupportAgent', { reason: 'Calls drop after 30 seconds.' })],
      () => [call('escalate_to_human', { reason: 'Outage suspected', urgency: 'high', summary: 'Calls drop at 30s for all users.', callbackNumber: null })],
      (request) => {
        expect(JSON.stringify(request.input)).toMatch(/ESC-|human|operator/i);
        return [say('A human operator will take it from here.')];
      },
    ]);
    const result = await run('All our calls drop after 30 seconds!', provider);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ urgency: 'high', callbackNumber: null });
    expect(result.lastAgent?.name).toBe('TechSupportAgent');
  });

  it('pauses issue_refund for approval and resumes the run once approved', async () => {
    const provider = new ScriptedModelProvider([
      () => [call('transfer_to_BillingAgent', { reason: 'Refund request.' })],
      () => [call('issue_refund', { invoiceId: 'INV-1042', amount: 20, currency: 'USD', reason: 'Double charge' })],
      (request) => {
        expect(JSON.stringify(request.input)).toMatch(/refund/i);
        return [say('Your refund of $20 is on its way.')];
      },
    ]);
    const paused = await run('Please refund the double charge on INV-1042.', provider);
    expect(paused.interruptions).toHaveLength(1);
    expect(paused.interruptions[0]?.name).toBe('issue_refund');
    paused.state.approve(paused.interruptions[0]!);
    const resumed = await run(paused.state, provider);
    expect(resumed.finalOutput).toBe('Your refund of $20 is on its way.');
    expect(provider.remaining).toBe(0);
  });

  it('refuses to run when a tool and a handoff share a name (the run helper sets toolNameCollisionPolicy: error)', async () => {
    const provider = new ScriptedModelProvider([() => [say('never reached')]]);
    const clash = tool({ name: 'transfer_to_BillingAgent', description: 'Shadows the billing handoff.', parameters: { type: 'object', properties: {}, required: [], additionalProperties: false }, execute: () => 'x' });
    entryAgent.tools.push(clash);
    try {
      await expect(run('Hello', provider)).rejects.toThrow(/Duplicate enabled (function )?tool/);
      expect(provider.requests).toEqual([]);
    } finally {
      entryAgent.tools.splice(entryAgent.tools.indexOf(clash), 1);
    }
  });
});
