import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { JSDOM } from 'jsdom';
import { afterAll, describe, expect, it } from 'vitest';
import { registerEval } from '../../src/cli/commands/eval.js';
import type { CliIo } from '../../src/cli/io.js';
import { formatHtmlReport, renderEvalHtml } from '../../src/eval/reports/html.js';
import type { EvalReport } from '../../src/eval/report.js';
import { repoRoot } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'switchboard-eval-html-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function evalCli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: repoRoot, env: {}, isTTY: false };
  let code = 0;
  const program = new Command('switchboard').exitOverride();
  registerEval(program, io, (c) => (code = c), { stderrIsTTY: false });
  for (const command of program.commands) command.exitOverride();
  await program.parseAsync(argv, { from: 'user' });
  return { code, stdout, stderr };
}

describe('switchboard eval --html', () => {
  it('writes one self-contained page: heatmap, per-route bars with intervals, misrouted cases with reasons; no script, no network', async () => {
    const file = join(work, 'eval.html');
    const run = await evalCli(['eval', 'topologies/support-desk.yaml', '-d', 'test/fixtures/eval/routing.yaml', '--provider', 'test/fixtures/eval/scripted-routing.ts#provider', '--html', file, '--no-color']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/|\bon\w+=/i);
    const { document } = new JSDOM(html).window;
    // The page's CSP allows exactly its one style block, by hash.
    const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')!;
    const style = document.querySelector('style')!.textContent!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(csp).toContain("default-src 'none'");
    expect(document.querySelectorAll('[style]')).toHaveLength(0);
    // Rows: expected routes; the billing row has its misroute to sales.
    const rows = [...document.querySelectorAll('table.heatmap tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows[0]).toEqual(['expected ↓ / taken →', 'billing', 'tech', 'sales', 'stay', 'error']);
    expect(rows[1]).toEqual(['billing', '3', '0', '1', '0', '0']);
    expect(document.querySelectorAll('svg.bars line').length).toBeGreaterThan(0);
    expect(document.body.textContent).toContain('Misrouted cases (2)');
    expect(document.body.textContent).toContain('bill-plan-upgrade');
  });

  it('escapes every report string', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const report: EvalReport = {
      version: 1, topology: hostile, entry: 'triage', dataset: { file: hostile, cases: 1 }, mode: 'routing', repeat: 1, judge: null, interrupted: false,
      runs: [{
        label: hostile, models: { [hostile]: hostile },
        summary: { cases: 1, attempts: 1, ran: 1, correct: 0, incorrect: 1, errors: 0, notRun: 0, accuracy: 0, accuracyInterval: { low: 0, high: 0.79 }, flaky: 0, handback: null, passAll: null, passAllInterval: null, flakyCases: [hostile], narratedHandoffs: 0 },
        routes: { [hostile]: { support: 1, predicted: 0, correct: 0, precision: null, recall: 0, f1: null, recallInterval: { low: 0, high: 0.79 } } },
        confusion: { labels: [hostile], columns: [hostile, 'error'], matrix: [[0, 1]] },
        cost: { currency: 'USD', totalUsd: 0, unpricedModels: [], byModel: {} }, latency: {}, judge: null,
        cases: [{ id: hostile, expect: hostile, tags: [], line: 1, verdict: 'incorrect', attempts: [{ status: 'ok', actual: hostile, correct: false, reason: hostile, error: null, latencyMs: 0, inputTokens: 0, outputTokens: 0 }] }],
      }],
      gates: [{ gate: 'min-accuracy', passed: false, actual: 0, threshold: 1, message: hostile } as EvalReport['gates'][number]],
      passed: false,
      comparisons: [], frontier: null, recording: null,
    };
    const html = formatHtmlReport(report);
    const { document } = new JSDOM(html).window;
    expect(document.querySelectorAll('img')).toHaveLength(0);
    expect(document.body.textContent!.split(hostile).length - 1).toBeGreaterThan(8);
    expect(renderEvalHtml('{"not": "a report"}', 'x.json').html).toContain('x.json is not an eval report');
  });
});
