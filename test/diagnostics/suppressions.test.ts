import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateFile, validateSource } from '../../src/validate.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';
import { RULES } from '../../src/rules/index.js';
import { fromRoot } from '../helpers/paths.js';

const FIXTURE = fromRoot('test/fixtures/suppressions/suppressed.yaml');
const line = (d: Diagnostic) => `${d.range!.start.line}:${d.range!.start.column}-${d.range!.end.line}:${d.range!.end.column} ${d.severity} ${d.ruleId} ${d.message}`;

describe('inline suppressions', () => {
  it('silences the named findings and reports malformed and unused suppressions at their comments', () => {
    const result = validateFile(FIXTURE);
    const expected = readFileSync(fromRoot('test/fixtures/suppressions/expected.txt'), 'utf8').split('\n').filter(Boolean);
    expect(result.diagnostics.map(line)).toEqual(expected);
    // next-line skips the comment line between directive and target; the trailing form covers its own line.
    expect(result.suppressed.map((d) => `${d.range!.start.line} ${d.ruleId} ${d.message}`)).toEqual([
      '64 unused-definition tool `issue_refund` is declared but never used',
      '79 unused-definition schema `HandoffReason` is declared but never used',
    ]);
  });

  it('counts suppressed findings in the JSON summary and the pretty summary', () => {
    const result = validateFile(FIXTURE);
    const input = { diagnostics: result.diagnostics, sources: new Map(), rules: RULES, filesChecked: 1, color: false, toolVersion: '0', suppressed: result.suppressed.length };
    expect(JSON.parse(formatDiagnostics('json', input)).summary).toEqual({ files: 1, errors: 3, warnings: 2, suppressed: 2 });
    expect(formatDiagnostics('pretty', input).trimEnd().split('\n').at(-1)).toBe('3 errors and 2 warnings in 1 file (2 suppressed)');
  });

  it('does not call a suppression of a rule switched off unused, and never suppresses schema errors', () => {
    const text = readFileSync(FIXTURE, 'utf8').replace('version: 1\n', 'version: 1\nrules: { fan-out: off }\n');
    expect(validateSource(text, FIXTURE).diagnostics.filter((d) => d.ruleId === 'unused-suppression')).toEqual([]);
    const schema = validateSource('version: 1\nname: x\nentry: a\n# switchboard-disable-next-line unused-definition -- no\nagentz: {}\n', FIXTURE);
    expect(schema.diagnostics.map((d) => d.ruleId)).toContain('schema/unknown-key');
    // Rules did not run on a file with schema errors: nothing is reported as unused.
    expect(schema.diagnostics.map((d) => d.ruleId)).not.toContain('unused-suppression');
  });

  it('names no rule: invalid; prose mentioning a directive is ignored; a directive inside a string is not a comment', () => {
    const base = readFileSync(FIXTURE, 'utf8');
    const text = base
      .replace('# Suppressions of each form', '# switchboard-disable-next-line -- why\n# see the switchboard-disable-line docs\n# Suppressions of each form')
      .replace('instructions: Diagnose', 'instructions: "# switchboard-disable-line fan-out -- in a string" Diagnose');
    const found = validateSource(text, FIXTURE).diagnostics.filter((d) => d.ruleId === 'invalid-suppression').map((d) => `${d.range!.start.line} ${d.message}`);
    expect(found[0]).toBe('1 `switchboard-disable-next-line` names no rule; suppressions name the rules they silence');
    expect(found).toHaveLength(4);
  });

  it('stays bounded on a comment naming thousands of unknown rules', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `rule-${i}`).join(', ');
    const text = `${readFileSync(FIXTURE, 'utf8')}# switchboard-disable-next-line ${'x'.repeat(100_000)}, ${names} -- why\n`;
    const invalid = validateSource(text, FIXTURE).diagnostics.filter((d) => d.ruleId === 'invalid-suppression' && d.range!.start.line > 100);
    expect(invalid).toHaveLength(5);
    expect(invalid.map((d) => d.message.length).every((n) => n < 200)).toBe(true);
  });

  it('refuses to silence the rules without which the compiled code would break', () => {
    const text = readFileSync(FIXTURE, 'utf8').replace('entry: triage\n', '# switchboard-disable-next-line entry-exists -- later\nentry: triag\n');
    const result = validateSource(text, FIXTURE);
    expect(result.diagnostics.filter((d) => d.range!.start.line <= 5).map((d) => `${d.range!.start.line} ${d.ruleId} ${d.message}`)).toEqual([
      '4 invalid-suppression `entry-exists` cannot be suppressed: with this finding the compiled code would not work; fix it instead',
      '5 entry-exists unknown agent `triag`; did you mean `triage`?',
    ]);
    expect(result.ok).toBe(false);
  });
});
