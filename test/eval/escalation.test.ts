import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEval } from '../../src/cli/commands/eval.js';
import { UsageError, type CliIo } from '../../src/cli/io.js';
import { escalationReport, type EscalationRun } from '../../src/eval/escalation.js';
import { evaluateScenario, parseScenarios, type EscalationExpectation, type ScenarioContext } from '../../src/eval/scenarios.js';
import { repoRoot } from '../helpers/paths.js';

const TOPOLOGY = { agents: ['triage', 'billing', 'tech', 'sales'], escalationTools: { billing: ['escalate_to_human'], tech: ['escalate_to_human'] } };
const esc = (agent: string) => ({ name: 'escalate_to_human', agent });
const byBilling: EscalationExpectation = { expected: true, by: 'billing', tools: ['escalate_to_human'], source: 'escalate' };
const anyone: EscalationExpectation = { expected: true, tools: ['escalate_to_human'], source: 'escalate' };
const none: EscalationExpectation = { expected: false, tools: ['escalate_to_human'], source: 'escalate' };

describe('over- and under-escalation per agent', () => {
  it('counts each outcome as hand-computed', () => {
    const runs: EscalationRun[] = [
      { id: 'r1', path: ['triage', 'billing'], calls: [esc('billing')], expectation: byBilling }, // billing correct
      { id: 'r2', path: ['triage', 'billing'], calls: [{ name: 'issue_refund', agent: 'billing' }], expectation: byBilling }, // billing under
      { id: 'r3', path: ['triage', 'tech'], calls: [esc('tech')], expectation: anyone }, // tech correct
      { id: 'r4', path: ['triage', 'billing', 'triage', 'tech'], calls: [], expectation: anyone }, // tech under (last that can escalate)
      { id: 'r5', path: ['triage', 'billing'], calls: [esc('billing')], expectation: none }, // billing over
      { id: 'r6', path: ['triage', 'tech'], calls: [], expectation: none }, // tech correct non-escalation
      { id: 'r7', path: ['triage', 'billing', 'triage', 'tech'], calls: [], expectation: none }, // billing and tech correct non-escalations
      { id: 'r8', path: ['triage', 'billing', 'triage', 'tech'], calls: [esc('billing'), esc('tech')], expectation: byBilling }, // billing correct, tech over
      { id: 'r9', path: ['triage', 'sales'], calls: [esc('tech')] }, // no expectation: not counted
    ];
    const report = escalationReport(runs, TOPOLOGY)!;
    expect(report.scenarios).toBe(8);
    expect(report.over).toBe(2);
    expect(report.under).toBe(2);
    expect(report.agents).toEqual([
      // under-rate 1/(1+2), over-rate 1/(1+1)
      { agent: 'billing', correct: 2, under: 1, over: 1, correctNone: 1, underRate: 0.3333, overRate: 0.5, underScenarios: ['r2'], overScenarios: ['r5'] },
      // under-rate 1/(1+1), over-rate 1/(1+2)
      { agent: 'tech', correct: 1, under: 1, over: 1, correctNone: 2, underRate: 0.5, overRate: 0.3333, underScenarios: ['r4'], overScenarios: ['r8'] },
    ]);
  });

  it('is null without expectations, and rates are null on empty denominators', () => {
    expect(escalationReport([{ id: 'a', path: ['triage'], calls: [] }], TOPOLOGY)).toBeNull();
    const report = escalationReport([{ id: 'a', path: ['triage', 'tech'], calls: [], expectation: none }], TOPOLOGY)!;
    expect(report.agents).toEqual([{ agent: 'tech', correct: 0, under: 0, over: 0, correctNone: 1, underRate: null, overRate: 0, underScenarios: [], overScenarios: [] }]);
  });

  it('an under-escalation with no agent that can escalate on the path is the last agent’s', () => {
    const report = escalationReport([{ id: 'stuck', path: ['triage', 'sales'], calls: [], expectation: anyone }], TOPOLOGY)!;
    expect(report.agents.map((a) => [a.agent, a.under])).toEqual([['sales', 1]]);
  });
});

const CONTEXT: ScenarioContext = {
  topologyName: 'support-desk',
  entry: 'triage',
  agents: ['triage', 'billing', 'tech', 'sales'],
  edges: [
    { from: 'triage', to: 'billing', handback: false },
    { from: 'billing', to: 'triage', handback: true },
  ],
  toolsByAgent: { triage: [], billing: ['issue_refund', 'escalate_to_human'], tech: ['escalate_to_human'], sales: [] },
  escalationTools: { billing: ['escalate_to_human'], tech: ['escalate_to_human'] },
};

