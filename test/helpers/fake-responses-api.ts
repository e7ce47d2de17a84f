import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the OpenAI Responses API (`POST /v1/responses`), for tests that drive the real
 * `openai` client and the SDK's OpenAI model offline. It listens on 127.0.0.1 only, records every
 * request body, answers from a script (JSON, or server-sent events when the request asks to stream),
 * rejects what the real API rejects that our code could cause (a `function_call_output` whose
 * `function_call` is not in the same input), and closes itself after `lifetimeMs` whatever happens.
 */

/** One item of a Responses API request's `input` (loosely typed: tests inspect what was sent). */
export type InputItem = { readonly type?: string; readonly role?: string; readonly call_id?: string; readonly [key: string]: unknown };

/** A function tool as the request declares it. */
export interface RequestTool {
  readonly type: string;
  readonly name: string;
  readonly description?: string | null;
  readonly parameters?: Record<string, unknown>;
  readonly strict?: boolean | null;
}

/** The parts of a `responses.create` body the tests look at; everything else is kept in `raw`. */
export interface ResponsesRequest {
  readonly model?: string;
  readonly instructions?: string | null;
  readonly input: readonly InputItem[];
  readonly tools: readonly RequestTool[];
  readonly stream: boolean;
  readonly temperature?: number | null;
  readonly raw: Record<string, unknown>;
}

/** An output item the fake model returns, in the Responses API's wire format. */
export type OutputItem = Record<string, unknown>;

/** One scripted model turn: sees the request and returns the output items of the response. */
export type Turn = (request: ResponsesRequest) => OutputItem[];

let ids = 0;
const nextId = (prefix: string) => `${prefix}_${(++ids).toString().padStart(4, '0')}`;

/** The model calls a function tool or a handoff tool (`transfer_to_…`). */
export function functionCall(name: string, args: object): OutputItem {
  return { type: 'function_call', id: nextId('fc'), call_id: nextId('call'), name, arguments: JSON.stringify(args), status: 'completed' };
}

/** The model answers with a message, ending the turn. */
export function message(text: string): OutputItem {
  return { type: 'message', id: nextId('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
}

/** Why the real API would answer 400, or undefined: every `function_call_output` needs its `function_call` earlier in the input. */
export function orphanedOutputs(input: readonly InputItem[]): string[] {
  const calls = new Set<string>();
  const orphans: string[] = [];
  for (const item of input) {
    if (item.type === 'function_call' && item.call_id) calls.add(item.call_id);
    if (item.type === 'function_call_output' && (!item.call_id || !calls.has(item.call_id))) orphans.push(String(item.call_id));
  }
  return orphans;
}

export interface FakeResponsesApi {
  /** Pass as `new OpenAI({ baseURL })`. */
  readonly baseURL: string;
  /** Every request body received, in order. */
  readonly requests: ResponsesRequest[];
  /** Replace the script: the next requests are answered by these turns, in order. */
  script(turns: readonly Turn[]): void;
  /** Scripted turns not consumed yet. */
  readonly remaining: number;
  close(): Promise<void>;
}

/** Starts the fake on an ephemeral port of 127.0.0.1. It closes itself after `lifetimeMs` (default 120 s) if the test does not. */
export async function startFakeResponsesApi({ lifetimeMs = 120_000 } = {}): Promise<FakeResponsesApi> {
  const requests: ResponsesRequest[] = [];
  let turns: Turn[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { error: { message: String(error), type: 'server_error' } }));
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/responses') {
      return send(res, 404, { error: { message: `the fake serves POST /v1/responses only, not ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    }
    const raw = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const input = (typeof raw.input === 'string' ? [{ role: 'user', content: raw.input }] : (raw.input ?? [])) as InputItem[];
    const request: ResponsesRequest = {
      ...(typeof raw.model === 'string' ? { model: raw.model } : {}),
      ...(raw.instructions !== undefined ? { instructions: raw.instructions as string | null } : {}),
      ...(raw.temperature !== undefined ? { temperature: raw.temperature as number | null } : {}),
      input,
      tools: (raw.tools ?? []) as RequestTool[],
      stream: raw.stream === true,
      raw,
    };
    requests.push(request);
    const orphans = orphanedOutputs(input);
    if (orphans.length) {
      // The wording of the real API's 400 for this case.
      return send(res, 400, { error: { message: `No tool call found for function call output with call_id ${orphans[0]}.`, type: 'invalid_request_error', param: 'input', code: null } });
    }
    const turn = turns.shift();
    if (!turn) return send(res, 400, { error: { message: `fake Responses API: script exhausted at request #${requests.length}`, type: 'invalid_request_error' } });
    const response = responseBody(request, turn(request));
    if (!request.stream) return send(res, 200, response);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'close' });
    let sequence = 0;
    const event = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
    event('response.created', { response: { ...response, status: 'in_progress', output: [] } });
    (response.output as OutputItem[]).forEach((item, index) => {
      event('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress' } });
      event('response.output_item.done', { output_index: index, item });
    });
    event('response.completed', { response });
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      server.closeAllConnections();
      server.close(() => resolve());
    }));
  const lifetime = setTimeout(() => void close(), lifetimeMs);
  lifetime.unref();

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script(next) {
      turns = [...next];
    },
    get remaining() {
      return turns.length;
    },
    close,
  };
}

function responseBody(request: ResponsesRequest, output: OutputItem[]): Record<string, unknown> {
  return {
    id: nextId('resp'),
    object: 'response',
    created_at: 1_764_633_600,
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    model: request.model ?? 'gpt-4o',
    output,
    parallel_tool_calls: true,
    temperature: request.temperature ?? null,
    tool_choice: 'auto',
    tools: request.tools,
    top_p: null,
    text: { format: { type: 'text' } },
    truncation: 'disabled',
    metadata: {},
    usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 120 },
  };
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}
