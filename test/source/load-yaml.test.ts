import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/source/load-yaml.js';
import { validateSource } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';

const file = fromRoot('test/fixtures/inline.yaml');
/** `line:col ruleId` of every diagnostic: the shape loading errors are asserted in. */
const located = (input: string | Uint8Array) => validateSource(input, file).diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.ruleId}`);

describe('loading YAML', () => {
  it.each([
    ['a syntax error', 'version: 1\nname: [unclosed\n', ['3:1 yaml/bad-indent']],
    ['tabs as indentation', 'version: 1\nagents:\n\ttriage: {}\n', ['3:1 yaml/tab-as-indent']],
    ['a duplicate key, at the second occurrence', 'version: 1\nname: a\nname: b\n', ['3:1 yaml/duplicate-key']],
    ['several documents', 'version: 1\n---\nversion: 1\n', ['2:1 source/multiple-documents']],
    ['a custom tag', 'version: 1\nname: !!js/function "function(){}"\n', ['2:7 source/custom-tag']],
    ['an empty file', '', ['1:1 source/empty']],
    ['a file of comments', '# nothing here\n', ['1:1 source/empty']],
    ['a list at the root', '- a\n- b\n', ['1:1 schema/type']],
    ['a scalar at the root', 'hello\n', ['1:1 schema/type']],
  ])('reports %s as a located error', (_name, input, expected) => {
    expect(located(input)).toEqual(expected);
  });

  it('stops an alias bomb ("billion laughs") before expanding it', () => {
    const rows = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcde'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcd'[i]}`).join(',')}]`)];
    expect(located(rows.join('\n') + '\n')).toEqual(['5:8 source/alias-limit']);
  });

  it('limits the number of aliases', () => {
    const rows = ['anchor: &x 1', ...Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `k${i}: *x`)];
    expect(located(rows.join('\n'))).toEqual([`${LIMITS.maxAliases + 2}:7 source/alias-limit`]);
  });

  it('limits nesting depth', () => {
    expect(located(`a: ${'['.repeat(100)}${']'.repeat(100)}\n`)).toEqual(['1:68 source/too-deep']);
  });

  it('rejects files over the size limit without parsing them', () => {
    const big = `description: "${'x'.repeat(LIMITS.maxFileBytes)}"\n`;
    const [diagnostic] = validateSource(big, file).diagnostics;
    expect(diagnostic).toMatchObject({ ruleId: 'source/too-large', range: { start: { line: 1, column: 1 } } });
    expect(diagnostic!.message).toMatch(/^file is 10,485,776 bytes \(10\.0 MiB\); the limit is 10,485,760 bytes/);
  });

  it('locates invalid UTF-8 at its line and column', () => {
    const bytes = new Uint8Array([...Buffer.from('version: 1\nname: ab'), 0xff, 0x0a]);
    const [diagnostic] = validateSource(bytes, file).diagnostics;
    expect(diagnostic).toMatchObject({ ruleId: 'source/encoding', range: { start: { line: 2, column: 9 } } });
    expect(diagnostic!.message).toContain('0xff');
  });

  it('accepts a byte-order mark', () => {
    const text = '\ufeffversion: 1\nname: bom\nentry: a\nagents:\n  a: { instructions: hi }\n';
    expect(validateSource(text, file).diagnostics).toEqual([]);
  });

  it('explains that merge keys are not supported', () => {
    const text = 'version: 1\nname: a\nentry: a\nagents:\n  a:\n    <<: { model: x }\n    instructions: hi\n';
    const [diagnostic] = validateSource(text, file).diagnostics;
    expect(diagnostic).toMatchObject({ ruleId: 'schema/unknown-key', range: { start: { line: 6, column: 5 } } });
    expect(diagnostic!.message).toMatch(/merge keys/);
  });

  it('reports an unreadable file as a diagnostic, not a crash', async () => {
    const { validateFile } = await import('../../src/validate.js');
    const result = validateFile(fromRoot('test/fixtures/does-not-exist.yaml'), { displayPath: 'does-not-exist.yaml' });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([{ ruleId: 'source/unreadable', severity: 'error', message: 'file not found', file: 'does-not-exist.yaml', pointer: '' }]);
  });
});
