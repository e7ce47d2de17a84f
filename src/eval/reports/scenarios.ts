/**
 * The scenario report: JSON (deterministic, like the routing report), the terminal summary with
 * per-step pass/fail, and JUnit (a testcase per scenario). Untrusted strings go through the one
 * escaper of each target.
 */
import { costReport, latencyReport, type CostReport, type LatencyReport } from '../report.js';
import type { PriceTable } from '../prices.js';
import type { ScenarioResult } from '../scenario-runner.js';
import type { ScenarioCheck } from '../scenarios.js';
import { terminalLine as t } from '../terminal-text.js';
import { attr, text as xmlText } from './junit.js';

export interface ScenarioReport {
  readonly version: 1;
  readonly kind: 'scenarios';
  readonly topology: string;
  readonly file: string;
  readonly summary: { readonly scenarios: number; readonly passed: number; readonly failed: number };
  readonly scenarios: readonly {
    readonly id: string;
    readonly passed: boolean;
    readonly path: readonly string[];
    readonly checks: readonly ScenarioCheck[];
    readonly steps: ScenarioResult['steps'];
  }[];
  readonly cost: CostReport;
  readonly latency: Readonly<Record<string, LatencyReport>>;
  readonly recording: { readonly recordedWith: string; readonly note?: string } | null;
  readonly interrupted: boolean;
  readonly passed: boolean;
}

export function buildScenarioReport(
  results: readonly ScenarioResult[],
  context: { topology: string; file: string; total: number; prices: PriceTable; interrupted: boolean; recording?: { recordedWith: string; note?: string } | undefined },
): ScenarioReport {
  const passed = results.filter((r) => r.passed).length;
  const calls = results.flatMap((r) => r.calls);
  return {
    version: 1,
    kind: 'scenarios',
    topology: context.topology,
    file: context.file,
    summary: { scenarios: context.total, passed, failed: results.length - passed },
    scenarios: results.map((r) => ({ id: r.id, passed: r.passed, path: r.path, checks: r.checks, steps: r.steps })),
    cost: costReport(calls, context.prices),
    latency: latencyReport(calls),
    recording: context.recording ? { recordedWith: context.recording.recordedWith, ...(context.recording.note !== undefined ? { note: context.recording.note } : {}) } : null,
    interrupted: context.interrupted,
    passed: !context.interrupted && passed === results.length && results.length === context.total,
  };
}

const clip = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function formatScenarioTerminal(report: ScenarioReport): string {
  const out: string[] = [`switchboard eval ${t(report.topology)} · ${t(report.file)} · ${report.summary.scenarios} scenario(s)`];
  if (report.recording && report.recording.recordedWith !== 'openai') out.push(`responses recorded with ${t(report.recording.recordedWith)}`);
  for (const s of report.scenarios) {
    out.push('', `${s.passed ? '✓' : '✗'} ${t(s.id)}  path ${s.path.map(t).join(' → ')}`);
    for (const step of s.steps) {
      out.push(`    ${step.turn}. caller: ${t(clip(step.caller, 100))}`);
      for (const h of step.handoffs) out.push(`       → ${t(h)}`);
      for (const tool of step.tools) out.push(`       ⚙ ${t(tool.name)} by ${t(tool.agent)} ${t(clip(JSON.stringify(tool.args), 120))}${step.rejected.includes(tool.name) ? ' (approval rejected)' : ''}`);
      if (step.reply !== null) out.push(`       ${t(step.agent)}: ${t(clip(step.reply, 120))}`);
    }
    for (const c of s.checks) out.push(`  ${c.passed ? '✓' : '✗'} ${t(c.message)}`);
  }
  out.push('', report.interrupted ? 'INTERRUPTED' : report.passed ? `PASSED: ${report.summary.passed} of ${report.summary.scenarios} scenario(s)` : `FAILED: ${report.summary.failed} of ${report.summary.scenarios} scenario(s) failed`);
  return `${out.join('\n')}\n`;
}

export function formatScenarioJunit(report: ScenarioReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="switchboard scenarios" tests="${report.scenarios.length}" failures="${report.summary.failed}">`];
  lines.push(`  <testsuite name="${attr(report.topology)} scenarios" tests="${report.scenarios.length}" failures="${report.summary.failed}">`);
  for (const s of report.scenarios) {
    lines.push(`    <testcase classname="${attr(report.topology)}.scenarios" name="${attr(s.id)}">`);
    if (!s.passed) {
      const failed = s.checks.filter((c) => !c.passed);
      lines.push(`      <failure message="${attr(failed.map((c) => c.message).join('; '))}">${xmlText(s.checks.map((c) => `${c.passed ? 'ok' : 'FAIL'} ${c.message}`).join('\n'))}</failure>`);
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
