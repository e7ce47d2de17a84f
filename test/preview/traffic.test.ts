import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTraceText } from '../../src/analysis/traces.js';
import { traceFiles } from '../../src/preview/server.js';
import { mergeTraces, previewTraffic } from '../../src/preview/traffic.js';
import { validateFile } from '../../src/validate.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

const work = mkdtempSync(join(repoRoot, '.tmp-preview-traffic-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const example = readFileSync(fromRoot('docs/examples/support-desk.traces.jsonl'), 'utf8');
const { topology } = validateFile(fromRoot('topologies/support-desk.yaml'));

describe('preview traffic', () => {
  it('finds traces/<name>.jsonl with its rotations and traces/<name>/ by convention, or takes --traces as given', () => {
    mkdirSync(join(work, 'traces', 'support-desk', 'week-1'), { recursive: true });
    for (const name of ['support-desk.jsonl', 'support-desk.jsonl.2', 'support-desk.jsonl.1', 'support-desk-old.jsonl', 'other.jsonl', 'support-desk/a.jsonl', 'support-desk/week-1/b.json', 'support-desk/notes.txt']) writeFileSync(join(work, 'traces', name), '');
    const input = { absolutePath: join(work, 'topologies', 'support-desk.yaml'), displayPath: 'topologies/support-desk.yaml' };
    const rel = (files: string[]) => files.map((f) => f.slice(work.length + 1));
    expect(rel(traceFiles(work, input))).toEqual(['traces/support-desk.jsonl', 'traces/support-desk.jsonl.1', 'traces/support-desk.jsonl.2', 'traces/support-desk/a.jsonl', 'traces/support-desk/week-1/b.json']);
    expect(rel(traceFiles(work, input, [join(work, 'traces', 'other.jsonl'), join(work, 'traces', 'support-desk')]))).toEqual(['traces/other.jsonl', 'traces/support-desk/a.jsonl', 'traces/support-desk/week-1/b.json']);
    expect(traceFiles(work, { ...input, absolutePath: join(work, 'clinic.yaml') })).toEqual([]);
  });

  it('counts what switchboard traffic counts, per agent too, and leaves out traces of other topologies', () => {
    const other = `${JSON.stringify({ v: 1, type: 'span', trace_id: 'trace_other', span_id: 's', parent_id: null, kind: 'agent', started_at: null, ended_at: null, error: null, data: { name: 'Concierge' } })}\n`;
    const traffic = previewTraffic(topology!, parseTraceText(example + other, 'traces.jsonl'), ['traces.jsonl'], 'support-desk.yaml');
    expect(traffic).toMatchObject({ conversations: 20, routed: 16, maxTurnsExceeded: 1, otherTraces: 1, errorCount: 0, unknownAgents: [] });
    expect(traffic.edges.find((e) => e.from === 'triage' && e.to === 'billing')).toMatchObject({ count: 9 });
    expect(traffic.agents.find((a) => a.id === 'tech')).toMatchObject({ conversations: 7, handoffsIn: 8, handBackRate: 0.125, maxTurnsExceeded: 1 });
    expect(traffic.diagram).toContain('agent_triage__to__billing@-->|"HandoffReason · filter clean (not in voice) · onHandoff · 9 · 42.9#37;"| agent_billing');
    expect(traffic.diagram).toContain('<small>1 conversation</small>');
  });

  it('joins a trace split over rotated files', () => {
    const lines = example.split('\n').filter(Boolean);
    const half = Math.floor(lines.length / 2);
    const merged = mergeTraces([parseTraceText(`${lines.slice(0, half).join('\n')}\n`, 'a.jsonl.1'), parseTraceText(`${lines.slice(half).join('\n')}\n`, 'a.jsonl')]);
    expect(merged.traces).toHaveLength(parseTraceText(example, 'a.jsonl').traces.length);
    expect(previewTraffic(topology!, merged, ['a.jsonl', 'a.jsonl.1'], 'x.yaml').conversations).toBe(20);
  });

  it('refuses --traces paths that do not exist (exit 2, before listening)', () => {
    const ran = spawnSync(process.execPath, [fromRoot('bin/switchboard.js'), 'preview', 'topologies/support-desk.yaml', '--traces', 'docs/examples/support-desk.traces.jsonl', 'traces/nowhere.jsonl'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(ran.status).toBe(2);
    expect(ran.stderr).toContain('--traces: no such file or folder: traces/nowhere.jsonl');
    expect(ran.stdout).toBe('');
  });
});
