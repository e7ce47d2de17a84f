import { describe, expect, it } from 'vitest';
import { Cassette, CassetteError, CassetteMissError, recordingCall, replayingCall, requestKey, requestSummary } from '../../src/eval/cassette.js';
import type { ModelRequest, TimedResponse } from '../../src/eval/types.js';
import { usageRecord } from '../../src/eval/usage.js';

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  systemInstructions: 'Route callers.',
  input: [{ type: 'message', role: 'user', content: 'I was charged twice.' }],
  modelSettings: { temperature: 0 },
  tools: [],
  handoffs: [{ toolName: 'transfer_to_BillingAgent', toolDescription: 'Invoices.', inputJsonSchema: { type: 'object', properties: {}, required: [], additionalProperties: false }, strictJsonSchema: true }],
  outputType: 'text',
  tracing: false,
  ...overrides,
});

const response = (text: string, latencyMs = 5): TimedResponse => ({
  output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] } as TimedResponse['output'][number]],
  usage: { requests: 1, inputTokens: 10, outputTokens: 2, totalTokens: 12, cachedInputTokens: 0 },
  latencyMs,
});

describe('requestKey', () => {
  it('ignores what varies between identical runs and tracks what defines the request', () => {
    const base = requestKey('gpt-4o-mini', request());
    // Signals, tracing, response ids, item ids and call ids (renumbered by appearance) do not count.
    const withNoise = request({
      signal: new AbortController().signal,
      tracing: true,
      previousResponseId: 'resp_123',
      modelSettings: { temperature: 0, retry: { maxRetries: 3, policy: () => true } },
    });
    expect(requestKey('gpt-4o-mini', withNoise)).toBe(base);
    const history = (id: string) =>
      request({
        input: [
          { type: 'message', role: 'user', content: 'hi', id: `msg_${id}` } as ModelRequest['input'][number] & object,
          { type: 'function_call', callId: `call_${id}`, name: 'lookup', arguments: '{}', status: 'completed', id: `fc_${id}` },
          { type: 'function_call_result', callId: `call_${id}`, name: 'lookup', status: 'completed', output: { type: 'text', text: 'ok' } },
        ] as ModelRequest['input'],
      });
    expect(requestKey('m', history('a'))).toBe(requestKey('m', history('zz')));
    expect(requestKey('gpt-4o', request())).not.toBe(base);
    expect(requestKey('gpt-4o-mini', request({ systemInstructions: 'Route callers!' }))).not.toBe(base);
    expect(requestKey('gpt-4o-mini', request({ input: 'I was charged twice.' }))).not.toBe(base);
    expect(requestKey('gpt-4o-mini', request({ handoffs: [] }))).not.toBe(base);
    expect(requestKey('gpt-4o-mini', request({ modelSettings: { temperature: 0.2 } }))).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{32}$/);
  });

  it('summarises the last caller message', () => {
    expect(requestSummary(request())).toBe('I was charged twice.');
    expect(requestSummary(request({ input: 'x'.repeat(150) }))).toHaveLength(100);
  });
});

