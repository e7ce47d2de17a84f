import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/validate.js';
import { validateSchema } from '../../src/schema/validate-schema.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { fromRoot } from '../helpers/paths.js';

const FIXTURES = fromRoot('test/schema/fixtures/embedded');
const format = (d: Diagnostic) => `${d.range!.start.line}:${d.range!.start.column}-${d.range!.end.line}:${d.range!.end.column} ${d.severity} ${d.ruleId} ${d.message}`;

const base = { version: 1, name: 'demo', entry: 'triage', agents: { triage: { instructions: 'Route.' } } };
const tool = (parameters: unknown) => ({ ...base, tools: { lookup: { description: 'Look up.', parameters, implementation: 'a.ts#b' } } });

describe('embedded JSON Schemas (schema/embedded)', () => {
  it('locates every problem in tool parameters, `schemas:`, handoff inputs and outputs, with did-you-mean', () => {
    const expected = readFileSync(`${FIXTURES}/expected.txt`, 'utf8').split('\n').filter(Boolean);
    const found = validateFile(`${FIXTURES}/fail.yaml`).diagnostics.filter((d) => d.ruleId === 'schema/embedded').map(format);
    expect(found).toEqual(expected);
  });

  it('accepts valid draft-07 schemas with $defs, $ref, anyOf, formats and patterns', () => {
    expect(validateFile(`${FIXTURES}/pass.yaml`).diagnostics.map(format)).toEqual([]);
  });

  it('reports `type: strin` in tool parameters, which used to pass', () => {
    const drafts = validateSchema(tool({ type: 'object', properties: { id: { type: 'strin' } }, required: ['id'], additionalProperties: false }));
    expect(drafts).toEqual([expect.objectContaining({ ruleId: 'schema/embedded', pointer: '/tools/lookup/parameters/properties/id/type', suggestion: 'string' })]);
  });

  it('reports misspelt keywords on the key, with the keyword they were meant to be', () => {
    const drafts = validateSchema(tool({ type: 'object', properties: {}, requird: [], additionalProperty: false }));
    expect(drafts.map((d) => [d.pointer, d.onKey, d.suggestion])).toEqual([
      ['/tools/lookup/parameters/requird', true, 'required'],
      ['/tools/lookup/parameters/additionalProperty', true, 'additionalProperties'],
    ]);
  });

  it('says each problem once when the topology schema already reports it', () => {
    const drafts = validateSchema(tool({ type: 5, properties: { a: 'text' } }));
    expect(drafts.map((d) => `${d.ruleId} ${d.pointer}`).sort()).toEqual([
      'schema/type /tools/lookup/parameters/properties/a',
      'schema/type /tools/lookup/parameters/type',
    ]);
  });

  it('walks every subschema position, however deep, without recursion limits', () => {
    let schema: Record<string, unknown> = { type: 'strnig' };
    for (let i = 0; i < 2000; i++) schema = { type: 'array', items: schema };
    const drafts = validateSchema(tool({ type: 'object', properties: { deep: schema }, required: ['deep'], additionalProperties: false }));
    expect(drafts).toEqual([expect.objectContaining({ ruleId: 'schema/embedded', suggestion: 'string' })]);
    expect(drafts[0]!.pointer.endsWith('/items/type')).toBe(true);
  });

  it('is precompiled by the build next to the topology validator', () => {
    const precompiled = createRequire(import.meta.url)(fromRoot('dist/schema/topology-validator.cjs')) as Record<string, unknown>;
    expect(typeof precompiled.topology).toBe('function');
    expect(typeof precompiled.embedded).toBe('function');
  });
});

describe('embedded schema messages', () => {
  it('names a repeated `required` entry at the repeat', () => {
    const drafts = validateSchema(tool({ type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'a'], additionalProperties: false }));
    expect(drafts).toEqual([expect.objectContaining({ pointer: '/tools/lookup/parameters/required/1', message: '`required` lists the same value twice (items 1 and 2)' })]);
  });
});

describe('embedded schema $ref', () => {
  it('reports a malformed or remote $ref instead of throwing', () => {
    const at = (ref: string) => validateSchema(tool({ type: 'object', properties: { a: { $ref: ref } }, required: ['a'], additionalProperties: false })).map((d) => d.message);
    expect(at('#/%E0%A4%A')).toEqual(['`$ref` "#/%E0%A4%A" is not a JSON pointer such as `#/$defs/Name`']);
    expect(at('https://example.com/s.json')).toEqual(['`$ref` "https://example.com/s.json" points outside this schema']);
    expect(at('#')).toEqual([]);
  });
});
