import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../src/schema/validate-schema.js';
import { RULES } from '../../src/rules/index.js';
import { fromRoot } from '../helpers/paths.js';

const base = { version: 1, name: 'demo', entry: 'triage', agents: { triage: { instructions: 'Route.' } } };
const check = (patch: Record<string, unknown>) => validateSchema({ ...base, ...patch }).map((d) => ({ ruleId: d.ruleId, pointer: d.pointer, message: d.message, suggestion: d.suggestion }));

describe('schema validation', () => {
  it('accepts a minimal topology', () => {
    expect(validateSchema(base)).toEqual([]);
  });

  it('reports an unknown key on the key, with did-you-mean and the allowed keys', () => {
    const [d] = validateSchema({ ...base, agents: { triage: { instructions: 'x', modle: 'gpt-4o' } } });
    expect(d).toMatchObject({ ruleId: 'schema/unknown-key', pointer: '/agents/triage/modle', onKey: true, suggestion: 'model' });
    expect(d!.hint).toContain('`handoffDescription`');
  });

  it('does not also report a missing key that a misspelt key explains', () => {
    const tool = { descripton: 'x', parameters: { type: 'object' }, implementation: 'a.ts#b' };
    expect(check({ tools: { t: tool } })).toEqual([
      { ruleId: 'schema/unknown-key', pointer: '/tools/t/descripton', message: 'unknown key `descripton` in `t`; did you mean `description`?', suggestion: 'description' },
    ]);
  });

  it('collapses anyOf cascades into one message per problem', () => {
    expect(check({ handoffs: [{ from: 3, to: 'x' }] })).toEqual([
      { ruleId: 'schema/type', pointer: '/handoffs/0/from', message: '`from` must be an agent id or a list of agent ids, not the number 3', suggestion: undefined },
    ]);
    expect(check({ handoffs: [{ from: 'a', to: 'b', filter: ['removeAllTool'] }] })).toEqual([
      expect.objectContaining({ pointer: '/handoffs/0/filter/0', suggestion: 'removeAllTools' }),
    ]);
    expect(check({ handoffs: [{ from: 'a', to: 'b', filter: [{ keepLast: 0 }] }] })).toEqual([
      expect.objectContaining({ ruleId: 'schema/minimum', pointer: '/handoffs/0/filter/0/keepLast' }),
    ]);
  });

  it('picks the branch that matches the value: a string of the wrong shape is a pattern error', () => {
    expect(check({ handoffs: [{ from: 'a', to: 'b', filter: 'Clean' }] })).toEqual([
      expect.objectContaining({ ruleId: 'schema/pattern', pointer: '/handoffs/0/filter', message: expect.stringContaining('filter name') }),
    ]);
  });

  it('explains patterns in words', () => {
    expect(check({ agents: { Triage: { instructions: 'x' } } })).toEqual([
      expect.objectContaining({ ruleId: 'schema/pattern', pointer: '/agents/Triage', message: expect.stringContaining('is not an agent id') }),
    ]);
    expect(check({ tools: { 'lookup-invoice': { description: 'x', parameters: { type: 'object' }, implementation: 'a.ts#b' } } })).toEqual([
      expect.objectContaining({ pointer: '/tools/lookup-invoice', message: expect.stringContaining('the name the model sees') }),
    ]);
  });

  it('rejects instructions and instructionsFile together', () => {
    expect(check({ agents: { triage: { instructions: 'x', instructionsFile: 'p.md' } } })).toEqual([
      expect.objectContaining({ ruleId: 'schema/instructions', pointer: '/agents/triage/instructionsFile' }),
    ]);
  });

  it('suggests rule ids and validates rule options', () => {
    expect(check({ rules: { 'triage-tool': 'off' } })[0]).toMatchObject({ suggestion: 'triage-tools' });
    expect(check({ rules: { 'fan-out': { max: 0 } } })[0]).toMatchObject({ ruleId: 'schema/minimum', pointer: '/rules/fan-out/max' });
    expect(check({ rules: { 'fan-out': 'warn' } })[0]).toMatchObject({ suggestion: 'warning' });
  });

  it('lists exactly the registered rules under `rules`', () => {
    const schema = JSON.parse(readFileSync(fromRoot('schema/topology.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});
