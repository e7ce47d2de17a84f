import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/eval/dataset.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

// `switchboard routes` and `switchboard traffic` as users run them: the built bin in a subprocess.
const bin = fromRoot('bin/switchboard.js');
// FORCE_COLOR left out, not emptied: Node 22+ warns on stderr when NO_COLOR and FORCE_COLOR are both set.
const { FORCE_COLOR: _forceColor, ...inherited } = process.env;
const switchboard = (args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...inherited, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const EXAMPLE = 'docs/examples/support-desk.traces.jsonl';

let work: string;
let rel: string;
beforeAll(() => {
  work = mkdtempSync(join(repoRoot, '.tmp-analysis-'));
  rel = work.slice(repoRoot.length + 1);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('switchboard routes', () => {
  it('prints routes, turns and the pivot advice', () => {
    const { code, stdout } = switchboard(['routes', 'topologies/support-desk.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('topologies/support-desk.yaml: 6 routes from triage (depth 3, maxTurns 10)');
    expect(stdout).toMatch(/\n  triage → billing ⇢ triage +2 +3  hand-back cycle\n/);
    expect(stdout).toContain('A caller who pivots twice needs 6 turns (9 with one tool call per specialist); maxTurns 10 allows 4 pivots (2 with one tool call each).');
  });

  it('writes JSON and Markdown with the diagram annotated with findings', () => {
    const json = JSON.parse(switchboard(['routes', 'topologies/airline.yaml', '--format', 'json', '--max-turns', '4']).stdout);
    expect(json).toMatchObject({ version: 1, entry: 'triage', maxTurns: 4, pivots: [{ maxPivots: 1 }, { maxPivots: 0 }] });
    const markdown = switchboard(['routes', 'test/fixtures/rules/ping-pong/fail.yaml', '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('| test/fixtures/rules/ping-pong/fail.yaml:70:9 | ping-pong |');
    expect(markdown.stdout).toContain('agent_billing agent_billing__to__triage@-->|"⚠ ping-pong"| agent_triage');
  });

  it('exits 1 with diagnostics on a topology with errors', () => {
    const { code, stdout, stderr } = switchboard(['routes', 'test/fixtures/rules/reachable/fail.yaml']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('reachable');
  });
});

describe('switchboard traffic', () => {
  it('counts the example traces (JSON)', () => {
    const { code, stdout } = switchboard(['traffic', 'topologies/support-desk.yaml', EXAMPLE, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ version: 1, conversations: 20, routed: 16, maxTurnsExceeded: 1, escalations: { tech: 2 } });
    expect(report.routes.map((r: { route: string; conversations: number }) => `${r.route}=${r.conversations}`)).toEqual(['billing=8', 'tech=7', 'sales=1', 'stay=4']);
  });

  it('draws traffic on the diagram and compares the entry model with an eval report', () => {
    const evalReport = join(work, 'eval.json');
    writeFileSync(evalReport, JSON.stringify({ version: 1, runs: [{ label: 'nano', models: { triage: 'gpt-4.1-nano' }, summary: { accuracy: 0.9, accuracyInterval: { low: 0.8, high: 0.95 } } }] }));
    const { code, stdout } = switchboard(['traffic', 'topologies/support-desk.yaml', EXAMPLE, '--format', 'markdown', '--eval-report', `${rel}/eval.json`]);
    expect(code).toBe(0);
    expect(stdout).toContain('agent_triage agent_triage__to__billing@-->|"HandoffReason · filter clean (not in voice) · onHandoff · 9 · 42.9#37;"| agent_billing');
    expect(stdout).toContain('class agent_triage__to__sales w1');
    expect(stdout).toContain('agent_tech -.->|"escalate_to_human · 2 to human"| human');
    expect(stdout).toMatch(/Eval "nano": gpt-4\.1-nano routes with accuracy 90% \(95% 80%–95%\); with the same tokens the entry would cost \\\$\S+ per routed conversation \(0\.\d+× the current\)/);
  });

  it('reports malformed and truncated trace files as file:line errors and analyses nothing', () => {
    writeFileSync(join(work, 'bad.jsonl'), `${readFileSync(fromRoot(EXAMPLE), 'utf8').split('\n').slice(0, 3).join('\n')}\nnot json\n{"v":1,"type":"span","trace_id":"t","span_id":"s","kind":"agent","da`);
    const { code, stdout, stderr } = switchboard(['traffic', 'topologies/support-desk.yaml', `${rel}/bad.jsonl`, `${rel}/missing.jsonl`]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${rel}/bad\\.jsonl:4: not valid JSON`)),
      `${rel}/bad.jsonl:5: truncated record: the file ends in the middle of a line (was the writer stopped?)`,
      `${rel}/missing.jsonl: file not found`,
      'switchboard: 3 unreadable trace records; nothing was analysed',
      '',
    ]);
  });

  it('refuses a FIFO, a folder and a file that is not UTF-8 as trace files instead of hanging or misreading them', () => {
    execFileSync('mkfifo', [join(work, 'pipe.jsonl')]);
    writeFileSync(join(work, 'latin1.jsonl'), Buffer.from([0x7b, 0xe9, 0x7d, 0x0a]));
    const { code, stderr } = switchboard(['traffic', 'topologies/support-desk.yaml', `${rel}/pipe.jsonl`, rel, `${rel}/latin1.jsonl`]);
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      `${rel}/pipe.jsonl: is not a regular file (it is a FIFO)`,
      `${rel}: is not a regular file (it is a directory)`,
      `${rel}/latin1.jsonl: is not valid UTF-8 (byte 0xe9 at offset 1); save it as UTF-8`,
      'switchboard: 3 unreadable trace records; nothing was analysed',
      '',
    ]);
  });

  it('--to-dataset writes a deduplicated, redacted draft dataset and never overwrites it', () => {
    writeFileSync(join(work, 'redact.ts'), "export function redact(text: string, { route }: { route: string }) { return text.replace(/INV-\\d+/g, '[invoice]') + (route === 'stay' ? '' : ''); }\n");
    const target = `${rel}/draft.routing.yaml`;
    const first = switchboard(['traffic', 'topologies/support-desk.yaml', EXAMPLE, '--to-dataset', target, '--redact', `./${rel}/redact.ts#redact`, '--format', 'json']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`Wrote 18 draft cases to ${target} (2 duplicates dropped). Review every label before use.\n`);
    const text = readFileSync(join(repoRoot, target), 'utf8');
    const { dataset, diagnostics } = parseDataset(text, target, { topologyName: 'support-desk', entry: 'triage', agents: ['triage', 'billing', 'tech', 'sales'], routes: ['billing', 'tech', 'sales'] });
    expect(diagnostics).toEqual([]);
    expect(dataset!.cases.map((c) => c.expect).filter((e, i, all) => all.indexOf(e) === i)).toEqual(['billing', 'tech', 'sales', 'stay']);
    expect(text).toContain('[email]');
    expect(text).toContain('[phone]');
    expect(text).toContain('[invoice]');
    expect(text).not.toMatch(/example\.(com|org)|7946|555-0123|INV-1042/);

    const again = switchboard(['traffic', 'topologies/support-desk.yaml', EXAMPLE, '--to-dataset', target]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(join(repoRoot, target), 'utf8')).toBe(text);
  });
});
