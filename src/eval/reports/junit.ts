/**
 * JUnit XML (`--junit`): one testsuite per setting with a testcase per dataset case, plus a `gates`
 * testsuite when gates were set. CI systems render these as test results.
 */
import type { AttemptReport, CaseReport, EvalReport, RunReport } from '../report.js';

export function formatJunit(report: EvalReport): string {
  const suites = report.runs.map((run) => suite(report, run));
  if (report.gates.length > 0) suites.push(gateSuite(report));
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const errors = suites.reduce((n, s) => n + s.errors, 0);
  const skipped = suites.reduce((n, s) => n + s.skipped, 0);
  const time = suites.reduce((n, s) => n + s.time, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`switchboard eval ${report.topology}`)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Suite {
  readonly xml: string;
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  readonly time: number;
}

function suite(report: EvalReport, run: RunReport): Suite {
  const name = `${report.topology} routing (${run.label})`;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  let time = 0;
  const cases = run.cases.map((c) => {
    const caseTime = c.attempts.reduce((sum, a) => sum + a.latencyMs, 0);
    time += caseTime;
    const open = `    <testcase classname="${attr(`${report.topology}.${c.expect}`)}" name="${attr(c.id)}" time="${seconds(caseTime)}">`;
    const body: string[] = [];
    switch (c.verdict) {
      case 'correct':
        return `${open.slice(0, -1)}/>`;
      case 'incorrect':
      case 'flaky':
        failures++;
        body.push(`      <failure type="${c.verdict === 'flaky' ? 'flaky' : 'misrouted'}" message="${attr(failureMessage(c))}">${text(attemptLines(c))}</failure>`);
        break;
      case 'error':
        errors++;
        body.push(`      <error type="${attr(c.attempts.find((a) => a.error)?.error?.kind ?? 'error')}" message="${attr(c.attempts.find((a) => a.error)?.error?.message ?? 'error')}">${text(attemptLines(c))}</error>`);
        break;
      case 'not-run':
        skipped++;
        body.push('      <skipped message="not run (the evaluation was interrupted)"/>');
        break;
    }
    return [open, ...body, '    </testcase>'].join('\n');
  });
  const s = run.summary;
  const properties = [
    ['accuracy', s.accuracy === null ? '' : String(s.accuracy)],
    ['correct', String(s.correct)],
    ['ran', String(s.ran)],
    ['models', Object.entries(run.models).map(([id, m]) => `${id}=${m}`).join(',')],
    ['cost_usd', String(run.cost.totalUsd)],
  ];
  const xml = [
    `  <testsuite name="${attr(name)}" tests="${run.cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}">`,
    '    <properties>',
    ...properties.map(([k, v]) => `      <property name="${attr(k!)}" value="${attr(v!)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: run.cases.length, failures, errors, skipped, time };
}

function gateSuite(report: EvalReport): Suite {
  const failures = report.gates.filter((g) => !g.passed).length;
  const cases = report.gates.map((g) =>
    g.passed
      ? `    <testcase classname="${attr(`${report.topology}.gates`)}" name="${attr(g.gate)}" time="0"/>`
      : [`    <testcase classname="${attr(`${report.topology}.gates`)}" name="${attr(g.gate)}" time="0">`, `      <failure type="gate" message="${attr(g.message)}"/>`, '    </testcase>'].join('\n'),
  );
  const xml = [`  <testsuite name="${attr(`${report.topology} gates`)}" tests="${report.gates.length}" failures="${failures}" errors="0" skipped="0" time="0">`, ...cases, '  </testsuite>'].join('\n');
  return { xml, tests: report.gates.length, failures, errors: 0, skipped: 0, time: 0 };
}

function failureMessage(c: CaseReport): string {
  if (c.verdict === 'flaky') {
    const ran = c.attempts.filter((a) => a.status !== 'not-run');
    const right = ran.filter((a) => a.correct).length;
    return `flaky: ${right} of ${ran.length} attempts routed to ${c.expect}`;
  }
  const first = c.attempts.find((a) => a.status === 'ok');
  return `expected ${c.expect}, got ${first?.actual ?? '?'}`;
}

function attemptLines(c: CaseReport): string {
  return c.attempts
    .map((a: AttemptReport, i) => {
      const head = c.attempts.length > 1 ? `attempt ${i + 1}: ` : '';
      if (a.status === 'not-run') return `${head}not run`;
      if (a.status === 'error') return `${head}error (${a.error?.kind}): ${a.error?.message}`;
      const what = `${a.actual === c.expect ? 'routed' : 'misrouted'} to ${a.actual}`;
      const why = a.reason ? ` (reason: ${a.reason})` : a.reply ? ` (replied: ${a.reply})` : '';
      const judge = a.judge && 'score' in a.judge ? ` [judge ${a.judge.score}/5: ${a.judge.rationale}]` : '';
      return `${head}${what}${why}${judge}`;
    })
    .join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

// XML 1.0 cannot carry most control characters at all, escaped or not, nor U+FFFE/U+FFFF; a lone
// surrogate has no UTF-8 form. The C1 controls are allowed but discouraged (XML 1.0 §2.2): replaced too.
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** XML element text (the one XML escaper of the eval reports; scenarios.ts uses it too). */
export function text(value: string): string {
  return value.replace(INVALID_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An XML attribute value. */
export function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
