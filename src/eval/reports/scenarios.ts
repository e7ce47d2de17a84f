/**
 * The scenario report: JSON (deterministic, like the routing report), the terminal summary with
 * per-step pass/fail, and JUnit (a testcase per scenario). Untrusted strings go through the one
 * escaper of each target.
 */
import { costReport, latencyReport, type CostReport, type LatencyReport } from '../report.js';
import type { PriceTable } from '../prices.js';
import type { ScenarioResult } from '../scenario-runner.js';
import type { Scenario, ScenarioCheck } from '../scenarios.js';
import { escalationReport, type EscalationReport, type EscalationTopology } from '../escalation.js';
import { markdownCode, markdownText } from '../../emit/markdown/escape-markdown.js';
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
  /** Over- and under-escalation per agent; null when no scenario expects anything of escalation. */
  readonly escalation: EscalationReport | null;
  readonly interrupted: boolean;
  readonly passed: boolean;
}

export function buildScenarioReport(
  results: readonly ScenarioResult[],
  context: {
    topology: string;
    file: string;
    total: number;
    prices: PriceTable;
    interrupted: boolean;
    recording?: { recordedWith: string; note?: string } | undefined;
    /** The scenarios that ran and who can escalate: for the escalation table. */
    escalation?: { readonly scenarios: readonly Scenario[]; readonly topology: EscalationTopology };
  },
): ScenarioReport {
  const expectations = new Map((context.escalation?.scenarios ?? []).map((s) => [s.id, s.expect.escalate]));
  const escalation = context.escalation
    ? escalationReport(
        results.map((r) => {
          const expectation = expectations.get(r.id);
          return { id: r.id, path: r.path, calls: r.steps.flatMap((step) => step.tools), ...(expectation ? { expectation } : {}) };
        }),
        context.escalation.topology,
      )
    : null;
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
    escalation,
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
  if (report.escalation) {
    out.push('', `escalation to a human (${report.escalation.scenarios} scenario(s) with an expectation):`);
    out.push(`  ${'agent'.padEnd(14)} ${'correct'.padStart(7)} ${'under'.padStart(5)} ${'over'.padStart(5)} ${'none ok'.padStart(7)}  under-rate  over-rate`);
    for (const a of report.escalation.agents) {
      out.push(`  ${t(a.agent).padEnd(14)} ${String(a.correct).padStart(7)} ${String(a.under).padStart(5)} ${String(a.over).padStart(5)} ${String(a.correctNone).padStart(7)}  ${rate(a.underRate).padStart(10)}  ${rate(a.overRate).padStart(9)}`);
      if (a.underScenarios.length) out.push(`    under: ${a.underScenarios.map(t).join(', ')}`);
      if (a.overScenarios.length) out.push(`    over: ${a.overScenarios.map(t).join(', ')}`);
    }
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

const rate = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

/** Markdown for a pull-request comment: verdict, each scenario's failed checks, the escalation table. */
export function formatScenarioMarkdown(report: ScenarioReport): string {
  const verdict = report.interrupted ? '⚠️ interrupted' : report.passed ? '✅ passed' : '❌ failed';
  const out = [`## Scenarios: ${markdownCode(report.topology)} · ${verdict}`, '', `${report.summary.passed} of ${report.summary.scenarios} scenario(s) passed (${markdownCode(report.file)}).`];
  if (report.recording && report.recording.recordedWith !== 'openai') out.push('', `Responses recorded with ${markdownCode(report.recording.recordedWith)}${report.recording.note ? `: ${markdownText(report.recording.note, { inertLinks: true })}` : ''}`);
  out.push('', '| scenario | result | path |', '|---|---|---|');
  for (const s of report.scenarios) out.push(`| ${markdownCode(s.id)} | ${s.passed ? '✓' : '✗'} | ${s.path.map((p) => markdownCode(p)).join(' → ')} |`);
  const failed = report.scenarios.filter((s) => !s.passed);
  if (failed.length) {
    out.push('', '### Failed checks', '');
    for (const s of failed) for (const c of s.checks.filter((c) => !c.passed)) out.push(`- ${markdownCode(s.id)}: ${markdownText(c.message, { inertLinks: true })}`);
  }
  if (report.escalation) {
    out.push('', `### Escalation to a human`, '', `${report.escalation.scenarios} scenario(s) with an expectation; ${report.escalation.under} under-escalation(s), ${report.escalation.over} over-escalation(s).`, '');
    out.push('| agent | correct | under | over | correct non-escalations | under-rate | over-rate | under in | over in |', '|---|---:|---:|---:|---:|---:|---:|---|---|');
    for (const a of report.escalation.agents) {
      out.push(`| ${markdownCode(a.agent)} | ${a.correct} | ${a.under} | ${a.over} | ${a.correctNone} | ${rate(a.underRate)} | ${rate(a.overRate)} | ${a.underScenarios.map((id) => markdownCode(id)).join(', ')} | ${a.overScenarios.map((id) => markdownCode(id)).join(', ')} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
