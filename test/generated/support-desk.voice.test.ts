import { beforeEach, describe, expect, it } from 'vitest';
import type { RealtimeSession } from '@openai/agents/realtime';
import { ScriptedRealtimeTransport } from '@openai/agents/realtime/testing';
import { agents } from '../../generated/support-desk/agents.js';
import {
  createSupportDeskVoiceSession,
  entryVoiceAgent,
  voiceAgents,
  voiceModel,
  voiceSessionConfig,
} from '../../generated/support-desk/voice.js';
import { handoffLog } from '../../topologies/support-desk/hooks.js';

/**
 * The generated voice wiring driven through the SDK's real RealtimeSession over its own scripted
 * transport (`@openai/agents/realtime/testing`): the test plays the Realtime API's side (turns and
 * function calls) and checks what the session sends back. No network, no key.
 */

type Session = RealtimeSession<unknown>;
type SessionConfig = { instructions?: string; tools?: { name: string }[]; audio?: unknown; model?: string };

let responses = 0;
/** The model starts a response and, within it, calls a function (a tool or a transfer). */
function modelCalls(transport: ScriptedRealtimeTransport, name: string, args: Record<string, unknown>) {
  const responseId = `resp_${++responses}`;
  transport.emit('turn_started', { type: 'response_started', providerData: { response: { id: responseId } } } as never);
  transport.emit('function_call', { type: 'function_call', name, callId: `call_${responses}`, arguments: JSON.stringify(args), responseId });
}

const toolNames = (config: SessionConfig | undefined) => (config?.tools ?? []).map((t) => t.name);

async function connected(): Promise<{ session: Session; transport: ScriptedRealtimeTransport; initial: SessionConfig }> {
  const transport = new ScriptedRealtimeTransport();
  const session = createSupportDeskVoiceSession({ transport, tracingDisabled: true });
  const connect = transport.expectCall('connect');
  await session.connect({ apiKey: 'test-key-not-used' });
  const call = await connect;
  return { session, transport, initial: call.options.initialSessionConfig as SessionConfig };
}

beforeEach(() => {
  handoffLog.length = 0;
});

