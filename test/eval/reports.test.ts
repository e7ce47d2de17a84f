import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/eval/dataset.js';
import { evaluateGates } from '../../src/eval/gates.js';
import { DEFAULT_PRICES } from '../../src/eval/prices.js';
import { progressBar, renderProgress } from '../../src/eval/progress.js';
import { buildReport, withGates, type EvalReport } from '../../src/eval/report.js';
import { formatJsonReport } from '../../src/eval/reports/json.js';
import { formatJunit } from '../../src/eval/reports/junit.js';
import { formatMarkdown } from '../../src/eval/reports/markdown.js';
import { formatTerminal } from '../../src/eval/reports/terminal.js';
import type { AttemptResult, EvalOutcome } from '../../src/eval/runner.js';

const usage = (input: number, output: number) => ({ requests: 1, inputTokens: input, outputTokens: output, totalTokens: input + output, cachedInputTokens: 0 });
const call = (latencyMs: number) => ({ model: 'gpt-4o-mini', usage: usage(1000, 100), latencyMs });

const dataset: Dataset = {
  file: 'evals/x.yaml',
  cases: [
    { id: 'refund', input: 'Refund INV-1042', expect: 'billing', tags: ['clear'], line: 4 },
    { id: 'webhooks', input: 'Webhooks fail', expect: 'tech', tags: ['clear', 'angry'], line: 7 },
    { id: 'hello', input: 'Hello?', expect: 'stay', tags: ['stay'], line: 10 },
    { id: 'demo', input: 'A demo please', expect: 'sales', tags: [], line: 13 },
  ],
};

const attempts: AttemptResult[] = [
  { caseId: 'refund', repeat: 0, status: 'ok', actual: 'billing', reason: 'Wants a refund.', calls: [call(400)], judge: { score: 5, rationale: 'Clear.' } },
  { caseId: 'webhooks', repeat: 0, status: 'ok', actual: 'sales', reason: 'Says <webhooks> & "fail" | badly', calls: [call(600)], judge: { score: 1, rationale: 'Sales cannot fix webhooks.' } },
  { caseId: 'hello', repeat: 0, status: 'error', error: { kind: 'timeout', message: 'timed out after 120 s' }, calls: [] },
  { caseId: 'demo', repeat: 0, status: 'not-run', calls: [] },
];

function sample(interrupted = false): EvalReport {
  const outcome: EvalOutcome = { interrupted, settings: [{ label: 'default', overrides: {}, models: { triage: 'gpt-4o-mini', billing: 'gpt-4o' }, attempts }] };
  const report = buildReport(outcome, { topology: 'support-desk', entry: 'triage', dataset, mode: 'routing', repeat: 1, judge: 'gpt-4o', routes: ['billing', 'tech', 'sales'], prices: DEFAULT_PRICES });
  return withGates(report, evaluateGates(report.runs[0]!, { minAccuracy: 0.5, minRecall: { tech: 0.5 } }));
}

describe('the JSON report', () => {
  it('has the documented shape, stable key order and no timestamps', () => {
    const report = sample();
    const json = JSON.parse(formatJsonReport(report));
    expect(Object.keys(json)).toEqual(['version', 'topology', 'entry', 'dataset', 'mode', 'repeat', 'judge', 'interrupted', 'runs', 'gates', 'comparisons', 'frontier', 'recording', 'passed']);
    expect(Object.keys(json.runs[0])).toEqual(['label', 'models', 'summary', 'routes', 'confusion', 'cost', 'latency', 'judge', 'cases']);
    expect(json.runs[0].summary).toEqual({
      cases: 4,
      attempts: 4,
      ran: 3,
      correct: 1,
      incorrect: 1,
      errors: 1,
      notRun: 1,
      accuracy: 0.3333,
      accuracyInterval: { low: 0.0615, high: 0.7923 },
      passAll: 0.3333,
      passAllInterval: { low: 0.0615, high: 0.7923 },
      flaky: 0,
      flakyCases: [],
      narratedHandoffs: 0,
      handback: null,
    });
    expect(json.runs[0].cases[1]).toEqual({
      id: 'webhooks',
      expect: 'tech',
      tags: ['clear', 'angry'],
      line: 7,
      verdict: 'incorrect',
      attempts: [
        {
          status: 'ok',
          actual: 'sales',
          correct: false,
          reason: 'Says <webhooks> & "fail" | badly',
          error: null,
          latencyMs: 600,
          inputTokens: 1000,
          outputTokens: 100,
          judge: { score: 1, rationale: 'Sales cannot fix webhooks.' },
        },
      ],
    });
    expect(json.gates.map((g: { gate: string; passed: boolean }) => [g.gate, g.passed])).toEqual([
      ['min-accuracy', false],
      ['min-recall:tech', false],
    ]);
    expect(json.passed).toBe(false);
    expect(formatJsonReport(report)).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(formatJsonReport(sample())).toBe(formatJsonReport(report));
  });
});

