import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEval } from '../../src/cli/commands/eval.js';
import { UsageError, type CliIo } from '../../src/cli/io.js';
import { evaluateScenario, matchArg, matchTrajectory, parseScenarios, type ScenarioContext } from '../../src/eval/scenarios.js';
import { repoRoot } from '../helpers/paths.js';

const CONTEXT: ScenarioContext = {
  topologyName: 'support-desk',
  entry: 'triage',
  agents: ['triage', 'billing', 'tech', 'sales'],
  edges: [
    { from: 'triage', to: 'billing', handback: false },
    { from: 'triage', to: 'tech', handback: false },
    { from: 'triage', to: 'sales', handback: false },
    { from: 'billing', to: 'triage', handback: true },
    { from: 'tech', to: 'triage', handback: true },
    { from: 'sales', to: 'triage', handback: true },
  ],
  toolsByAgent: { triage: [], billing: ['lookup_invoice', 'issue_refund', 'escalate_to_human'], tech: ['fetch_call_log', 'escalate_to_human'], sales: ['lookup_pricing'] },
};

describe('trajectory match modes', () => {
  const actual = ['triage', 'billing', 'triage', 'tech'];
  it.each([
    ['exact', ['triage', 'billing', 'triage', 'tech'], true],
    ['exact', ['triage', 'tech'], false],
    ['in-order', ['triage', 'tech'], true],
    ['in-order', ['tech', 'billing'], false],
    ['unordered', ['tech', 'triage', 'billing', 'triage'], true],
    ['unordered', ['tech', 'triage', 'billing'], false],
    ['subset', ['triage', 'billing', 'triage', 'tech', 'sales'], true], // every step taken was expected
    ['subset', ['triage', 'billing', 'tech'], false], // triage twice, expected once
    ['superset', ['billing', 'tech'], true], // every expected step was taken
    ['superset', ['sales'], false],
  ] as const)('%s %j', (mode, expected, result) => {
    expect(matchTrajectory(expected, actual, mode)).toBe(result);
  });

  it('matches arguments by value, regex and bounds', () => {
    expect(matchArg('INV-1042', 'INV-1042')).toBe(true);
    expect(matchArg(1890, { gt: 500 })).toBe(true);
    expect(matchArg(500, { gt: 500 })).toBe(false);
    expect(matchArg(500, { lte: 500, gte: 1 })).toBe(true);
    expect(matchArg('CALL-7Q2XK9', { regex: '^CALL-' })).toBe(true);
    expect(matchArg({ b: 1, a: [2] }, { a: [2], b: 1 })).toBe(true);
  });
});

