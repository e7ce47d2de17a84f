import { transformSync } from 'esbuild';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { compileTopology } from '../../../src/compile.js';
import { ARGUMENT_CHECK } from '../../../src/emit/typescript/emit-validators.js';
import { validateSource } from '../../../src/validate.js';
import { fromRoot } from '../../helpers/paths.js';

// The argument check exactly as every agents.ts carries it, evaluated on its own: the shipped
// topologies use only part of the keywords, so each keyword is exercised here against small schemas.
type Schema = Record<string, unknown>;
type Check = {
  argumentProblems: (schema: Schema, value: unknown) => string[];
  validated: (schema: Schema, implementation: (args: unknown) => unknown) => (args: unknown) => unknown;
};
const { code } = transformSync(`${ARGUMENT_CHECK.join('\n')}\nreturn { argumentProblems, validated };`, { loader: 'ts' });
const { argumentProblems, validated } = new Function(code)() as Check;

const object = (properties: Schema, extra: Schema = {}): Schema => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false, ...extra });

describe('the generated argument check', () => {
  it.each<[string, Schema, unknown, string[]]>([
    ['type', object({ n: { type: 'number' } }), { n: '1' }, ['arguments.n must be of type number']],
    ['integer', object({ n: { type: 'integer' } }), { n: 1.5 }, ['arguments.n must be of type integer']],
    ['nullable type list', object({ s: { type: ['string', 'null'] } }), { s: 3 }, ['arguments.s must be of type string or null']],
    ['required', object({ a: { type: 'string' }, b: { type: 'string' } }), { a: 'x' }, ['arguments needs "b"']],
    ['additionalProperties: false', object({ a: { type: 'string' } }), { a: 'x', b: 1 }, ['arguments.b is not a parameter']],
    ['additionalProperties schema', { type: 'object', additionalProperties: { type: 'string' } }, { a: 1 }, ['arguments.a must be of type string']],
    ['pattern', object({ id: { type: 'string', pattern: '^INV-[0-9]{4,}$' } }), { id: 'INV-12' }, ['arguments.id must match "^INV-[0-9]{4,}$"']],
    ['minimum', object({ n: { type: 'number', minimum: 0.01 } }), { n: 0 }, ['arguments.n must be >= 0.01']],
    ['maximum', object({ n: { type: 'number', maximum: 10 } }), { n: 11 }, ['arguments.n must be <= 10']],
    ['exclusive bounds', object({ n: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 } }), { n: 1 }, ['arguments.n must be < 1']],
    ['multipleOf', object({ n: { type: 'number', multipleOf: 0.01 } }), { n: 1.005 }, ['arguments.n must be a multiple of 0.01']],
    ['minLength (code points)', object({ s: { type: 'string', minLength: 2 } }), { s: '😀' }, ['arguments.s must be at least 2 characters']],
    ['maxLength', object({ s: { type: 'string', maxLength: 2 } }), { s: 'abc' }, ['arguments.s must be at most 2 characters']],
    ['enum', object({ c: { type: 'string', enum: ['USD', 'EUR'] } }), { c: 'JPY' }, ['arguments.c must be one of ["USD","EUR"]']],
    ['const', object({ v: { const: 1 } }), { v: 2 }, ['arguments.v must be 1']],
    ['items', object({ l: { type: 'array', items: { type: 'string' } } }), { l: ['a', 2] }, ['arguments.l[1] must be of type string']],
    ['minItems / maxItems', object({ l: { type: 'array', minItems: 1, maxItems: 2 } }), { l: [] }, ['arguments.l must have at least 1 items']],
    ['uniqueItems', object({ l: { type: 'array', uniqueItems: true } }), { l: [{ a: 1 }, { a: 1 }] }, ['arguments.l must not repeat items']],
    ['nested objects', object({ o: object({ x: object({ y: { type: 'boolean' } }) }) }), { o: { x: { y: 'no', z: 1 } } }, ['arguments.o.x.y must be of type boolean', 'arguments.o.x.z is not a parameter']],
    ['anyOf', object({ v: { anyOf: [{ type: 'string' }, { type: 'null' }] } }), { v: 1 }, ['arguments.v matches none of the allowed shapes']],
    ['local $ref', { ...object({ p: { $ref: '#/$defs/point' } }), $defs: { point: object({ x: { type: 'number' } }) } }, { p: { x: 'a' } }, ['arguments.p.x must be of type number']],
    ['a root that is not an object', object({}), 'text', ['arguments must be of type object']],
  ])('%s', (_, schema, value, problems) => {
    expect(argumentProblems(schema, value)).toEqual(problems);
  });

  it.each<[string, string[], string[]]>([
    ['date', ['2026-02-28', '2024-02-29'], ['2026-02-30', '2026-2-1', '20260201']],
    ['date-time', ['2026-11-20T09:00:00Z', '2026-11-20T09:00:00.5+01:00'], ['2026-11-20T09:00:00', '2026-11-20T24:00:00Z', '2026-13-01T00:00:00Z']],
    ['time', ['09:30:00', '23:59:59Z'], ['24:00:00', '9:30']],
    ['duration', ['P1D', 'PT1H30M', 'P1Y2M'], ['P', 'PT', '1D']],
    ['email', ['a.b@example.com'], ['a@b', 'a b@example.com', '@example.com']],
    ['hostname', ['api.example.com', 'localhost'], ['-bad.example.com', 'a..b']],
    ['ipv4', ['192.168.0.1'], ['256.1.1.1', '1.2.3', '01.2.3.4']],
    ['ipv6', ['::1', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1'], ['1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0']],
    ['uuid', ['123e4567-e89b-12d3-a456-426614174000'], ['123e4567e89b12d3a456426614174000']],
  ])('format %s', (format, valid, invalid) => {
    const schema = { type: 'string', format };
    for (const text of valid) expect(argumentProblems(schema, text), text).toEqual([]);
    for (const text of invalid) expect(argumentProblems(schema, text), text).toEqual([`arguments must be a valid ${format}`]);
  });

  it('ignores formats it does not know (they are annotations) and accepts valid arguments', () => {
    expect(argumentProblems({ type: 'string', format: 'x-custom' }, 'anything')).toEqual([]);
    expect(argumentProblems(object({ id: { type: 'string', pattern: '^A' }, n: { type: ['integer', 'null'] } }), { id: 'A1', n: null })).toEqual([]);
  });

  it('reports at most five problems and never the value the model sent', () => {
    const schema = object(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, { type: 'string' }])));
    const problems = argumentProblems(schema, Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, `SECRET-${i}`.length])));
    expect(problems).toHaveLength(5);
    expect(argumentProblems(object({ s: { type: 'string', pattern: '^x' } }), { s: 'SECRET' }).join()).not.toContain('SECRET');
  });

  it('runs the implementation only with valid arguments, and answers invalid ones with what to fix', () => {
    const calls: unknown[] = [];
    const execute = validated(object({ n: { type: 'integer', maximum: 3 } }), (args) => (calls.push(args), 'ran'));
    expect(execute({ n: 2 })).toBe('ran');
    expect(execute({ n: 4 })).toBe('Invalid arguments, so the tool did not run: arguments.n must be <= 3. Call it again with corrected arguments.');
    expect(calls).toEqual([{ n: 2 }]);
  });
});

