import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerEval } from '../../src/cli/commands/eval.js';
import { UsageError, type CliIo } from '../../src/cli/io.js';
import { awaitBatch, batchJsonl, batchOutputs, BatchError, requestKey, submitBatch, type BatchClient } from '../../src/eval/batch.js';
import type { EvalClock } from '../../src/eval/types.js';
import { startFakeBatchApi, type FakeBatchApi } from '../helpers/fake-batch-api.js';
import { repoRoot } from '../helpers/paths.js';

/** A clock whose sleeps return at once and advance time, so polling is tested without waiting. */
function fakeClock(): EvalClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, epochNow: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
}

const responseBody = (output: object[]) => ({
  id: 'resp_1',
  object: 'response',
  created_at: 1_764_633_600,
  status: 'completed',
  error: null,
  incomplete_details: null,
  model: 'gpt-4o-mini',
  output,
  parallel_tool_calls: true,
  tool_choice: 'auto',
  tools: [],
  text: { format: { type: 'text' } },
  metadata: {},
  usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 120 },
});

let fake: FakeBatchApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const client = (api: FakeBatchApi) => new OpenAI({ apiKey: 'test-key', baseURL: api.baseURL, maxRetries: 0 }) as unknown as BatchClient;

describe('the Batch API, driven by the real openai client against a fake on 127.0.0.1', () => {
  it('uploads the JSONL, creates the batch, polls until it completes, and reads the output back by custom_id', async () => {
    fake = await startFakeBatchApi({ answer: (body) => (body.input === 'bad' ? new Error('invalid input') : responseBody([{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `echo ${String(body.input)}`, annotations: [] }] }])), pollsUntilDone: 3 });
    const requests = new Map([
      [requestKey({ model: 'gpt-4o-mini', input: 'hello', stream: false }), { model: 'gpt-4o-mini', input: 'hello' }],
      [requestKey({ model: 'gpt-4o-mini', input: 'bad' }), { model: 'gpt-4o-mini', input: 'bad' }],
    ]);
    const jsonl = batchJsonl(requests);
    const api = client(fake);
    const created = await submitBatch(api, jsonl, { switchboard_topology: 'desk' });
    const clock = fakeClock();
    const statuses: string[] = [];
    const done = await awaitBatch(api, created.id, { pollMs: 5000, timeoutMs: 60_000, clock, onStatus: (s) => statuses.push(s.status) });
    const outputs = await batchOutputs(api, done);

    const [upload, create] = fake.requests;
    expect(upload).toMatchObject({ method: 'POST', path: '/v1/files', body: { purpose: 'batch', filename: 'switchboard-eval.jsonl' } });
    expect((upload!.body as { content: string }).content).toBe(jsonl);
    expect(jsonl.split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual([
      { custom_id: [...requests.keys()][0], method: 'POST', url: '/v1/responses', body: { model: 'gpt-4o-mini', input: 'hello' } },
      { custom_id: [...requests.keys()][1], method: 'POST', url: '/v1/responses', body: { model: 'gpt-4o-mini', input: 'bad' } },
    ]);
    expect(create).toEqual({ method: 'POST', path: '/v1/batches', body: { input_file_id: 'file-1', endpoint: '/v1/responses', completion_window: '24h', metadata: { switchboard_topology: 'desk' } } });
    expect(statuses).toEqual(['in_progress', 'in_progress', 'completed']);
    expect(clock.sleeps).toEqual([5000, 5000]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`).slice(2)).toEqual([
      `GET /v1/batches/${created.id}`,
      `GET /v1/batches/${created.id}`,
      `GET /v1/batches/${created.id}`,
      `GET /v1/files/${done.output_file_id}/content`,
      `GET /v1/files/${done.error_file_id}/content`,
    ]);
    expect((outputs.responses.get([...requests.keys()][0]!)!.output as { content: { text: string }[] }[])[0]!.content[0]!.text).toBe('echo hello');
    expect([...outputs.errors]).toEqual([[[...requests.keys()][1], 'invalid input']]);
  });

  it('identical requests share one line: the key ignores key order and `stream`', () => {
    expect(requestKey({ a: 1, b: { c: 2, d: 3 }, stream: false })).toBe(requestKey({ b: { d: 3, c: 2 }, a: 1 }));
    expect(requestKey({ a: 1 })).not.toBe(requestKey({ a: 2 }));
  });

  it('gives up after the timeout (the batch goes on, resumable by id), and reports a failed batch', async () => {
    fake = await startFakeBatchApi({ answer: () => responseBody([]), pollsUntilDone: 1000 });
    const api = client(fake);
    const created = await submitBatch(api, batchJsonl(new Map([['k', { input: 'x' }]])));
    const clock = fakeClock();
    await expect(awaitBatch(api, created.id, { pollMs: 4000, timeoutMs: 10_000, clock })).rejects.toThrow(new BatchError(`batch ${created.id} is still in_progress after 10 s; resume with --batch-id ${created.id}`));
    expect(clock.sleeps).toEqual([4000, 4000, 2000]);
    await fake.close();
    fake = await startFakeBatchApi({ answer: () => responseBody([]), pollsUntilDone: 1, finalStatus: 'expired' });
    const expiring = client(fake);
    const batch = await submitBatch(expiring, batchJsonl(new Map([['k', { input: 'x' }]])));
    await expect(awaitBatch(expiring, batch.id, { pollMs: 1, timeoutMs: 1000, clock: fakeClock() })).rejects.toThrow(`batch ${batch.id} expired (0 of 1 requests completed)`);
  });
});

let work: string;
beforeAll(() => void (work = mkdtempSync(join(tmpdir(), 'switchboard-batch-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(argv: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: repoRoot, env, isTTY: false };
  let code = 0;
  const program = new Command('switchboard').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerEval(program, io, (c) => (code = c), { stderrIsTTY: false, interrupt: new AbortController().signal });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = 2;
    else if (error instanceof UsageError) {
      stderr += `switchboard: ${error.message}\n`;
      code = 2;
    } else throw error;
  }
  return { code, stdout, stderr };
}

/** Routes by keyword, with the handoff tools the request offers. */
function router(body: Record<string, unknown>) {
  const tools = (body.tools as { name: string }[]).map((t) => t.name);
  const text = JSON.stringify(body.input);
  const tool = /invoice|charged/i.test(text) ? tools.find((t) => /Billing/.test(t)) : /dropping|webhook/i.test(text) ? tools.find((t) => /Tech/.test(t)) : undefined;
  const output = tool
    ? [{ type: 'function_call', id: 'fc_1', call_id: 'call_1', name: tool, arguments: JSON.stringify({ reason: 'keyword', summary: 'keyword' }), status: 'completed' }]
    : [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'How can I help?', annotations: [] }] }];
  return responseBody(output);
}

describe('switchboard eval --batch', () => {
  it('collects the entry requests, runs them as one batch, and scores the cases from its output; --batch-id resumes', async () => {
    fake = await startFakeBatchApi({ answer: router, pollsUntilDone: 2 });
    const dataset = join(work, 'cases.yaml');
    writeFileSync(
      dataset,
      [
        'version: 1',
        'cases:',
        '  - { id: charged, input: "I was charged twice", expect: billing }',
        '  - { id: charged-again, input: "I was charged twice", expect: billing }',
        '  - { id: dropping, input: "My calls keep dropping", expect: tech }',
        '  - { id: hello, input: "Hello there", expect: sales }',
        '',
      ].join('\n'),
    );
    const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL };
    const json = join(work, 'batch.json');
    const r = await cli(['eval', 'topologies/support-desk.yaml', '-d', dataset, '--batch', '--batch-poll', '0', '--report-json', json, '--allow-errors'], env);
    expect(r.stderr).toMatch(/switchboard: submitted batch batch_2 \(3 request\(s\)\); if this process stops, resume with --batch-id batch_2\n/);
    expect(r.stderr).toContain('switchboard: batch batch_2 completed 3/3\n');
    expect(r.code).toBe(0); // no gate given; `hello` is misrouted, not an error
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.runs[0].cases.map((c: { id: string; attempts: { actual: string }[] }) => [c.id, c.attempts[0]!.actual])).toEqual([
      ['charged', 'billing'],
      ['charged-again', 'billing'],
      ['dropping', 'tech'],
      ['hello', 'stay'],
    ]);
    // The batch holds what the SDK would have sent live: the entry's instructions and its handoff tools.
    const lines = fake.files.get('file-1')!.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].body.model).toBe('gpt-4o-mini');
    expect(lines[0].body.stream).toBeUndefined();
    expect(lines[0].body.tools.map((t: { name: string }) => t.name)).toEqual(['transfer_to_BillingAgent', 'transfer_to_TechSupportAgent', 'transfer_to_SalesAgent']);

    const uploads = fake.requests.filter((q) => q.path === '/v1/files').length;
    const resumed = await cli(['eval', 'topologies/support-desk.yaml', '-d', dataset, '--batch-id', 'batch_2', '--batch-poll', '0', '--report-json', json], env);
    expect(resumed.stderr).not.toContain('submitted batch');
    expect(fake.requests.filter((q) => q.path === '/v1/files').length).toBe(uploads);
    expect(JSON.parse(readFileSync(json, 'utf8')).runs[0].summary).toMatchObject({ correct: 3, incorrect: 1, errors: 0 });
  }, 60_000);

  it('refuses what a batch cannot do', async () => {
    const r = await cli(['eval', 'topologies/support-desk.yaml', '-d', 'evals/support-desk.routing.yaml', '--batch', '--full'], { OPENAI_API_KEY: 'k' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--batch runs one entry decision per case: it cannot be combined with --full');
  });
});