describe('JUnit XML', () => {
  it('has a testcase per dataset case (failure, error, skipped) and a testcase per gate', () => {
    expect(formatJunit(sample())).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="switchboard eval support-desk" tests="6" failures="3" errors="1" skipped="1" time="1.000">',
        '  <testsuite name="support-desk routing (default)" tests="4" failures="1" errors="1" skipped="1" time="1.000">',
        '    <properties>',
        '      <property name="accuracy" value="0.3333"/>',
        '      <property name="correct" value="1"/>',
        '      <property name="ran" value="3"/>',
        '      <property name="models" value="triage=gpt-4o-mini,billing=gpt-4o"/>',
        '      <property name="cost_usd" value="0.00042"/>',
        '    </properties>',
        '    <testcase classname="support-desk.billing" name="refund" time="0.400"/>',
        '    <testcase classname="support-desk.tech" name="webhooks" time="0.600">',
        '      <failure type="misrouted" message="expected tech, got sales">misrouted to sales (reason: Says &lt;webhooks&gt; &amp; "fail" | badly) [judge 1/5: Sales cannot fix webhooks.]</failure>',
        '    </testcase>',
        '    <testcase classname="support-desk.stay" name="hello" time="0.000">',
        '      <error type="timeout" message="timed out after 120 s">error (timeout): timed out after 120 s</error>',
        '    </testcase>',
        '    <testcase classname="support-desk.sales" name="demo" time="0.000">',
        '      <skipped message="not run (the evaluation was interrupted)"/>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="support-desk gates" tests="2" failures="2" errors="0" skipped="0" time="0">',
        '    <testcase classname="support-desk.gates" name="min-accuracy" time="0">',
        '      <failure type="gate" message="accuracy 33.3% &lt; minimum 50%"/>',
        '    </testcase>',
        '    <testcase classname="support-desk.gates" name="min-recall:tech" time="0">',
        '      <failure type="gate" message="recall of tech 0% &lt; minimum 50%"/>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });
});

describe('Markdown', () => {
  it('summarises for a pull request: verdict, gates, confusion matrix, per-route scores, misrouted cases, errors, judge', () => {
    const md = formatMarkdown(sample(true));
    expect(md).toContain('## ⚠️ Routing eval: <code>support-desk</code> — 33.3% (1/3)\n\nDataset <code>evals/x.yaml</code>: 4 cases, routing decisions only. **Interrupted: this report is partial.**');
    expect(formatMarkdown(sample())).toMatch(/^## ❌ Routing eval/);
    expect(formatMarkdown({ ...sample(), gates: [], passed: true })).toMatch(/^## 📊 Routing eval/);
    expect(md).toContain('| <code>default</code> | 33.3% (1/3) | 6.2%–79.2% | 1 | 0 | \\$0.0004 | gpt-4o-mini p50 400 ms / p95 600 ms |');
    expect(md).toContain('### Gates\n\n- ❌ accuracy 33.3% &lt; minimum 50%\n- ❌ recall of tech 0% &lt; minimum 50%');
    expect(md).toContain(
      [
        '| expected \\\\ actual | <code>billing</code> | <code>tech</code> | <code>sales</code> | <code>stay</code> | <code>error</code> |',
        '|---|---:|---:|---:|---:|---:|',
        '| <code>billing</code> | **1** | · | · | · | · |',
        '| <code>tech</code> | · | **0** | 1 | · | · |',
        '| <code>sales</code> | · | · | **0** | · | · |',
        '| <code>stay</code> | · | · | · | **0** | 1 |',
      ].join('\n'),
    );
    expect(md).toContain('| <code>tech</code> | — | 0.0% | 0.0%–79.4% | — | 1 |');
    expect(md).toContain('### Misrouted cases (1)\n\n| case | expected | actual | reason / error | tags |\n|---|---|---|---|---|\n| <code>webhooks</code> | <code>tech</code> | sales | Says &lt;webhooks&gt; &amp; "fail" &#124; badly | clear, angry |');
    expect(md).toContain('### Errors (1)');
    expect(md).toContain('| <code>hello</code> | <code>stay</code> | error (timeout) | timed out after 120 s | stay |');
    expect(md).toContain('Judged by <code>gpt-4o</code>, reported beside the structural score and never part of it: mean **3.00** / 5 over 2 handoffs.');
    expect(md.endsWith('|\n')).toBe(true);
  });
});

describe('terminal summary', () => {
  it('lists accuracy, cost, latency, the matrix, misroutes and gates, without colour when asked', () => {
    const text = formatTerminal(sample());
    expect(text).toContain('switchboard eval support-desk · evals/x.yaml · 4 cases · routing only');
    expect(text).toContain('  accuracy  33.3% (1/3)  95% CI 6.2%–79.2%  1 error  1 not run');
    expect(text).toContain('  cost      $0.0004');
    expect(text).toContain('    webhooks: expected tech, got sales — Says <webhooks> & "fail" | badly');
    expect(text).toContain('  ✗ accuracy 33.3% < minimum 50%');
    expect(text).toMatch(/FAILED: 2 of 2 gates failed\n$/);
    expect(text).not.toMatch(/\u001b\[/);
    expect(formatTerminal(sample(), { color: true })).toMatch(/\u001b\[/);
  });
});

describe('progress bar', () => {
  it('renders a bar and redraws in place, throttled, only when enabled', () => {
    expect(renderProgress({ setting: 'default', done: 5, total: 10, errors: 1 }, 10)).toBe('█████░░░░░  5/10 default, 1 error');
    const out: string[] = [];
    let t = 0;
    const bar = progressBar((s) => out.push(s), { enabled: true, now: () => t, intervalMs: 100 });
    bar.update({ setting: 's', done: 1, total: 3, errors: 0 });
    t = 50;
    bar.update({ setting: 's', done: 2, total: 3, errors: 0 });
    bar.update({ setting: 's', done: 3, total: 3, errors: 0 });
    bar.done();
    expect(out.length).toBe(3);
    expect(out[0]!.startsWith('\r\x1b[2K')).toBe(true);
    expect(out[2]).toBe('\r\x1b[2K');
    const silent: string[] = [];
    progressBar((s) => silent.push(s), { enabled: false }).update({ setting: 's', done: 1, total: 1, errors: 0 });
    expect(silent).toEqual([]);
  });
});
