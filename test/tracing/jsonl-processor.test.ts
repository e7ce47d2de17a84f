import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlTraceProcessor, lastUserText } from '../../src/tracing/jsonl-processor.js';
import { parseTraceText } from '../../src/analysis/traces.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The parts of an SDK span the processor reads. */
const span = (traceId: string, n: number, data: Record<string, unknown>) =>
  ({ traceId, spanId: `span_${n}`, parentId: null, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:00.100Z', error: null, spanData: data }) as never;

describe('JsonlTraceProcessor', () => {
  it('appends agent, handoff, function and guardrail spans and skips the rest', async () => {
    const file = join(dir, 'nested', 'kinds.jsonl');
    const processor = new JsonlTraceProcessor({ file });
    await processor.onTraceStart({ traceId: 't1', name: 'Agent workflow', groupId: null, metadata: {} } as never);
    await processor.onSpanEnd(span('t1', 1, { type: 'agent', name: 'Triage Agent', handoffs: [], tools: [] }));
    await processor.onSpanEnd(span('t1', 2, { type: 'handoff', from_agent: 'Triage Agent', to_agent: 'BillingAgent' }));
    await processor.onSpanEnd(span('t1', 3, { type: 'function', name: 'lookup_invoice', input: '{"invoiceId":"INV-1"}', output: 'secret' }));
    await processor.onSpanEnd(span('t1', 4, { type: 'guardrail', name: 'relevance', triggered: true }));
    await processor.onSpanEnd(span('t1', 5, { type: 'speech', output: { data: '', format: 'pcm' } }));
    await processor.onTraceEnd({ traceId: 't1' } as never);
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.kind ?? r.type)).toEqual(['trace_start', 'agent', 'handoff', 'function', 'guardrail', 'trace_end']);
    expect(records[3].data).toEqual({ name: 'lookup_invoice' }); // tool data only with captureToolData
    expect(records[4].data).toEqual({ name: 'relevance', triggered: true });
    expect(parseTraceText(readFileSync(file, 'utf8'), 'kinds.jsonl').errors).toEqual([]);
  });

  it('rotates by size and keeps maxFiles old files', async () => {
    const file = join(dir, 'rotate.jsonl');
    const processor = new JsonlTraceProcessor({ file, maxBytes: 400, maxFiles: 2 });
    for (let i = 0; i < 30; i++) await processor.onSpanEnd(span('t', i, { type: 'agent', name: `Agent ${i}` }));
    expect(statSync(file).size).toBeLessThanOrEqual(400);
    expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(400);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    // The newest record is in the current file, and every file is whole lines.
    expect(readFileSync(file, 'utf8')).toContain('Agent 29');
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(parseTraceText(readFileSync(f, 'utf8'), f).errors).toEqual([]);
  });

  it('finds the caller text in model input items', () => {
    expect(lastUserText('hi')).toBe('hi');
    expect(lastUserText([{ role: 'user', content: 'first' }, { role: 'assistant', content: 'x' }, { role: 'user', content: [{ type: 'input_text', text: 'second' }] }])).toBe('second');
    expect(lastUserText([{ type: 'function_call' }])).toBeUndefined();
  });
});

describe('parseTraceText', () => {
  it('locates malformed and truncated records by file and line', () => {
    const text = [
      JSON.stringify({ v: 1, type: 'trace_start', trace_id: 't1', workflow: 'w', group_id: null, at: 'x' }),
      '{"v":1,"type":"span",',
      '[1,2]',
      JSON.stringify({ v: 2, type: 'span' }),
      JSON.stringify({ v: 1, type: 'span', trace_id: 't1' }),
      '',
      '{"object":"trace.span","id":"s","trace_id":"t1","span_data":{"type":"agent","na',
    ].join('\n');
    expect(parseTraceText(text, 'bad.jsonl').errors).toEqual([
      { file: 'bad.jsonl', line: 2, message: expect.stringMatching(/^not valid JSON/) },
      { file: 'bad.jsonl', line: 3, message: 'not a trace record: expected a JSON object' },
      { file: 'bad.jsonl', line: 4, message: 'unsupported trace record version 2 (this switchboard reads version 1)' },
      { file: 'bad.jsonl', line: 5, message: 'span record needs `span_id`, `kind` and `data`' },
      { file: 'bad.jsonl', line: 7, message: 'truncated record: the file ends in the middle of a line (was the writer stopped?)' },
    ]);
  });

  it('reads the OpenAI exporter payload { data: [...] }', () => {
    const payload = JSON.stringify({ data: [{ object: 'trace', id: 't1', workflow_name: 'Agent workflow' }, { object: 'trace.span', id: 's1', trace_id: 't1', parent_id: null, started_at: null, ended_at: null, span_data: { type: 'handoff', from_agent: 'A', to_agent: 'B' }, error: null }] }, null, 2);
    const parsed = parseTraceText(payload, 'export.json');
    expect(parsed.errors).toEqual([]);
    expect(parsed.traces).toMatchObject([{ traceId: 't1', workflow: 'Agent workflow', spans: [{ kind: 'handoff', data: { from: 'A', to: 'B' } }] }]);
  });
});
