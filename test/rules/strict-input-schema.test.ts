import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build-model.js';
import { runRules } from '../../src/validate.js';
import strictInputSchema, { STRICT_LIMITS, STRICT_MODE_SOURCE, strictModeProblems } from '../../src/rules/strict-input-schema.js';

const files = { root: '/project', baseDir: '/project', byReference: new Map() };

/** The strict-mode findings for one tool whose parameters are `parameters`. */
function findings(parameters: Record<string, unknown>): string[] {
  const data = { version: 1, name: 'demo', entry: 'triage', agents: { triage: { instructions: 'Route.', tools: ['t'] } }, tools: { t: { description: 'T.', parameters, implementation: 'a.ts#b' } } };
  return runRules(buildModel(data, 'demo.yaml')!, files, [strictInputSchema]).map((d) => `${d.pointer} ${d.message}`);
}

const closed = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });
const many = (count: number, make: (i: number) => unknown) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, make(i)]));

describe('strict-input-schema limits', () => {
  it('cites the documented limits with their source', () => {
    expect(strictInputSchema.docs).toContain(STRICT_MODE_SOURCE);
    expect(STRICT_LIMITS).toMatchObject({ properties: 5000, nesting: 10, enumValues: 1000, totalStringLength: 120_000 });
  });

  it('allows 5000 object properties and reports 5001', () => {
    expect(findings(closed(many(5000, () => ({ type: 'string' }))))).toEqual([]);
    expect(findings(closed(many(5001, () => ({ type: 'string' }))))).toEqual(['/tools/t/parameters parameters of tool `t` has 5,001 object properties in all; strict mode allows 5,000']);
  });

  it('counts enum values across the whole schema', () => {
    const enums = (n: number) => closed(many(n, () => ({ type: 'string', enum: ['a', 'b', 'c', 'd'] })));
    expect(findings(enums(250))).toEqual([]);
    expect(findings(enums(251))).toEqual(['/tools/t/parameters parameters of tool `t` has 1,004 enum values in all; strict mode allows 1,000']);
  });

  it('limits the characters of one large string enum', () => {
    const values = (n: number, length: number) => Array.from({ length: n }, (_, i) => String(i).padStart(length, 'x'));
    expect(findings(closed({ code: { type: 'string', enum: values(251, 59) } }))).toEqual([]);
    expect(findings(closed({ code: { type: 'string', enum: values(251, 60) } }))).toEqual([
      '/tools/t/parameters/properties/code/enum parameters of tool `t`: this enum has 251 string values totalling 15060 characters; strict mode allows 15,000 characters in an enum of more than 250 values',
    ]);
  });

  it('limits the total length of names and enum and const values', () => {
    const long = (i: number) => ({ type: 'string', const: `${i}`.padEnd(29_990, 'y') });
    expect(findings(closed(many(4, long)))).toEqual([]);
    expect(findings(closed(many(4, (i) => ({ ...long(i), description: 'x' }))))).toEqual([]);
    expect(findings(closed({ ...many(4, long), extra: { type: 'string', enum: ['z'.repeat(100)] } }))).toEqual([
      '/tools/t/parameters parameters of tool `t` has 120,073 characters of property names, definition names, enum and const values; strict mode allows 120,000',
    ]);
  });

  it('checks objects in $defs and in anyOf branches, not only under properties', () => {
    expect(
      findings({
        ...closed({ a: { $ref: '#/$defs/A' }, b: { anyOf: [{ type: 'object', properties: {} }, { type: 'null' }] } }),
        $defs: { A: { type: 'object', properties: { x: { type: 'string' } } } },
      }).sort(),
    ).toEqual([
      '/tools/t/parameters/$defs/A parameters of tool `t`: strict mode needs `additionalProperties: false` on every object',
      '/tools/t/parameters/$defs/A/properties/x parameters of tool `t`: property `x` is not in `required`; strict mode needs every property there',
      '/tools/t/parameters/properties/b/anyOf/0 parameters of tool `t`: strict mode needs `additionalProperties: false` on every object',
    ]);
  });

  it('reports the documented unsupported keywords as unsupported', () => {
    expect(findings({ ...closed({ a: { type: 'string' } }), allOf: [{ required: ['a'] }] })).toEqual(['/tools/t/parameters/allOf parameters of tool `t`: `allOf` is not supported in strict mode']);
    expect(findings(closed({ a: { type: 'array', items: { type: 'string' }, uniqueItems: true } }))).toEqual([
      "/tools/t/parameters/properties/a/uniqueItems parameters of tool `t`: `uniqueItems` is not in strict mode's documented subset of JSON Schema",
    ]);
  });
});

describe('strictModeProblems', () => {
  it('checks a schema outside a topology, with pointers from its root', () => {
    expect(strictModeProblems({ type: 'object', properties: { a: { type: 'string', format: 'emial' } }, required: ['a'], additionalProperties: false })).toEqual([
      expect.objectContaining({ pointer: '/properties/a/format', suggestion: 'email' }),
    ]);
    expect(strictModeProblems({ type: 'object', properties: {}, required: [], additionalProperties: false })).toEqual([]);
  });
});
