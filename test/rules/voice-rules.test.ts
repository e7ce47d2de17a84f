import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateSource } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';

// The cases of the voice rules the fixture folders do not cover (one fail.yaml per rule).
const FIXTURE = fromRoot('test/fixtures/rules/voice-fixed-voice/pass.yaml');
const base = readFileSync(FIXTURE, 'utf8');
const findings = (yaml: string) => validateSource(yaml, FIXTURE).diagnostics.map((d) => `${d.range!.start.line}:${d.range!.start.column} ${d.ruleId} ${d.message}`);

describe('voice rules', () => {
  it('voice-fixed-voice: with a session voice, an agent\'s other voice is reported as ignored', () => {
    expect(findings(base.replace("    name: BillingAgent\n", '').replace(/  billing:\n    handoffDescription: (.*)\n    voice: marin\n/, '  billing:\n    handoffDescription: $1\n    voice: cedar\n'))).toEqual([
      "17:12 voice-fixed-voice `billing`'s voice `cedar` is ignored: the session voice `marin` (`voice.voice`) wins for every agent",
    ]);
  });

  it('voice-handoff-target: a text-only entry cannot start a call', () => {
    const yaml = base.replace('    name: Triage Agent\n', '    name: Triage Agent\n    runtime: [text]\n');
    expect(findings(yaml)).toEqual([
      '13:14 voice-handoff-target the entry agent `triage` is text-only, but every voice call starts with it',
      // …and the hand-backs to it, one per voice specialist, have nowhere to go.
      '54:9 voice-handoff-target voice agent `billing` hands off to `triage`, which is text-only: a voice session can only hand the call to another voice agent',
      '54:9 voice-handoff-target voice agent `tech` hands off to `triage`, which is text-only: a voice session can only hand the call to another voice agent',
    ]);
  });

  it('the voice rules stay silent in a text-only topology', () => {
    const yaml = base.replace('runtime: [text, voice]', 'runtime: [text]').replace('    voice: marin\n', '    voice: cedar\n');
    expect(findings(yaml)).toEqual([]);
  });
});
