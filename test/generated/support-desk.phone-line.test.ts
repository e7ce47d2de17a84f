import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { startPhoneLine, type PhoneLine } from '../../topologies/support-desk/phone-line.js';
import { agents } from '../../generated/support-desk/agents.js';
import { handoffLog } from '../../topologies/support-desk/hooks.js';

/**
 * The documented phone-line server end to end, offline: a simulated Twilio Media Streams client on
 * one side, the SDK's own OpenAIRealtimeWebSocket transport talking to a fake Realtime API on the
 * other, both on 127.0.0.1. Every wait is bounded by vitest's timeout and every server is stopped.
 */

type Json = Record<string, any>;

/** Collects JSON messages from a socket and lets a test wait for the next one matching a predicate. */
class Inbox {
  readonly received: Json[] = [];
  private waiters: { match: (m: Json) => boolean; resolve: (m: Json) => void }[] = [];

  constructor(socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Json;
      this.received.push(message);
      this.waiters = this.waiters.filter((w) => (w.match(message) ? (w.resolve(message), false) : true));
    });
  }

  next(match: (m: Json) => boolean): Promise<Json> {
    const seen = this.received.find(match);
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) =>
      this.waiters.push({
        match,
        resolve: (m) => {
          this.received.splice(this.received.indexOf(m), 1);
          resolve(m);
        },
      }),
    );
  }
}

/** A stand-in for wss://api.openai.com/v1/realtime: accepts one session and lets the test speak for the model. */
async function fakeRealtimeApi() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const connection = new Promise<{ socket: WebSocket; inbox: Inbox; authorization: string | undefined; path: string | undefined }>((resolve) =>
    server.once('connection', (socket, request) => resolve({ socket, inbox: new Inbox(socket), authorization: request.headers.authorization, path: request.url })),
  );
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/realtime?model=gpt-realtime`;
  return { server, url, connection };
}

let events = 0;
const event = (body: Json) => JSON.stringify({ event_id: `event_${++events}`, ...body });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  handoffLog.length = 0;
});

async function setUp() {
  const api = await fakeRealtimeApi();
  cleanups.push(() => new Promise<void>((resolve) => api.server.close(() => resolve())));
  const line: PhoneLine = await startPhoneLine({ apiKey: 'sk-test-not-real', realtimeUrl: api.url, mediaStreamUrl: 'wss://example.test/media-stream' });
  cleanups.push(() => line.close());
  return { api, line };
}

async function callIn(line: PhoneLine) {
  const twilio = new WebSocket(`${line.url.replace('http', 'ws')}/media-stream`);
  const inbox = new Inbox(twilio);
  await new Promise<void>((resolve, reject) => twilio.once('open', () => resolve()).once('error', reject));
  cleanups.push(() => twilio.terminate());
  const send = (message: Json) => twilio.send(JSON.stringify(message));
  send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
  send({
    event: 'start',
    sequenceNumber: '1',
    streamSid: 'MZ0001',
    start: { accountSid: 'AC0001', streamSid: 'MZ0001', callSid: 'CA0001', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
  });
  return { twilio, inbox, send };
}

describe('support desk phone line (Twilio Media Streams → RealtimeSession)', () => {
  it('answers the voice webhook with TwiML that streams the call to /media-stream', async () => {
    const { line } = await setUp();
    const response = await fetch(`${line.url}/incoming-call`, { method: 'POST' });
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://example.test/media-stream" /></Connect></Response>');
    expect((await fetch(`${line.url}/elsewhere`)).status).toBe(404);
  });

  it('bridges a call: session settings, caller audio in, agent audio out, barge-in, a handoff, hang-up', async () => {
    const { api, line } = await setUp();
    const { twilio, inbox, send } = await callIn(line);
    const model = await api.connection;
    expect(model.authorization).toBe('Bearer sk-test-not-real');
    expect(model.path).toBe('/v1/realtime?model=gpt-realtime');

    // The session opens as triage, in G.711 u-law both ways (what Twilio carries), with the YAML's voice.
    const update = await model.inbox.next((m) => m.type === 'session.update');
    expect(update.session.instructions).toBe(agents.triage.instructions);
    expect(update.session.audio).toMatchObject({ input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcmu' }, voice: 'marin' } });
    expect(update.session.tools.map((t: Json) => t.name)).toEqual(['transfer_to_BillingAgent', 'transfer_to_TechSupportAgent', 'transfer_to_SalesAgent']);

    // Caller audio goes to the model unchanged.
    const callerAudio = Buffer.from([0x7f, 0xff, 0x00, 0x10, 0x20]).toString('base64');
    send({ event: 'media', sequenceNumber: '2', streamSid: 'MZ0001', media: { track: 'inbound', chunk: '1', timestamp: '20', payload: callerAudio } });
    expect((await model.inbox.next((m) => m.type === 'input_audio_buffer.append')).audio).toBe(callerAudio);

    // The agent's audio goes back to Twilio on the call's stream.
    const agentAudio = Buffer.from([0x01, 0x02, 0x03, 0x04]).toString('base64');
    model.socket.send(event({ type: 'response.created', response: { id: 'resp_1', object: 'realtime.response', output: [] } }));
    model.socket.send(event({ type: 'response.output_audio.delta', response_id: 'resp_1', item_id: 'item_1', output_index: 0, content_index: 0, delta: agentAudio }));
    expect(await inbox.next((m) => m.event === 'media')).toEqual({ event: 'media', streamSid: 'MZ0001', media: { payload: agentAudio } });

    // The caller talks over the agent: Twilio drops its queued audio.
    model.socket.send(event({ type: 'input_audio_buffer.speech_started', item_id: 'item_2', audio_start_ms: 0 }));
    expect(await inbox.next((m) => m.event === 'clear')).toEqual({ event: 'clear', streamSid: 'MZ0001' });

    // The model transfers to billing: the session is updated over the wire to billing's prompt and tools.
    model.socket.send(event({ type: 'response.created', response: { id: 'resp_2', object: 'realtime.response', output: [] } }));
    model.socket.send(
      event({
        type: 'response.output_item.done',
        response_id: 'resp_2',
        output_index: 0,
        item: { id: 'item_3', object: 'realtime.item', type: 'function_call', status: 'completed', name: 'transfer_to_BillingAgent', call_id: 'call_1', arguments: JSON.stringify({ reason: 'Caller disputes invoice INV-1043.' }) },
      }),
    );
    const toBilling = await model.inbox.next((m) => m.type === 'session.update' && m.session.instructions === agents.billing.instructions);
    expect(toBilling.session.tools.map((t: Json) => t.name)).toContain('issue_refund');
    expect(toBilling.session.audio.output.voice).toBe('marin');
    const transferred = await model.inbox.next((m) => m.type === 'conversation.item.create' && m.item.type === 'function_call_output');
    expect(transferred.item.call_id).toBe('call_1');
    expect(handoffLog).toEqual([{ reason: 'Caller disputes invoice INV-1043.' }]);

    // Twilio ends the stream: the realtime connection is closed too.
    const modelClosed = new Promise<void>((resolve) => model.socket.once('close', () => resolve()));
    send({ event: 'stop', sequenceNumber: '9', streamSid: 'MZ0001', stop: { accountSid: 'AC0001', callSid: 'CA0001' } });
    await modelClosed;
    await new Promise<void>((resolve) => (twilio.readyState === twilio.CLOSED ? resolve() : twilio.once('close', () => resolve())));
  });
});