describe('escalation expectations in scenario files', () => {
  const parse = (expect: string) => parseScenarios(['version: 1', 'scenarios:', '  - id: s', '    caller: [hi]', `    expect: ${expect}`, ''].join('\n'), 's.yaml', CONTEXT);

  it('`escalate` takes true, false or an agent; tools and forbidden imply one', () => {
    expect(parse('{ escalate: billing }').scenarios!.scenarios[0]!.expect.escalate).toEqual({ expected: true, by: 'billing', tools: ['escalate_to_human'], source: 'escalate' });
    expect(parse('{ escalate: false }').scenarios!.scenarios[0]!.expect.escalate).toEqual({ expected: false, tools: ['escalate_to_human'], source: 'escalate' });
    expect(parse('{ tools: [{ name: escalate_to_human, by: tech }] }').scenarios!.scenarios[0]!.expect.escalate).toEqual({ expected: true, by: 'tech', tools: ['escalate_to_human'], source: 'tools' });
    expect(parse('{ forbidden: [escalate_to_human] }').scenarios!.scenarios[0]!.expect.escalate).toEqual({ expected: false, tools: ['escalate_to_human'], source: 'forbidden' });
    // A forbidden call with argument matchers forbids some escalations, not all: no expectation.
    expect(parse('{ forbidden: [{ name: escalate_to_human, args: { urgency: low } }] }').scenarios!.scenarios[0]!.expect.escalate).toBeUndefined();
  });

  it('an agent that cannot escalate, or is not an agent, is a located error', () => {
    const r = parse('{ escalate: sales }');
    expect(r.diagnostics.map((d) => [d.ruleId, d.range?.start, d.message])).toEqual([
      ['scenario/no-edge', { line: 5, column: 25 }, '`escalate: sales`, but `sales` has no human-escalation tool (agents that can escalate: `billing` and `tech`)'],
    ]);
    const typo = parse('{ escalate: biling }');
    expect(typo.diagnostics.map((d) => [d.ruleId, d.range?.start, d.suggestion])).toEqual([['scenario/unknown-agent', { line: 5, column: 25 }, 'billing']]);
  });

  it('an explicit expectation is a check of its own', () => {
    const scenario = parse('{ escalate: billing }').scenarios!.scenarios[0]!;
    const trace = { path: ['triage', 'billing'], handedBack: false, turns: 1, ranOutOfTurns: false };
    expect(evaluateScenario(scenario, { ...trace, toolCalls: [] }).find((c) => c.check === 'escalate')).toEqual({ check: 'escalate', passed: false, message: 'never escalated to a human by billing (expected an escalation by billing)' });
    expect(evaluateScenario(scenario, { ...trace, toolCalls: [{ name: 'escalate_to_human', agent: 'billing', args: {}, turn: 1 }] }).find((c) => c.check === 'escalate')).toEqual({
      check: 'escalate',
      passed: true,
      message: 'escalated to a human (escalate_to_human by billing; expected an escalation by billing)',
    });
  });
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: repoRoot, env: {}, isTTY: false };
  let code = 0;
  const program = new Command('switchboard').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerEval(program, io, (c) => (code = c), { stderrIsTTY: false });
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
beforeAll(() => void (work = mkdtempSync(join(tmpdir(), 'switchboard-escalation-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the support desk scenarios report escalation per agent', () => {
  it('in the terminal, the JSON report and the Markdown', async () => {
    const r = await cli(['eval', 'topologies/support-desk.yaml', '--scenarios', 'evals/support-desk.scenarios.yaml', '--replay', 'evals/support-desk.scenarios.cassette.json', '--report-json', join(work, 's.json'), '--markdown', join(work, 's.md')]);
    expect(r.code).toBe(0);
    // refund-over-limit-escalates expects billing to escalate (it does); the simulated caller forbids any escalation (tech does not).
    expect(r.stdout).toContain(
      [
        'escalation to a human (2 scenario(s) with an expectation):',
        '  agent          correct under  over none ok  under-rate  over-rate',
        '  billing              1     0     0       0        0.0%          –',
        '  tech                 0     0     0       1           –       0.0%',
      ].join('\n'),
    );
    const report = JSON.parse(readFileSync(join(work, 's.json'), 'utf8'));
    expect(report.escalation).toEqual({
      scenarios: 2,
      agents: [
        { agent: 'billing', correct: 1, under: 0, over: 0, correctNone: 0, underRate: 0, overRate: null, underScenarios: [], overScenarios: [] },
        { agent: 'tech', correct: 0, under: 0, over: 0, correctNone: 1, underRate: null, overRate: 0, underScenarios: [], overScenarios: [] },
      ],
      over: 0,
      under: 0,
    });
    const markdown = readFileSync(join(work, 's.md'), 'utf8');
    expect(markdown).toContain('### Escalation to a human\n\n2 scenario(s) with an expectation; 0 under-escalation(s), 0 over-escalation(s).');
    expect(markdown).toContain('| <code>billing</code> | 1 | 0 | 0 | 0 | 0.0% | – |  |  |');
  });
});
