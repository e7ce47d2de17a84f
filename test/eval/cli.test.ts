import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEval } from '../../src/cli/commands/eval.js';
import { registerRun } from '../../src/cli/commands/run.js';
import { UsageError, type CliIo } from '../../src/cli/io.js';
import type { EvalDeps } from '../../src/cli/commands/eval-run.js';
import { repoRoot } from '../helpers/paths.js';

// `switchboard eval` and `switchboard run` end to end, in-process: the real topology compiled into
// node_modules/.cache and imported with tsx, a scripted provider module, no network and no API key.

const TOPOLOGY = 'topologies/support-desk.yaml';
const DATASET = 'test/fixtures/eval/routing.yaml';
const PROVIDER = 'test/fixtures/eval/scripted-routing.ts#provider';

async function cli(argv: string[], options: { env?: Record<string, string>; deps?: EvalDeps } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: repoRoot, env: { ...options.env }, isTTY: false };
  let code = 0;
  const program = new Command('switchboard').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerEval(program, io, (c) => (code = c), { stderrIsTTY: false, ...options.deps });
  registerRun(program, io, (c) => (code = c));
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof UsageError) {
      stderr += `switchboard: ${error.message}\n`;
      code = 2;
    } else throw error;
  }
  return { code, stdout, stderr };
}

let work: string;
const tmp = (name: string) => join(work, name);
const read = (name: string) => readFileSync(tmp(name), 'utf8');

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'switchboard-eval-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('switchboard eval', () => {
  it('scores the scripted provider exactly and exits by the gates', async () => {
    const pass = await cli(['eval', TOPOLOGY, '-d', DATASET, '--provider', PROVIDER, '--min-accuracy', '0.8', '--min-recall', 'tech=1', '--no-color']);
    expect(pass.stderr).toBe('');
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('  accuracy  80.0% (8/10)  95% CI 49.0%–94.3%');
    expect(pass.stdout).toMatch(/billing +3 +0 +1 +0 +0\n/);
    expect(pass.stdout).toContain('    bill-plan-upgrade: expected billing, got sales');
    expect(pass.stdout).toMatch(/PASSED: every gate passed\n$/);

    const fail = await cli(['eval', TOPOLOGY, '-d', DATASET, '--provider', PROVIDER, '--min-accuracy', '90%', '--min-recall', 'billing=0.9', '--min-recall', 'sales=0.5', '--no-color']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('gates\n  ✗ accuracy 80% < minimum 90%\n  ✗ recall of billing 75% < minimum 90%\n  ✓ recall of sales 100% ≥ minimum 50%\n');
    expect(fail.stdout).toMatch(/FAILED: 2 of 3 gates failed\n$/);
  });

  it('records a cassette, and replays it offline into the same JSON, JUnit and Markdown, byte for byte', async () => {
    const common = ['eval', TOPOLOGY, '-d', DATASET, '--judge', 'judge-model', '--concurrency', '3', '--no-color'];
    const recorded = await cli([...common, '--provider', PROVIDER, '--record', tmp('cassette.json'), '--report-json', tmp('a.json'), '--junit', tmp('a.xml'), '--markdown', tmp('a.md')]);
    expect(recorded.code).toBe(0);
    expect(recorded.stderr).toBe(`switchboard: recorded 19 request(s) to ${tmp('cassette.json')}.\n`);
    // Replay: no provider, no API key (the env is empty), a different concurrency.
    const replayed = await cli([...common.slice(0, -3), '--concurrency', '1', '--replay', tmp('cassette.json'), '--report-json', tmp('b.json'), '--junit', tmp('b.xml'), '--markdown', tmp('b.md'), '--no-color']);
    expect(replayed.code).toBe(0);
    expect(read('b.json')).toBe(read('a.json'));
    expect(read('b.xml')).toBe(read('a.xml'));
    expect(read('b.md')).toBe(read('a.md'));
    const report = JSON.parse(read('a.json'));
    expect(report.runs[0].summary.accuracy).toBe(0.8);
    expect(report.runs[0].judge).toMatchObject({ scored: 9, meanScore: 4.67 });
    expect(read('a.xml')).toContain('<testcase classname="support-desk.billing" name="bill-plan-upgrade"');
    expect(read('a.md')).toContain('### Misrouted cases (2)');

    // The baseline gate against that report.
    const same = await cli([...common.slice(0, 4), '--replay', tmp('cassette.json'), '--baseline', tmp('a.json'), '--max-drop', '0']);
    expect([same.code, same.stdout.includes('✓ accuracy 80% vs baseline 80%')]).toEqual([0, true]);

    // A dataset the cassette does not cover: the new case fails with a clear error, the run goes on.
    writeFileSync(tmp('changed.yaml'), `${readFileSync(join(repoRoot, DATASET), 'utf8')}  - { id: brand-new, input: "Is my invoice paid?", expect: billing }\n`);
    const miss = await cli(['eval', TOPOLOGY, '-d', tmp('changed.yaml'), '--replay', tmp('cassette.json'), '--max-errors', '0', '--report-json', '-', '--no-color']);
    expect(miss.code).toBe(1);
    const missing = JSON.parse(miss.stdout).runs[0].cases.find((c: { id: string }) => c.id === 'brand-new');
    expect(missing.verdict).toBe('error');
    expect(missing.attempts[0].error.kind).toBe('cassette-miss');
    expect(missing.attempts[0].error.message).toContain('request not in cassette');
    // With the JSON on stdout, the summary goes to stderr.
    expect(miss.stderr).toContain('✗ 1 failed attempt(s) > maximum 0');
  });

  it('reports dataset mistakes as located diagnostics (exit 1) before loading anything', async () => {
    writeFileSync(tmp('bad.yaml'), 'version: 1\ncases:\n  - id: a\n    input: I was charged twice\n    expect: biling\n');
    const { code, stderr, stdout } = await cli(['eval', TOPOLOGY, '-d', tmp('bad.yaml'), '--provider', PROVIDER, '--no-color']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('bad.yaml:5:13 error unknown agent `biling`; did you mean `billing`? [dataset/unknown-agent]');
    expect(stderr).toContain('switchboard: fix the dataset before evaluating it.');
  });

  it('refuses a dataset over --max-cases, and a cassette with impossible numbers, saying where', async () => {
    const limited = await cli(['eval', TOPOLOGY, '-d', DATASET, '--provider', PROVIDER, '--max-cases', '3', '--no-color']);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(/routing\.yaml:\d+:5 error the dataset has 10 cases; the limit is 3 \(raise it with --max-cases\) \[dataset\/too-many-cases\]/);
    writeFileSync(
      tmp('bad-cassette.json'),
      `${JSON.stringify({ version: 1, entries: { k: { model: 'm', summary: '', responses: [{ output: [], usage: { requests: 1, inputTokens: -3, outputTokens: 1e20, totalTokens: 0, cachedInputTokens: 0 }, latencyMs: 5 }] } } }, null, 2)}\n`,
    );
    const cassette = await cli(['eval', TOPOLOGY, '-d', DATASET, '--replay', tmp('bad-cassette.json')]);
    expect(cassette.code).toBe(2);
    expect(cassette.stderr).toContain(`switchboard: --replay ${tmp('bad-cassette.json')}: 2 bad values:\n  ${tmp('bad-cassette.json')}:12:28 /entries/k/responses/0/usage/inputTokens: usage.inputTokens must be a whole number from 0 to 1,000,000,000, got -3`);
  });

  it('rejects bad usage with exit 2 and one line', async () => {
    const usage = async (args: string[], env: Record<string, string> = {}) => {
      const r = await cli(['eval', TOPOLOGY, '-d', DATASET, ...args], { env });
      return [r.code, r.stderr.trim().split('\n').at(-1)];
    };
    expect(await usage(['--record', 'a.json', '--replay', 'b.json'])).toEqual([2, 'switchboard: --record and --replay cannot be used together']);
    expect(await usage([])).toEqual([2, 'switchboard: no model provider: set OPENAI_API_KEY for OpenAI models, pass --provider <module#export>, or replay a cassette with --replay <file>']);
    expect((await usage(['--provider', PROVIDER, '--model', 'triag=gpt-4.1']))[1]).toMatch(/^switchboard: --model: unknown agent `triag`; did you mean `triage`\?/);
    expect((await usage(['--provider', PROVIDER, '--min-recall', 'biling=0.9']))[1]).toMatch(/`biling` is not a route; did you mean `billing`\?/);
    expect((await usage(['--provider', 'test/fixtures/eval/scripted-routing.ts#nope']))[1]).toMatch(/has no export `nope`/);
    expect(await usage(['--concurrency', '0'])).toEqual([2, "error: option '--concurrency <n>' argument '0' is invalid. expected a whole number of at least 1, got \"0\""]);
    expect((await cli(['eval', TOPOLOGY, '-d', 'nope.yaml']))).toMatchObject({ code: 2, stderr: 'switchboard: --dataset: no such file: nope.yaml\n' });
  });

  it('writes the partial report and exits 130 when interrupted', async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    const r = await cli(['eval', TOPOLOGY, '-d', DATASET, '--provider', PROVIDER, '--report-json', tmp('partial.json'), '--no-color'], { deps: { interrupt: interrupt.signal } });
    expect(r.code).toBe(130);
    const partial = JSON.parse(read('partial.json'));
    expect([partial.interrupted, partial.passed, partial.runs[0].summary.notRun]).toEqual([true, false, 10]);
    expect(r.stdout).toContain('INTERRUPTED');
  });
});

