import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEval } from '../../src/cli/commands/eval.js';
import { UsageError, type CliIo } from '../../src/cli/io.js';
import { coverageReport, findNearDuplicates, inputTokens, tokenSimilarity, type CoverageTopology } from '../../src/eval/coverage.js';
import { datasetCaseLocator, parseDataset, type EvalCase } from '../../src/eval/dataset.js';
import { formatCoverageTerminal } from '../../src/eval/reports/coverage.js';
import { repoRoot } from '../helpers/paths.js';

const R = (line: number, column: number) => ({ start: { line, column }, end: { line, column: column + 1 } });
const TOPOLOGY: CoverageTopology = {
  name: 'desk',
  file: 'desk.yaml',
  entry: 'triage',
  agents: ['triage', 'billing', 'tech', 'refunds'],
  edges: [
    { from: 'triage', to: 'billing', handback: false, pointer: '/handoffs/0/to/0', range: R(20, 10) },
    { from: 'triage', to: 'tech', handback: false, pointer: '/handoffs/0/to/1', range: R(20, 19) },
    { from: 'billing', to: 'refunds', handback: false, pointer: '/handoffs/1/to', range: R(22, 9) },
    { from: 'billing', to: 'triage', handback: true, pointer: '/handoffs/2/to', range: R(24, 9) },
  ],
  escalationTools: { billing: ['escalate_to_human'] },
  agentRanges: { billing: R(5, 3) },
};

const TEXT = [
  'version: 1', // 1
  'cases:', // 2
  '  - { id: b1, input: "I was charged twice this month", expect: billing }', // 3
  '  - { id: b2, input: "I was charged twice this month!", expect: billing }', // 4
  '  - { id: b3, input: "Refund my last invoice please", expect: billing, handback: true }', // 5
  '  - { id: b4, input: "Change my plan to the annual one", expect: billing }', // 6
  '  - { id: b5, input: "Where is invoice INV-1042?", expect: billing }', // 7
  '  - { id: b6, input: "Why is my bill higher", expect: billing }', // 8
  '  - { id: b7, input: "Cancel my subscription", expect: billing }', // 9
  '  - { id: t1, input: "Calls keep dropping", expect: tech }', // 10
  '  - { id: r1, input: "I want my money back", expect: refunds }', // 11
  '',
].join('\n');

function lint(text = TEXT, options = { minCases: 3, maxImbalance: 3, similarity: 0.8 }) {
  const parsed = parseDataset(text, 'cases.yaml', { topologyName: 'desk', entry: 'triage', agents: TOPOLOGY.agents, routes: ['billing', 'tech', 'refunds'] });
  expect(parsed.diagnostics).toEqual([]);
  return coverageReport({ topology: TOPOLOGY, dataset: parsed.dataset!, locateCase: datasetCaseLocator(text, 'cases.yaml') }, options);
}

