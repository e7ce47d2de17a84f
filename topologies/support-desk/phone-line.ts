/**
 * The support desk as a phone line: Twilio Media Streams → the generated RealtimeSession.
 *
 * Twilio calls `POST /incoming-call` when a call comes in; the TwiML answer tells it to open a
 * bidirectional Media Stream to `wss://<host>/media-stream`. Each stream gets its own session from
 * generated/support-desk/voice.ts: the caller's G.711 u-law audio goes to the session as is (the
 * YAML's `voice:` block asks for g711_ulaw in and out, so nothing is resampled), the agents' audio
 * goes back as `media` messages, and when the caller talks over an agent the queued audio is cleared.
 *
 * Run it:  OPENAI_API_KEY=… PORT=5050 npx tsx topologies/support-desk/phone-line.ts
 * and point a Twilio number's voice webhook at https://<public host>/incoming-call (docs/voice.md).
 *
 * Written against the Media Streams WebSocket protocol with `ws` rather than with
 * `TwilioRealtimeTransportLayer` from `@openai/agents-extensions`: its current release (0.18)
 * pins `@openai/agents-core` 0.18, a second copy beside the 0.20 this project compiles for.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { OpenAIRealtimeWebSocket, utils, type RealtimeSession, type RealtimeTransportLayer } from '@openai/agents/realtime';
import { createSupportDeskVoiceSession } from '../../generated/support-desk/voice.js';

export interface PhoneLineOptions {
  /** Interface to listen on; 127.0.0.1 unless you put it behind a proxy on purpose. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The OpenAI API key each session connects with. */
  readonly apiKey: string | (() => string | Promise<string>);
  /** The Realtime API endpoint (tests point it at a local fake). */
  readonly realtimeUrl?: string;
  /** One transport per call; defaults to the SDK's WebSocket transport. */
  readonly createTransport?: () => RealtimeTransportLayer;
  /** The public `wss://…/media-stream` URL the TwiML answer names; derived from the Host header when absent. */
  readonly mediaStreamUrl?: string;
  /** Called with each call's session once it is connected (logging, approvals, tests). */
  readonly onSession?: (session: RealtimeSession<unknown>, call: { readonly streamSid: string; readonly callSid: string }) => void;
}

export interface PhoneLine {
  readonly server: Server;
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

/** Messages Twilio sends on a Media Stream (https://www.twilio.com/docs/voice/media-streams/websocket-messages). */
type TwilioMessage =
  | { event: 'connected'; protocol: string; version: string }
  | { event: 'start'; streamSid: string; start: { streamSid: string; callSid: string; mediaFormat: { encoding: string; sampleRate: number; channels: number } } }
  | { event: 'media'; streamSid: string; media: { track?: string; payload: string } }
  | { event: 'mark'; streamSid: string; mark: { name: string } }
  | { event: 'dtmf'; streamSid: string; dtmf: { digit: string } }
  | { event: 'stop'; streamSid: string };

export async function startPhoneLine(options: PhoneLineOptions): Promise<PhoneLine> {
  const server = createServer((request, response) => {
    if (request.method === 'POST' && request.url?.split('?')[0] === '/incoming-call') {
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(twiml(options.mediaStreamUrl ?? `wss://${request.headers.host ?? 'localhost'}/media-stream`));
      return;
    }
    response.writeHead(404).end();
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    if (request.url?.split('?')[0] !== '/media-stream') return socket.destroy();
    sockets.handleUpgrade(request, socket, head, (ws) => bridgeCall(ws, options));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${address}:${port}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The answer to Twilio's voice webhook: stream the call to us. */
function twiml(streamUrl: string): string {
  const attribute = streamUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="${attribute}" /></Connect></Response>`;
}

/** One call: Twilio's stream on one side, a support-desk RealtimeSession on the other. */
function bridgeCall(twilio: WebSocket, options: PhoneLineOptions): void {
  const session = createSupportDeskVoiceSession({ transport: options.createTransport?.() ?? new OpenAIRealtimeWebSocket() });
  let streamSid: string | undefined;
  let connected = false;
  let closed = false;
  const early: ArrayBuffer[] = [];
  const send = (message: Record<string, unknown>) => {
    if (twilio.readyState === twilio.OPEN) twilio.send(JSON.stringify(message));
  };
  const hangUp = () => {
    if (closed) return;
    closed = true;
    session.close();
    if (twilio.readyState === twilio.OPEN) twilio.close();
  };

  session.on('audio', (event) => {
    if (streamSid) send({ event: 'media', streamSid, media: { payload: utils.arrayBufferToBase64(event.data) } });
  });
  // The caller talked over the agent: drop the audio Twilio still has queued.
  session.on('audio_interrupted', () => {
    if (streamSid) send({ event: 'clear', streamSid });
  });
  session.on('error', (error) => console.error('phone line: session error', error.error));

  twilio.on('message', (data: RawData) => {
    let message: TwilioMessage;
    try {
      message = JSON.parse(data.toString()) as TwilioMessage;
    } catch {
      return;
    }
    switch (message.event) {
      case 'start':
        streamSid = message.start.streamSid;
        session
          .connect({ apiKey: options.apiKey, ...(options.realtimeUrl ? { url: options.realtimeUrl } : {}) })
          .then(() => {
            if (closed) return session.close();
            connected = true;
            for (const audio of early.splice(0)) session.sendAudio(audio);
            options.onSession?.(session, { streamSid: streamSid!, callSid: message.start.callSid });
          })
          .catch((error: unknown) => {
            console.error('phone line: could not connect the realtime session', error);
            hangUp();
          });
        break;
      case 'media': {
        if (message.media.track && message.media.track !== 'inbound') break;
        const audio = utils.base64ToArrayBuffer(message.media.payload);
        if (connected) session.sendAudio(audio);
        else early.push(audio);
        break;
      }
      case 'stop':
        hangUp();
        break;
      default:
        break;
    }
  });
  twilio.on('close', hangUp);
  twilio.on('error', hangUp);
}

// `npx tsx topologies/support-desk/phone-line.ts` starts the line; importing the module does not.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const apiKey = process.env.OPENAI_API_KEY;
  if (!apiKey) {
    console.error('Set OPENAI_API_KEY first.');
    process.exit(2);
  }
  const line = await startPhoneLine({ apiKey, host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 5050) });
  console.log(`support desk phone line on ${line.url}: point your Twilio number's voice webhook at <public url>/incoming-call`);
}