describe('scenarios are checked against the topology before they run', () => {
  it('a path the graph cannot take, unknown agents and tools are located errors with did-you-mean', () => {
    const text = [
      'version: 1',
      'scenarios:',
      '  - id: spoke-to-spoke',
      '    caller: [hi]',
      '    expect:',
      '      path: [triage, billing, sales]',
      '      tools: [lookup_invoices]',
      '      forbidden: [{ name: issue_refund, by: biling }]',
      '  - id: spoke-to-spoke',
      '    caller: { persona: p, goal: g }',
      '    expect: { path: [triage, tehc], pathMatch: fuzzy }',
    ].join('\n');
    const result = parseScenarios(text, 's.yaml', CONTEXT);
    expect(result.scenarios).toBeUndefined();
    const shown = result.diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.ruleId} ${d.message}`);
    expect(shown).toEqual([
      '6:31 scenario/unreachable-path the graph cannot take `billing` → `sales`: `billing` hands off to `triage`',
      '7:15 scenario/unknown-tool `lookup_invoices` is not a tool of any agent; did you mean `lookup_invoice`?: the call can never be made',
      '8:45 scenario/unknown-agent `by`: `biling` is not an agent; did you mean `billing`?',
      '9:9 scenario/duplicate-id duplicate scenario id `spoke-to-spoke`',
      '10:5 scenario/missing-key a simulated caller needs a string `model`',
      '11:30 scenario/unknown-agent `tehc` is not an agent; did you mean `tech`?',
      '11:48 scenario/type `pathMatch` is one of `exact`, `in-order`, `unordered`, `subset` and `superset`',
    ]);
  });

  it('a forbidden call is a failed check naming the call', () => {
    const parsed = parseScenarios('version: 1\nscenarios:\n  - id: x\n    caller: [refund please]\n    expect: { forbidden: [{ name: issue_refund, args: { amount: { gt: 500 } } }] }\n', 's.yaml', CONTEXT);
    const scenario = parsed.scenarios!.scenarios[0]!;
    const checks = evaluateScenario(scenario, { path: ['triage', 'billing'], toolCalls: [{ name: 'issue_refund', agent: 'billing', args: { amount: 900 }, turn: 1 }], handedBack: false, turns: 1, ranOutOfTurns: false });
    expect(checks).toContainEqual({ check: 'forbidden:issue_refund', passed: false, message: 'forbidden issue_refund {"amount":{"gt":500}} called by billing in turn 1 with {"amount":900}' });
    const fine = evaluateScenario(scenario, { path: ['triage', 'billing'], toolCalls: [{ name: 'issue_refund', agent: 'billing', args: { amount: 40 }, turn: 1 }], handedBack: false, turns: 1, ranOutOfTurns: false });
    expect(fine.every((c) => c.passed)).toBe(true);
  });
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: repoRoot, env: {}, isTTY: false };
  let code = 0;
  const program = new Command('switchboard').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerEval(program, io, (c) => (code = c), { stderrIsTTY: false });
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
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

let work: string;
beforeAll(() => void (work = mkdtempSync(join(tmpdir(), 'switchboard-scenarios-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the support desk scenarios, offline from the shipped cassette', () => {
  it('pivot and hand-back, refund over the limit escalates, a simulated caller: every step passes', async () => {
    const r = await cli(['eval', 'topologies/support-desk.yaml', '--scenarios', 'evals/support-desk.scenarios.yaml', '--replay', 'evals/support-desk.scenarios.cassette.json', '--report-json', join(work, 's.json'), '--junit', join(work, 's.xml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ pivot-and-hand-back  path triage → billing → triage → tech');
    expect(r.stdout).toContain('  ✓ handed back to the entry (expected a hand-back)');
    expect(r.stdout).toContain('  ✓ escalate_to_human by billing called by billing in turn 1');
    expect(r.stdout).toContain('  ✓ no forbidden issue_refund {"amount":{"gt":500}} call');
    expect(r.stdout).toMatch(/PASSED: 3 of 3 scenario\(s\)\n$/);
    const report = JSON.parse(readFileSync(join(work, 's.json'), 'utf8'));
    expect(report.summary).toEqual({ scenarios: 3, passed: 3, failed: 0 });
    expect(report.recording.note).toMatch(/^SIMULATED recording/);
    const pivot = report.scenarios[0];
    expect(pivot.steps.map((s: { handoffs: string[] }) => s.handoffs)).toEqual([['billing'], ['triage', 'tech']]);
    // issue_refund needs approval: the eval rejects it and the turn goes on.
    expect(pivot.steps[0].rejected).toEqual(['issue_refund']);
    expect(readFileSync(join(work, 's.xml'), 'utf8')).toContain('<testcase classname="support-desk.scenarios" name="refund-over-limit-escalates">');
  });

  it('a scenario the run does not satisfy fails with exit 1, per check', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = join(work, 'strict.yaml');
    writeFileSync(file, readFileSync(join(repoRoot, 'evals/support-desk.scenarios.yaml'), 'utf8').replace('      handback: true\n', '      handback: true\n      forbidden: [issue_refund]\n'));
    const r = await cli(['eval', 'topologies/support-desk.yaml', '--scenarios', file, '--replay', 'evals/support-desk.scenarios.cassette.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ pivot-and-hand-back');
    expect(r.stdout).toContain('  ✗ forbidden issue_refund called by billing in turn 1 with {"invoiceId":"INV-1042","amount":40');
    expect(r.stdout).toMatch(/FAILED: 1 of 3 scenario\(s\) failed\n$/);
  });

  it('an edited cassette response fails loudly before anything runs', async () => {
    const { writeFileSync } = await import('node:fs');
    const edited = join(work, 'edited.json');
    writeFileSync(edited, readFileSync(join(repoRoot, 'evals/support-desk.scenarios.cassette.json'), 'utf8').replace('"urgency\\":\\"normal\\"', '"urgency\\":\\"low\\"'));
    const r = await cli(['eval', 'topologies/support-desk.yaml', '--scenarios', 'evals/support-desk.scenarios.yaml', '--replay', edited]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hash: content hash mismatch .*edited after it was recorded/);
  });
});