describe('tool emission', () => {
  it('declares each parameters schema once, passes it to tool() and to the check, and stays prettier-formatted with long names', async () => {
    const id = 'look_up_the_complete_invoice_history_of_an_enterprise_customer_x'; // 64 characters, the limit
    const yaml = [
      'version: 1',
      'name: long-tool',
      'entry: triage',
      'agents:',
      '  triage: { instructions: Route., tools: [' + id + '] }',
      'tools:',
      `  ${id}:`,
      '    description: Look it up.',
      '    parameters: { type: object, properties: { id: { type: string, pattern: "^A" } }, required: [id], additionalProperties: false }',
      '    implementation: support-desk/billing.ts#lookupInvoice',
      'rules: { triage-tools: off }',
      '',
    ].join('\n');
    const result = validateSource(yaml, fromRoot('topologies/long-tool.yaml'));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const agents = (await compileTopology(result, { outDir: fromRoot('generated') })).find((f) => f.path.endsWith('agents.ts'))!.contents;
    const PRETTIER = { parser: 'typescript', printWidth: 100, tabWidth: 2, singleQuote: false, trailingComma: 'all', semi: true, endOfLine: 'lf' } as const;
    expect(await prettier.format(agents, PRETTIER)).toBe(agents);
    const constant = 'lookUpTheCompleteInvoiceHistoryOfAnEnterpriseCustomerXParameters';
    expect(agents).toContain(`const ${constant} = {`);
    expect(agents).toContain(`  parameters: ${constant},`);
    expect(agents).toContain(`  execute: validated(\n    ${constant},\n    lookupInvoice,\n  ),`);
  });
});