describe('record and replay', () => {
  it('records each request once per repetition, shares identical calls, and replays them offline', async () => {
    const cassette = new Cassette();
    let live = 0;
    const inner = async (_model: string, r: ModelRequest, ctx: { repeat: number }) => {
      live++;
      await new Promise((resolve) => setImmediate(resolve));
      return response(`${requestSummary(r)} #${ctx.repeat}`);
    };
    const record = recordingCall(inner, cassette);
    const [a, b] = await Promise.all([record('m', request(), { repeat: 0 }), record('m', request(), { repeat: 0 })]);
    expect(a).toEqual(b);
    expect(live).toBe(1);
    await record('m', request(), { repeat: 1 });
    expect(live).toBe(2);

    const reread = Cassette.parse(cassette.serialize());
    expect(reread.serialize()).toBe(cassette.serialize());
    const replay = replayingCall(reread, 'c.json');
    expect(await replay('m', request(), { repeat: 0 })).toEqual(a);
    expect((await replay('m', request(), { repeat: 1 })).output).toEqual(response('I was charged twice. #1').output);
  });

  it('fails a request it does not hold with a clear error, naming what probably changed', async () => {
    const cassette = new Cassette();
    await recordingCall(async () => response('ok'), cassette)('m', request(), { repeat: 0 });
    const replay = replayingCall(cassette, 'evals/c.json');
    await expect(replay('m', request({ input: 'A new case' }), { repeat: 0 })).rejects.toThrow(CassetteMissError);
    await expect(replay('m', request({ input: 'A new case' }), { repeat: 0 })).rejects.toThrow(
      /^request not in cassette evals\/c\.json \(model m, "A new case", key [0-9a-f]{32}\): the dataset, topology or models changed since it was recorded; re-record with --record$/,
    );
    await expect(replay('m', request({ systemInstructions: 'New prompt' }), { repeat: 0 })).rejects.toThrow('but the compiled instructions changed since it was recorded');
    await expect(replay('m', request(), { repeat: 1 })).rejects.toThrow('recorded for 1 repetition(s), not 2');
  });

  it('writes sorted, versioned JSON and rejects files that are not cassettes', () => {
    const cassette = new Cassette();
    cassette.put('b', 0, 'm', 's', response('2'));
    cassette.put('a', 1, 'm', 's', response('1'));
    const data = JSON.parse(cassette.serialize());
    expect(data.version).toBe(1);
    expect(Object.keys(data.entries)).toEqual(['a', 'b']);
    expect(data.entries.a.responses[0]).toBeNull();
    expect(() => Cassette.parse('{"version":2,"entries":{}}')).toThrow(CassetteError);
    expect(() => Cassette.parse('[')).toThrow('not valid JSON');
  });

  it('rejects impossible numbers and shapes, each named by pointer and line:column', () => {
    const cassette = new Cassette();
    cassette.put('aa', 0, 'm', 's', response('1'));
    const good = JSON.parse(cassette.serialize());
    const bad = (mutate: (r: Record<string, any>) => void) => {
      const data = structuredClone(good);
      mutate(data.entries.aa.responses[0]);
      try {
        Cassette.parse(JSON.stringify(data, null, 2), 'c.json');
      } catch (error) {
        expect(error).toBeInstanceOf(CassetteError);
        return (error as CassetteError).message;
      }
      return 'accepted';
    };
    expect(bad((r) => (r.usage.inputTokens = -5))).toMatch(/^1 bad value:\n {2}c\.json:\d+:\d+ \/entries\/aa\/responses\/0\/usage\/inputTokens: usage\.inputTokens must be a whole number from 0 to 1,000,000,000, got -5$/);
    expect(bad((r) => (r.usage.outputTokens = 1e20))).toContain('usage.outputTokens must be a whole number from 0 to 1,000,000,000, got 100000000000000000000');
    expect(bad((r) => (r.usage.totalTokens = 1.5))).toContain('got 1.5');
    expect(bad((r) => (r.usage.cachedInputTokens = 'NaN'))).toContain('usage.cachedInputTokens must be a whole number from 0 to 1,000,000,000, got "NaN"');
    expect(bad((r) => (r.latencyMs = -1))).toContain('/latencyMs: latencyMs must be a number of milliseconds from 0 to 86,400,000, got -1');
    expect(bad((r) => (r.latencyMs = null))).toContain('got null');
    expect(bad((r) => (r.output = ['x']))).toContain('/output: output must be a list of output items');
    expect(bad((r) => delete r.usage)).toContain('/usage: usage must be an object');
    // Every problem at once, located: the line of the bad value in the file.
    const many = bad((r) => {
      r.usage.inputTokens = -1;
      r.latencyMs = -1;
    });
    expect(many).toMatch(/^2 bad values:/);
    const text = JSON.stringify({ ...good, entries: { aa: { ...good.entries.aa, responses: [{ ...good.entries.aa.responses[0], latencyMs: -1 }] } } }, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"latencyMs": -1')) + 1;
    expect(() => Cassette.parse(text, 'c.json')).toThrow(new RegExp(`c\\.json:${line}:\\d+ /entries/aa/responses/0/latencyMs`));
  });

  it('takes only plausible counts from a live provider, so what it records always replays', () => {
    const usage = usageRecord({ requests: Number.NaN, inputTokens: -5, outputTokens: 1e20, totalTokens: 2.5, inputTokensDetails: { cached_tokens: 7 } });
    expect(usage).toEqual({ requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0 });
    expect(usageRecord({ input_tokens: 10, output_tokens: 2, input_tokens_details: { cached_tokens: 4 } })).toEqual({ requests: 1, inputTokens: 10, outputTokens: 2, totalTokens: 12, cachedInputTokens: 4 });
    const cassette = new Cassette();
    cassette.put('k', 0, 'm', 's', { output: [], usage, latencyMs: 3 });
    expect(Cassette.parse(cassette.serialize()).size).toBe(1);
  });
});

describe('content hash and drift', () => {
  const recordOne = async (req: ModelRequest) => {
    const cassette = new Cassette();
    await recordingCall(async () => response('Transferring you.'), cassette)('gpt-4o-mini', req, { repeat: 0 });
    return cassette.serialize();
  };

  it('writes a content hash per entry and refuses an edited response, naming where', async () => {
    const text = await recordOne(request());
    const data = JSON.parse(text);
    const key = Object.keys(data.entries)[0]!;
    expect(data.entries[key].hash).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(data.entries[key].request)).toEqual(['handoffs', 'input', 'modelSettings', 'outputType', 'systemInstructions', 'tools']);
    expect(Cassette.parse(text, 'c.json').size).toBe(1);
    const edited = text.replace('Transferring you.', 'Transferring you!');
    let error: unknown;
    try {
      Cassette.parse(edited, 'c.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CassetteError);
    expect((error as Error).message).toMatch(new RegExp(`c\\.json:\\d+:\\d+ /entries/${key}/hash: content hash mismatch .*edited after it was recorded`));
    // Usage edited, too: any change to the entry is caught.
    expect(() => Cassette.parse(text.replace('"inputTokens": 10', '"inputTokens": 11'), 'c.json')).toThrow('content hash mismatch');
  });

  it('names what drifted when the same message misses: instructions, tool schemas, settings', async () => {
    const cassette = Cassette.parse(await recordOne(request()), 'c.json');
    const replay = replayingCall(cassette, 'c.json');
    await expect(replay('gpt-4o-mini', request({ systemInstructions: 'Route callers, politely.' }), { repeat: 0 })).rejects.toThrow(
      'but the compiled instructions changed since it was recorded',
    );
    await expect(replay('gpt-4o-mini', request({ modelSettings: { temperature: 0.3 }, tools: [{ type: 'function', name: 'x', description: 'x', parameters: { type: 'object', properties: {}, required: [], additionalProperties: false }, strict: true }] }), { repeat: 0 })).rejects.toThrow(
      'but the model settings and the tool schemas changed since it was recorded',
    );
    await expect(replay('gpt-4o-mini', request({ input: [{ type: 'message', role: 'user', content: 'Something else.' }] }), { repeat: 0 })).rejects.toThrow(
      'the dataset, topology or models changed since it was recorded',
    );
  });

  it('keeps who recorded it', async () => {
    const cassette = new Cassette();
    cassette.metadata = { recordedWith: 'evals/x.ts#provider', note: 'simulated' };
    const again = Cassette.parse(cassette.serialize(), 'c.json');
    expect(again.metadata).toEqual({ recordedWith: 'evals/x.ts#provider', note: 'simulated' });
    expect(() => Cassette.parse('{"version":1,"metadata":3,"entries":{}}', 'c.json')).toThrow('metadata must be an object');
  });
});