describe('dataset lint and topology coverage', () => {
  it('finds gaps, imbalance, near-duplicates and labels the entry cannot take, each located', () => {
    const report = lint();
    expect(report.findings.map((d) => `${d.file}${d.range ? `:${d.range.start.line}:${d.range.start.column}` : ''} ${d.severity} ${d.ruleId}: ${d.message}`)).toEqual([
      'cases.yaml warning coverage/no-cases: no case exercises `stay` (the entry answering or asking itself)',
      'cases.yaml:4:22 warning coverage/near-duplicate: case `b2` has the same words as `b1`: it adds little evidence',
      // billing 7 ÷ tech 1 = 7× (refunds is not a label the entry can take: it is an error, not counted as a route).
      'cases.yaml:10:53 warning coverage/imbalance: labels are imbalanced: `billing` has 7 case(s), `tech` only 1 (7×, more than 3×); accuracy then mostly measures `billing`',
      'cases.yaml:11:54 error coverage/indirect-label: case `r1` expects `refunds`, which the entry `triage` reaches only through another agent: the entry\'s decision can never be `refunds`',
      'desk.yaml:5:3 warning coverage/no-cases: no case exercises the escalation of `billing` to a human',
      'desk.yaml:20:19 warning coverage/few-cases: only 1 case(s) exercise the route `triage` → `tech` in cases.yaml (at least 3 wanted)',
      'desk.yaml:24:9 warning coverage/few-cases: only 1 case(s) exercise the hand-back `billing` → `triage` (at least 3 wanted)',
    ]);
    expect(report.findings.find((d) => d.ruleId === 'coverage/near-duplicate')!.related).toEqual([{ message: '`b1`', pointer: '/cases/0/input', range: { start: { line: 3, column: 22 }, end: { line: 3, column: 54 } } }]);
    expect(report.passed).toBe(false);
    expect(report.labels).toEqual({ billing: 7, tech: 1, stay: 0, refunds: 1 });
    expect(report.imbalance).toEqual({ largest: 'billing', smallest: 'tech', ratio: 7 });
    expect(report.nearDuplicates).toEqual([{ first: 'b1', second: 'b2', similarity: 1 }]);
    expect(report.rows).toEqual([
      { kind: 'route', from: 'triage', to: 'billing', cases: 7, scenarios: null, status: 'ok' },
      { kind: 'route', from: 'triage', to: 'tech', cases: 1, scenarios: null, status: 'few' },
      { kind: 'stay', from: 'triage', to: 'stay', cases: 0, scenarios: null, status: 'none' },
      { kind: 'handback', from: 'billing', to: 'triage', cases: 1, scenarios: null, status: 'few' },
      { kind: 'escalation', from: 'billing', to: 'human', cases: null, scenarios: null, status: 'none' },
    ]);
  });

  it('prints a coverage table with every name escaped', () => {
    const report = lint();
    expect(formatCoverageTerminal({ ...report, topology: 'desk\u001b[2J' })).toBe(
      [
        'coverage of desk\\u001b[2J by cases.yaml (9 case(s))',
        '',
        '  edge              kind        cases  scenarios  status',
        '  triage → billing  route           7          –  ok',
        '  triage → tech     route           1          –  few',
        '  triage (stay)     stay            0          –  none',
        '  billing → triage  hand-back       1          –  few',
        '  billing → human   escalation      –          –  none',
        '',
        'labels: billing 7 · tech 1 · stay 0 · refunds 1',
        'imbalance: 7.00× (billing ÷ tech; at most 3×)',
        'near-duplicates (similarity ≥ 0.8): b1 ~ b2 1',
        '',
        'FAILED: 1 error(s), 6 warning(s)',
        '',
      ].join('\n'),
    );
  });

  it('a label no path reaches is an error of its own; JSONL cases are located by line', () => {
    const jsonl = ['{"id": "a", "input": "hello there", "expect": "billing"}', '', '{"id": "z", "input": "something else", "expect": "ghost"}', ''].join('\n');
    const topology = { ...TOPOLOGY, agents: [...TOPOLOGY.agents, 'ghost'] };
    const parsed = parseDataset(jsonl, 'c.jsonl', { topologyName: 'desk', entry: 'triage', agents: topology.agents, routes: ['billing', 'tech', 'refunds', 'ghost'] }, 'jsonl');
    const report = coverageReport({ topology, dataset: parsed.dataset!, locateCase: datasetCaseLocator(jsonl, 'c.jsonl', 'jsonl') });
    const unreachable = report.findings.filter((d) => d.ruleId === 'coverage/unreachable-label');
    expect(unreachable.map((d) => [d.range?.start, d.message])).toEqual([[{ line: 3, column: 50 }, 'case `z` expects `ghost`, which cannot be reached from the entry `triage` at all']]);
  });

  it('token similarity is Jaccard over lower-cased words, accents and punctuation dropped', () => {
    expect(inputTokens('Café, CAFE! café… 42')).toEqual(['cafe', '42']);
    expect(tokenSimilarity(['a', 'b', 'c'], ['b', 'c', 'd'])).toBe(0.5); // 2 shared of 4
    const cases = (inputs: string[]) => inputs.map((input, i): EvalCase => ({ id: `c${i}`, input, expect: 'billing', tags: [], line: i + 1 }));
    // c0/c1: 4 shared of 5 = 0.8; c0/c2: 3 of 6 = 0.5; c1/c2: 3 of 5 = 0.6.
    expect(findNearDuplicates(cases(['a b c d', 'a b c d e', 'a b c f g h'.replace(' g h', ' g')]), 0.8)).toEqual([{ first: 'c0', second: 'c1', similarity: 0.8 }]);
    expect(findNearDuplicates(cases(['a b c d', 'a b c d e', 'x y']), 0.5).map((p) => `${p.first}~${p.second}`)).toEqual(['c0~c1']);
  });

  it('near-duplicate search agrees with comparing every pair', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const words = ['bill', 'charge', 'refund', 'call', 'drop', 'plan', 'demo', 'price', 'invoice', 'webhook'];
    const inputs = Array.from({ length: 120 }, () => Array.from({ length: 2 + Math.floor(random() * 4) }, () => words[Math.floor(random() * words.length)]).join(' '));
    const cases = inputs.map((input, i): EvalCase => ({ id: `c${i}`, input, expect: 'billing', tags: [], line: i + 1 }));
    const brute: string[] = [];
    for (let j = 0; j < cases.length; j++) for (let i = 0; i < j; i++) if (tokenSimilarity(inputTokens(inputs[i]!), inputTokens(inputs[j]!)) >= 0.6) brute.push(`c${i}~c${j}`);
    const fast = findNearDuplicates(cases, 0.6).map((p) => `${p.first}~${p.second}`);
    expect(fast.sort()).toEqual(brute.sort());
    expect(brute.length).toBeGreaterThan(10);
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
beforeAll(() => void (work = mkdtempSync(join(tmpdir(), 'switchboard-coverage-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('switchboard eval lint', () => {
  it('prints the support desk coverage table, located warnings, and the JSON report', async () => {
    const json = join(work, 'coverage.json');
    const r = await cli(['eval', 'lint', 'topologies/support-desk.yaml', '-d', 'evals/support-desk.routing.yaml', '--scenarios', 'evals/support-desk.scenarios.yaml', '--report-json', json, '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '  edge              kind        cases  scenarios  status',
        '  triage → billing  route          20          2  ok',
        '  triage → tech     route          17          2  ok',
        '  triage → sales    route          14          0  ok',
        '  triage (stay)     stay           17          –  ok',
        '  billing → triage  hand-back       0          1  few',
        '  tech → triage     hand-back       2          0  few',
        '  sales → triage    hand-back       0          0  none',
        '  billing → human   escalation      –          1  few',
        '  tech → human      escalation      –          0  none',
      ].join('\n'),
    );
    expect(r.stdout).toMatch(/OK: 0 error\(s\), 5 warning\(s\)\n$/);
    expect(r.stderr).toContain('topologies/support-desk.yaml:66:3 warning no case exercises the escalation of `tech` to a human [coverage/no-cases]');
    expect(r.stderr).toContain('topologies/support-desk.yaml:323:9 warning no case exercises the hand-back `sales` → `triage` [coverage/no-cases]');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.kind).toBe('coverage');
    expect(report.labels).toEqual({ billing: 20, tech: 17, sales: 14, stay: 17 });
    expect(report.findings.map((d: { ruleId: string }) => d.ruleId)).toEqual(['coverage/few-cases', 'coverage/no-cases', 'coverage/few-cases', 'coverage/few-cases', 'coverage/no-cases']);
  });

  it('warnings alone exit 0; a missing --dataset is a usage error (2)', async () => {
    const file = join(work, 'bad.yaml');
    writeFileSync(file, ['version: 1', 'cases:', '  - { id: a, input: "My invoice is wrong", expect: billing }', '  - { id: b, input: "My invoice is wrong", expect: billing }', ''].join('\n'));
    const r = await cli(['eval', 'lint', 'topologies/support-desk.yaml', '-d', file]);
    expect(r.code).toBe(0); // near-duplicates and gaps are warnings
    expect(r.stderr).toContain('bad.yaml:4:21 warning case `b` has the same words as `a`: it adds little evidence [coverage/near-duplicate]');
    expect((await cli(['eval', 'lint', 'topologies/support-desk.yaml'])).code).toBe(2);
  });
});