describe('switchboard run', () => {
  it('prints each handoff with its reason and each tool call as it happens', async () => {
    const r = await cli(['run', TOPOLOGY, 'Please look up invoice INV-1042', '--provider', PROVIDER, '--no-color']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('caller: Please look up invoice INV-1042');
    expect(lines[1]).toBe('→ handoff Triage Agent (triage) → BillingAgent (billing): Caller needs billing: Please look up invoice INV-1042');
    expect(lines[2]).toBe('⚙ lookup_invoice by BillingAgent {"invoiceId":"INV-1042"}');
    expect(lines[3]).toMatch(/^ {2}↳ \{"invoiceId":"INV-1042","accountId":"ACC-20417",.*"status":"paid"/);
    expect(lines[4]).toBe('BillingAgent (billing): I found INV-1042.');
    expect(lines[5]).toBe('');
    expect(r.stderr).toBe('3 model calls, 470 input + 32 output tokens, about $0.0012\n');
  });

  it('connects the MCP servers for the turn, and names the one that cannot start', async () => {
    const ok = await cli(['run', 'topologies/support-desk-mcp.yaml', 'My call CALL-7Q2XK9 keeps dropping', '--provider', PROVIDER, '--no-color']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('→ handoff Triage Agent (triage) → TechSupportAgent (tech)');
    const failed = await cli(['run', 'test/fixtures/mcp/unreachable-stdio.yaml', 'hello', '--provider', PROVIDER, '--no-color']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^switchboard: the run failed: cannot connect MCP server "ghost": /);
  }, 60_000);
});
