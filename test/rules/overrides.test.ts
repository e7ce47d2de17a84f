import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';
import { validateSource } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';

/** Inline topologies are validated as if they lived next to the rule fixtures. */
const PATH = fromRoot('test/fixtures/rules/inline.yaml');

/**
 * A voice support desk that breaks two star rules and one general rule:
 * - `sales` hands straight to `billing` (star-spoke-to-spoke, error),
 * - `tech` hands back to `billing` (star-handback-target and star-spoke-to-spoke, errors),
 * - `sales` has no handoffDescription (handoff-description, error),
 * - `billing` cannot hand back or escalate (specialist-dead-end, warning).
 */
function topology(head = '', rules = ''): string {
  return `version: 1
name: voice-support
${head}entry: triage
defaults:
  model: gpt-4o-mini
agents:
  triage:
    instructions: Greet the caller and hand off. Never answer yourself.
  billing:
    handoffDescription: Invoices, refunds and unexpected charges on an existing account.
    instructions: Resolve the caller's billing question.
  tech:
    handoffDescription: Dropped calls, poor audio quality and webhook delivery failures.
    instructions: Diagnose the caller's technical problem.
  sales:
    instructions: Quote prices from the price list only.
handoffs:
  - from: triage
    to: [billing, tech, sales]
  - from: sales
    to: billing
  - from: tech
    to: billing
    handback: true
  - from: [tech, sales]
    to: triage
    handback: true
${rules ? `rules:\n${rules}\n` : ''}`;
}

const findings = (text: string) => validateSource(text, PATH).diagnostics.map((d) => `${d.ruleId} ${d.severity} ${d.range!.start.line}`);
const bySeverity = (text: string, ruleId: string) => validateSource(text, PATH).diagnostics.filter((d) => d.ruleId === ruleId).map((d) => d.severity);

describe('rule severity overrides', () => {
  it('reports the defaults without overrides', () => {
    expect(findings(topology())).toEqual([
      'specialist-dead-end warning 9',
      'handoff-description error 15',
      'star-spoke-to-spoke error 21',
      'star-handback-target error 23',
      'star-spoke-to-spoke error 23',
    ]);
  });

  it('`off` silences a rule, in the short and the object form', () => {
    expect(bySeverity(topology('', '  specialist-dead-end: off'), 'specialist-dead-end')).toEqual([]);
    expect(bySeverity(topology('', '  handoff-description: { severity: off }'), 'handoff-description')).toEqual([]);
  });

  it('`error` upgrades a warning', () => {
    const result = validateSource(topology('', '  specialist-dead-end: error'), PATH);
    expect(result.diagnostics.filter((d) => d.ruleId === 'specialist-dead-end').map((d) => d.severity)).toEqual(['error']);
  });

  it('`warning` downgrades an error, and a file with only warnings is ok', () => {
    const rules = ['handoff-description', 'star-spoke-to-spoke', 'star-handback-target'].map((id) => `  ${id}: warning`).join('\n');
    const result = validateSource(topology('', rules), PATH);
    expect(result.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning', 'warning', 'warning', 'warning']);
    expect(result.ok).toBe(true);
  });

  it('a topology\'s own `rules:` beats the configuration file', () => {
    const ids = (text: string, ruleSettings: Record<string, 'off' | 'warning' | 'error'>) => validateSource(text, PATH, { ruleSettings }).diagnostics.map((d) => `${d.ruleId} ${d.severity}`);
    expect(ids(topology(), { 'specialist-dead-end': 'off' })).not.toContain('specialist-dead-end warning');
    expect(ids(topology('', '  specialist-dead-end: error'), { 'specialist-dead-end': 'off' })).toContain('specialist-dead-end error');
    expect(ids(topology('', '  handoff-description: off'), { 'handoff-description': 'error' }).join()).not.toMatch('handoff-description');
  });
});

describe('policy: mesh', () => {
  const starRules = RULES.filter((rule) => rule.policy === 'star').map((rule) => rule.id);

  it('marks the star-* rules, and only them, as star policy', () => {
    expect(starRules.sort()).toEqual(['star-handback-target', 'star-spoke-to-spoke']);
  });

  it('turns off exactly the rules with policy star', () => {
    const star = findings(topology('policy: star\n'));
    const mesh = findings(topology('policy: mesh\n'));
    expect(star.some((line) => starRules.some((id) => line.startsWith(`${id} `)))).toBe(true);
    expect(mesh).toEqual(star.filter((line) => !starRules.some((id) => line.startsWith(`${id} `))));
    expect(mesh).toEqual(['specialist-dead-end warning 10', 'handoff-description error 16']);
  });

  it('an explicit override beats mesh', () => {
    const text = topology('policy: mesh\n', '  star-spoke-to-spoke: warning');
    expect(findings(text)).toEqual([
      'specialist-dead-end warning 10',
      'handoff-description error 16',
      'star-spoke-to-spoke warning 22',
      'star-spoke-to-spoke warning 24',
    ]);
  });
});

describe('allowSpokeToSpoke', () => {
  it('opts a single edge out of star-spoke-to-spoke', () => {
    const text = topology().replace('  - from: sales\n    to: billing\n', '  - from: sales\n    to: billing\n    allowSpokeToSpoke: Prospects who are already customers settle an open invoice first.\n');
    const spokes = validateSource(text, PATH).diagnostics.filter((d) => d.ruleId === 'star-spoke-to-spoke');
    expect(spokes.map((d) => d.message)).toEqual(['`tech` hands off to `billing`, but in a star only `triage` routes between specialists']);
  });

  it('does not excuse a hand-back to a specialist', () => {
    const text = topology().replace('    to: billing\n    handback: true\n', '    to: billing\n    handback: true\n    allowSpokeToSpoke: Outage credits are issued by billing.\n');
    const ids = validateSource(text, PATH).diagnostics.map((d) => d.ruleId);
    expect(ids).toContain('star-handback-target');
    expect(ids.filter((id) => id === 'star-spoke-to-spoke')).toHaveLength(1);
  });
});

describe('rules the compiler relies on', () => {
  const broken = `version: 1
name: broken-refs
entry: triage
rules:
  unknown-reference: off
agents:
  triage:
    instructions: Route.
  billing:
    handoffDescription: Invoices.
    instructions: Bill.
    tools: [lookup_invoice]
handoffs:
  - from: triage
    to: [billing, ghost]
  - from: billing
    to: triage
    handback: true
`;

  it('cannot be switched off: the override is an error at its key and the findings stay errors', () => {
    const result = validateSource(broken, PATH);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.severity} ${d.range!.start.line}:${d.range!.start.column} ${d.message}`)).toEqual([
      'unknown-reference error 5:3 rule `unknown-reference` cannot be set to `off`: the compiler needs every reference resolved to emit code',
      'unknown-reference error 12:13 unknown tool `lookup_invoice`',
      'unknown-reference error 15:19 unknown agent `ghost`',
    ]);
  });

  it('cannot be lowered to a warning', () => {
    const result = validateSource(broken.replace('unknown-reference: off', 'unknown-reference: warning'), PATH);
    expect(result.diagnostics.filter((d) => d.ruleId === 'unknown-reference').map((d) => d.severity)).toEqual(['error', 'error', 'error']);
  });

  it('marks exactly the rules whose findings would break compile', () => {
    expect(RULES.filter((r) => r.required).map((r) => r.id).sort()).toEqual(['entry-exists', 'file-reference', 'unknown-reference']);
  });
});
