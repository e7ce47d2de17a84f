import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';
import { validateFile } from '../../src/validate.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { fromRoot } from '../helpers/paths.js';

/**
 * One folder per rule under test/fixtures/rules/<rule-id>/: `fail.yaml` breaks only that rule and
 * must produce exactly the lines of `expected.txt`; `pass.yaml` is a close variant with no findings.
 */
const FIXTURES = fromRoot('test/fixtures/rules');


const folders = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function formatDiagnostic(d: Diagnostic): string {
  const r = d.range!;
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column} ${d.severity} ${d.ruleId} ${d.message}`;
}

const lines = (file: string) => validateFile(file).diagnostics.map(formatDiagnostic);

describe('rule fixtures', () => {
  it('has exactly one folder per rule in RULES', () => {
    expect(folders).toEqual(RULES.map((rule) => rule.id).sort());
  });

  describe.each(folders)('%s', (id) => {
    const dir = join(FIXTURES, id);
    it('fail.yaml produces exactly expected.txt', () => {
      const expected = readFileSync(join(dir, 'expected.txt'), 'utf8').split('\n').filter(Boolean);
      expect(lines(join(dir, 'fail.yaml'))).toEqual(expected);
    });

    it('fail.yaml reports only this rule', () => {
      const ruleIds = new Set(validateFile(join(dir, 'fail.yaml')).diagnostics.map((d) => d.ruleId));
      expect([...ruleIds]).toEqual([id]);
    });

    it('pass.yaml produces no diagnostics', () => {
      expect(lines(join(dir, 'pass.yaml'))).toEqual([]);
    });
  });
});
