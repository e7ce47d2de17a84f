import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for OpenAI's Batch API, for tests that drive the real `openai` client offline:
 * `POST /v1/files` (multipart upload), `POST /v1/batches`, `GET /v1/batches/:id`,
 * `GET /v1/files/:id/content`. A batch is `validating` when created, `in_progress` on the first
 * retrieval, and `completed` after `pollsUntilDone` retrievals, its output file answering every line
 * with `answer(body)` (a Responses API response body, or an Error for an error line). It listens on
 * 127.0.0.1 only, records every request, and closes itself after `lifetimeMs` whatever happens.
 */
export interface FakeBatchRequest {
  readonly method: string;
  readonly path: string;
  /** JSON bodies parsed; uploads as `{ purpose, filename, content }`. */
  readonly body: unknown;
}

export interface FakeBatchApi {
  readonly baseURL: string;
  readonly requests: FakeBatchRequest[];
  /** Uploaded files by id (their text). */
  readonly files: Map<string, string>;
  close(): Promise<void>;
}

export type BatchAnswer = (body: Record<string, unknown>) => Record<string, unknown> | Error;

export async function startFakeBatchApi({ answer, pollsUntilDone = 2, finalStatus = 'completed', lifetimeMs = 60_000 }: { answer: BatchAnswer; pollsUntilDone?: number; finalStatus?: string; lifetimeMs?: number }): Promise<FakeBatchApi> {
  const requests: FakeBatchRequest[] = [];
  const files = new Map<string, string>();
  const batches = new Map<string, { id: string; input_file_id: string; status: string; polls: number; output_file_id: string | null; error_file_id: string | null; request_counts: { total: number; completed: number; failed: number } }>();
  let ids = 0;
  const server = createServer((req, res) => void handle(req, res).catch((error: unknown) => send(res, 500, { error: { message: String(error) } })));
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0]!;
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/files') {
      const upload = parseMultipart(raw, String(req.headers['content-type']));
      requests.push({ method, path, body: upload });
      const id = `file-${++ids}`;
      files.set(id, upload.content);
      return send(res, 200, { id, object: 'file', bytes: Buffer.byteLength(upload.content), created_at: 1_764_633_600, filename: upload.filename, purpose: upload.purpose, status: 'processed' });
    }
    if (method === 'POST' && path === '/v1/batches') {
      const body = JSON.parse(raw) as { input_file_id: string; endpoint: string; completion_window: string };
      requests.push({ method, path, body });
      if (!files.has(body.input_file_id)) return send(res, 400, { error: { message: `no file ${body.input_file_id}` } });
      const id = `batch_${++ids}`;
      const total = files.get(body.input_file_id)!.split('\n').filter((l) => l.trim()).length;
      const batch = { id, input_file_id: body.input_file_id, status: 'validating', polls: 0, output_file_id: null, error_file_id: null, request_counts: { total, completed: 0, failed: 0 } };
      batches.set(id, batch);
      return send(res, 200, view(batch, body));
    }
    const batchMatch = /^\/v1\/batches\/([^/]+)$/.exec(path);
    if (method === 'GET' && batchMatch) {
      requests.push({ method, path, body: null });
      const batch = batches.get(batchMatch[1]!);
      if (!batch) return send(res, 404, { error: { message: `no batch ${batchMatch[1]}` } });
      batch.polls++;
      if (batch.status !== 'completed' && batch.status !== finalStatus) {
        if (batch.polls >= pollsUntilDone) finish(batch);
        else batch.status = 'in_progress';
      }
      return send(res, 200, view(batch, {}));
    }
    const contentMatch = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
    if (method === 'GET' && contentMatch) {
      requests.push({ method, path, body: null });
      const text = files.get(contentMatch[1]!);
      if (text === undefined) return send(res, 404, { error: { message: `no file ${contentMatch[1]}` } });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(text);
      return;
    }
    send(res, 404, { error: { message: `the fake serves the Batch API only, not ${method} ${path}` } });
  }

  function finish(batch: NonNullable<ReturnType<typeof batches.get>>): void {
    if (finalStatus !== 'completed') {
      batch.status = finalStatus;
      return;
    }
    const out: string[] = [];
    const errors: string[] = [];
    for (const line of files.get(batch.input_file_id)!.split('\n').filter((l) => l.trim())) {
      const { custom_id, body } = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> };
      const answered = answer(body);
      if (answered instanceof Error) errors.push(JSON.stringify({ id: `req_${++ids}`, custom_id, response: { status_code: 400, body: { error: { message: answered.message } } }, error: null }));
      else out.push(JSON.stringify({ id: `req_${++ids}`, custom_id, response: { status_code: 200, request_id: `r${ids}`, body: answered }, error: null }));
    }
    const outputId = `file-${++ids}`;
    files.set(outputId, out.map((l) => `${l}\n`).join(''));
    batch.output_file_id = outputId;
    if (errors.length) {
      const errorId = `file-${++ids}`;
      files.set(errorId, errors.map((l) => `${l}\n`).join(''));
      batch.error_file_id = errorId;
    }
    batch.status = 'completed';
    batch.request_counts = { total: out.length + errors.length, completed: out.length, failed: errors.length };
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
  return { baseURL: `http://127.0.0.1:${port}/v1`, requests, files, close };
}

function view(batch: { id: string; input_file_id: string; status: string; output_file_id: string | null; error_file_id: string | null; request_counts: object }, body: object): Record<string, unknown> {
  return { object: 'batch', endpoint: '/v1/responses', completion_window: '24h', created_at: 1_764_633_600, errors: null, ...body, id: batch.id, input_file_id: batch.input_file_id, status: batch.status, output_file_id: batch.output_file_id, error_file_id: batch.error_file_id, request_counts: batch.request_counts };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The `purpose` field and the `file` part of a multipart/form-data upload. */
function parseMultipart(raw: string, contentType: string): { purpose: string; filename: string; content: string } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error(`not a multipart upload: ${contentType}`);
  const parts = raw.split(`--${boundary[1] ?? boundary[2]}`).slice(1, -1);
  let purpose = '';
  let filename = '';
  let content = '';
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, split);
    const value = part.slice(split + 4).replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    if (name === 'purpose') purpose = value;
    if (name === 'file') {
      filename = /filename="([^"]*)"/.exec(headers)?.[1] ?? '';
      content = value;
    }
  }
  return { purpose, filename, content };
}
