import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';

/** Schema errors and rule findings are reported together: ten mistakes, ten located diagnostics, one run. */
describe('ten mistakes in one file', () => {
  const result = validateFile(fromRoot('test/fixtures/rules/ten-mistakes.yaml'));
  const found = result.diagnostics.map((d) => [d.ruleId, d.range?.start.line, d.range?.start.column]);

  it('yields exactly ten diagnostics, each at its mistake', () => {
    expect(found).toEqual([
      ['schema/unknown-key', 14, 5], // `modle:` for `model:` on billing
      ['unknown-reference', 16, 29], // `escalate_to_humen` in billing's tools
      ['schema/type', 20, 20], // `temperature: low`
      ['handoff-description', 23, 3], // sales has none
      ['reachable', 26, 3], // nothing routes to outage
      ['unused-definition', 41, 3], // issue_refund is listed by no agent
      ['strict-input-schema', 70, 9], // `seats` is not in `required`
      ['no-self-handoff', 89, 10], // triage in its own `to` list
      ['duplicate-edge', 91, 9], // a second triage -> billing edge
      ['star-spoke-to-spoke', 95, 9], // sales -> billing
    ]);
  });

  it('suggests the intended name for both typos', () => {
    expect(result.diagnostics.filter((d) => d.suggestion).map((d) => d.suggestion)).toEqual(['model', 'escalate_to_human']);
  });

  it('is not ok: nine of the ten are errors', () => {
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.ruleId)).toEqual(['unused-definition']);
  });
});