describe('support desk as a voice session', () => {
  it('has one voice agent per agent, reusing the text tools, without text-only settings', () => {
    expect(Object.keys(voiceAgents)).toEqual(Object.keys(agents));
    expect(entryVoiceAgent.name).toBe('Triage Agent');
    // The very tool objects of agents.ts: one implementation, one schema, one approval policy.
    expect(voiceAgents.billing.tools).toEqual(agents.billing.tools);
    expect(voiceAgents.billing.instructions).toBe(agents.billing.instructions);
    // RealtimeAgent has no model of its own: the session has one (triage's gpt-4o-mini is text only).
    expect(agents.triage.model).toBe('gpt-4o-mini');
    expect(voiceModel).toBe('gpt-realtime');
    expect(voiceSessionConfig).toMatchObject({ audio: { input: { format: { type: 'audio/pcmu' } }, output: { voice: 'marin' } } });
  });

  it('connects with the entry agent, the session model and the YAML session settings', async () => {
    const { session, transport, initial } = await connected();
    expect(initial.instructions).toBe(agents.triage.instructions);
    expect(initial.model).toBe('gpt-realtime');
    expect(toolNames(initial)).toEqual(['transfer_to_BillingAgent', 'transfer_to_TechSupportAgent', 'transfer_to_SalesAgent']);
    expect(initial.audio).toMatchObject({ input: { transcription: { model: 'gpt-4o-transcribe' } }, output: { voice: 'marin', format: { type: 'audio/pcmu' } } });
    const close = transport.expectCall('close');
    session.close();
    await close;
    transport.assertComplete();
  });

  it('hands off, runs a typed tool, pauses for approval and resumes, and hands back to the entry', async () => {
    const { session, transport } = await connected();
    const handoffs: string[] = [];
    session.on('agent_handoff', (_context, from, to) => handoffs.push(`${from.name} → ${to.name}`));

    // 1. Triage transfers to billing: the session is updated to billing's instructions and tools.
    let update = transport.expectCall('updateSessionConfig');
    let output = transport.expectCall('sendFunctionCallOutput');
    modelCalls(transport, 'transfer_to_BillingAgent', { reason: 'Caller asks about invoice INV-1042.' });
    const toBilling = (await update).config as SessionConfig;
    expect(toBilling.instructions).toBe(agents.billing.instructions);
    expect(toolNames(toBilling)).toEqual(['lookup_invoice', 'issue_refund', 'change_plan', 'escalate_to_human', 'transfer_to_Triage_Agent']);
    expect((await output).startResponse).toBe(true);
    expect(session.currentAgent).toBe(voiceAgents.billing);
    // The edge's onHandoff hook received the parsed, typed input.
    expect(handoffLog).toEqual([{ reason: 'Caller asks about invoice INV-1042.' }]);

    // 2. Billing looks the invoice up: the user's implementation runs on the parsed arguments.
    output = transport.expectCall('sendFunctionCallOutput');
    modelCalls(transport, 'lookup_invoice', { invoiceId: 'INV-1042' });
    const lookup = await output;
    expect(JSON.parse(lookup.output)).toMatchObject({ invoiceId: 'INV-1042', amount: 249, currency: 'USD', refundable: 249 });

    // 3. A refund needs approval: the call pauses (nothing is sent) until an operator approves.
    const approval = new Promise<Parameters<Session['approve']>[0]>((resolve) =>
      session.once('tool_approval_requested', (_context, _agent, request) => resolve(request.approvalItem as never)),
    );
    modelCalls(transport, 'issue_refund', { invoiceId: 'INV-1042', amount: 49.99, currency: 'USD', reason: 'Double charge.' });
    const pending = await approval;
    expect(pending.name).toBe('issue_refund');
    expect(transport.calls.at(-1)?.method).toBe('sendFunctionCallOutput'); // still the lookup's output
    output = transport.expectCall('sendFunctionCallOutput');
    await session.approve(pending);
    expect((await output).output).toBe(
      'Refund RF-1042-4999 of 49.99 USD on invoice INV-1042 submitted. It reaches the original payment method in 5 to 10 business days.',
    );

    // 4. Billing hands back: the session returns to triage's instructions and transfers.
    update = transport.expectCall('updateSessionConfig');
    output = transport.expectCall('sendFunctionCallOutput');
    modelCalls(transport, 'transfer_to_Triage_Agent', {});
    const back = (await update).config as SessionConfig;
    expect(back.instructions).toBe(agents.triage.instructions);
    expect(toolNames(back)).toEqual(['transfer_to_BillingAgent', 'transfer_to_TechSupportAgent', 'transfer_to_SalesAgent']);
    await output;
    expect(session.currentAgent).toBe(entryVoiceAgent);
    expect(handoffs).toEqual(['Triage Agent → BillingAgent', 'BillingAgent → Triage Agent']);
    // The session voice and formats survive every update (the voice cannot change mid-call).
    expect(back.audio).toMatchObject({ output: { voice: 'marin' } });

    const close = transport.expectCall('close');
    session.close();
    await close;
    transport.assertComplete();
  });

  it('a rejected approval tells the model instead of running the tool', async () => {
    const { session, transport } = await connected();
    void transport.expectCall('updateSessionConfig');
    let output = transport.expectCall('sendFunctionCallOutput');
    modelCalls(transport, 'transfer_to_BillingAgent', { reason: 'Refund request.' });
    await output;
    const approval = new Promise<Parameters<Session['reject']>[0]>((resolve) =>
      session.once('tool_approval_requested', (_context, _agent, request) => resolve(request.approvalItem as never)),
    );
    modelCalls(transport, 'issue_refund', { invoiceId: 'INV-1042', amount: 10, currency: 'USD', reason: 'Goodwill.' });
    const pending = await approval;
    output = transport.expectCall('sendFunctionCallOutput');
    await session.reject(pending);
    expect((await output).output).toBe('Tool execution was not approved.');
    const close = transport.expectCall('close');
    session.close();
    await close;
  });
});
