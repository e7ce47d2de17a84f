import { beforeEach, describe, expect, it } from 'vitest';
import { ScriptedRealtimeTransport } from '@openai/agents/realtime/testing';
import { createVoiceTourVoiceSession, voiceAgents, voiceOutputGuardrails } from '../fixtures/compile/voice/generated/voice-tour/voice.js';
import { agents } from '../fixtures/compile/voice/generated/voice-tour/agents.js';
import { calls } from '../fixtures/compile/voice/impl.js';

// The voice-tour fixture's voice.ts through the real RealtimeSession: a text-only agent behind a
// delegation tool, a predicate-gated handoff with a typed input, and a session output guardrail.

type SessionConfig = { instructions?: string; tools?: { name: string }[]; audio?: unknown };

async function connected() {
  const transport = new ScriptedRealtimeTransport();
  const session = createVoiceTourVoiceSession({ transport, tracingDisabled: true });
  const connect = transport.expectCall('connect');
  await session.connect({ apiKey: 'test-key-not-used' });
  return { session, transport, initial: (await connect).options.initialSessionConfig as SessionConfig };
}

const toolNamesOf = (config: SessionConfig) => (config.tools ?? []).map((t) => t.name);

function startResponse(transport: ScriptedRealtimeTransport, responseId: string) {
  transport.emit('turn_started', { type: 'response_started', providerData: { response: { id: responseId } } } as never);
}

beforeEach(() => {
  calls.length = 0;
});

describe('voice-tour as a voice session', () => {
  it('leaves the text-only agent out and offers it to the entry as a tool', async () => {
    expect(Object.keys(voiceAgents)).toEqual(['front_desk', 'orders']);
    const { session, initial } = await connected();
    expect((initial.tools ?? []).map((t) => t.name)).toEqual(['Records', 'transfer_to_orders']);
    // Prefix, fragment, then the dynamic instructions, built with the voice agent.
    expect(initial.instructions).toMatch(/^# System context[\s\S]*This is a phone call; keep sentences short\.\n\nYou are Front Desk\. Route the caller/);
    expect(initial.audio).toMatchObject({ input: { format: { type: 'audio/pcm', rate: 24000 }, turnDetection: { type: 'server_vad', threshold: 0.6 } }, output: { voice: 'cedar' } });
    expect(agents.records.outputType).toMatchObject({ type: 'json_schema' });
    session.close();
  });

  it('hands off through the enabled predicate with the typed input the hook receives', async () => {
    const { session, transport } = await connected();
    const update = transport.expectCall('updateSessionConfig');
    const output = transport.expectCall('sendFunctionCallOutput');
    startResponse(transport, 'resp_1');
    transport.emit('function_call', { type: 'function_call', name: 'transfer_to_orders', callId: 'call_1', arguments: JSON.stringify({ summary: 'Wants to cancel order 77.' }), responseId: 'resp_1' });
    expect(((await update).config as SessionConfig).instructions).toContain('Check or cancel the caller');
    await output;
    expect(calls).toEqual([{ tool: 'onHandoff', args: { summary: 'Wants to cancel order 77.' } }]);
    expect(session.currentAgent).toBe(voiceAgents.orders);
    // A voice specialist reaches the text-only agent as a tool (delegation), next to its own tools.
    expect(toolNamesOf((await update).config as SessionConfig)).toEqual(['check_order', 'cancel_order', 'Records', 'transfer_to_Front_Desk']);
    session.close();
  });

  it('runs the session output guardrail on the spoken transcript: it interrupts and corrects the model', async () => {
    expect(voiceOutputGuardrails.map((g) => g.name)).toEqual(['no_card_numbers']);
    const { session, transport } = await connected();
    const tripped = new Promise<string>((resolve) => session.once('guardrail_tripped', (_context, agent) => resolve(agent.name)));
    const interrupt = transport.expectCall('interrupt');
    const correction = transport.expectCall('sendMessage');
    startResponse(transport, 'resp_1');
    // 80 characters of transcript (guardrailDebounceTextLength) run the guardrail while the agent speaks.
    const said = 'Sure, the card on file is 4242 4242 4242 4242 and it expires next year, thank you.';
    transport.emit('audio_transcript_delta', { type: 'transcript_delta', delta: said, itemId: 'item_1', responseId: 'resp_1' } as never);
    expect(await tripped).toBe('Front Desk');
    await interrupt;
    expect(JSON.stringify((await correction).message)).toContain('Never read out card numbers.');
    session.close();
  });
});
