import { readFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { compileTopology } from '../../../src/compile.js';
import { lit } from '../../../src/emit/code.js';
import { array, arrow, assignment, call, object, render, str, unionType } from '../../../src/emit/typescript/layout.js';
import { validateSource } from '../../../src/validate.js';
import { fromRoot } from '../../helpers/paths.js';

// The options compile's output is held to: what the project's own prettier would do with it.
const PRETTIER = { parser: 'typescript', printWidth: 100, tabWidth: 2, singleQuote: false, trailingComma: 'all', semi: true, endOfLine: 'lf' } as const;
const expectPrettierStable = async (text: string) => expect(await prettier.format(text, PRETTIER)).toBe(text);

async function compileText(yaml: string, path = fromRoot('topologies/layout-case.yaml')) {
  const result = validateSource(yaml, path);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileTopology(result, { outDir: fromRoot('generated') });
}

describe('layout', () => {
  it('keeps groups on one line when they fit and breaks them like prettier when they do not', () => {
    expect(render(object([['a', '1'], ['b', str('"x"')]]), 0, 'const o = ', ';')).toBe('const o = { a: 1, b: "x" };');
    const long = str(lit('x'.repeat(90)));
    expect(render(object([['description', long]]), 0, 'const o = ', ';')).toBe(`const o = {\n  description:\n    "${'x'.repeat(90)}",\n};`);
    expect(render(array(['a', 'b'], '.join("\\n")'), 2, 'k: ', ',')).toBe('  k: [a, b].join("\\n"),');
    expect(render(arrow('(args)', `fn(${'a'.repeat(90)})`), 2, 'execute: ', ',')).toBe(`  execute: (args) =>\n    fn(${'a'.repeat(90)}),`);
    expect(render(call('push', ['handoff(a)']), 0, 'x.', ';')).toBe('x.push(handoff(a));');
    expect(render(call('handoff', ['a', object([['k', 'v']], true)]), 0)).toBe('handoff(a, {\n  k: v,\n})');
    expect(assignment(`const ${'x'.repeat(60)}: T`, `${'m'.repeat(40)}.y`)).toBe(`const ${'x'.repeat(60)}: T =\n  ${'m'.repeat(40)}.y;`);
    expect(unionType(['"a"', '"b"'], 2, 'k: ', ';')).toBe('  k: "a" | "b";');
    expect(unionType(Array.from({ length: 12 }, (_, i) => `"value-${i}"`), 2, 'k: ', ';').split('\n')[1]).toBe('    | "value-0"');
  });

  it('quotes strings as prettier does', () => {
    expect(lit('plain')).toBe('"plain"');
    expect(lit('say "hi"')).toBe(`'say "hi"'`);
    expect(lit(`it's "x" and 'y' and 'z'`)).toBe(`"it's \\"x\\" and 'y' and 'z'"`);
    expect(lit('\u2028')).toBe('"\\u2028"');
  });
});

describe('compiled TypeScript is formatted (prettier leaves it unchanged)', () => {
  it.each(['support-desk', 'clinic-scheduling', 'airline'])('for %s', async (name) => {
    for (const file of ['agents.ts', 'index.ts']) await expectPrettierStable(readFileSync(fromRoot('generated', name, file), 'utf8'));
  });

  it('for the support desk voice session', async () => {
    await expectPrettierStable(readFileSync(fromRoot('generated', 'support-desk', 'voice.ts'), 'utf8'));
    await expectPrettierStable(readFileSync(fromRoot('test/fixtures/compile/voice/generated/voice-tour/voice.ts'), 'utf8'));
  });

  it('for the feature-tour fixture', async () => {
    for (const file of ['agents.ts', 'index.ts']) await expectPrettierStable(readFileSync(fromRoot('test/fixtures/compile/features/generated/feature-tour', file), 'utf8'));
  });

  it('for long names, long strings, quotes, long enums and many tools', async () => {
    const tools = Array.from({ length: 12 }, (_, i) => `tool_number_${i}_with_a_rather_long_name`);
    const yaml = [
      'version: 1',
      'name: layout-case',
      'entry: a_very_long_triage_agent_identifier',
      'agents:',
      '  a_very_long_triage_agent_identifier:',
      `    instructions: ${JSON.stringify(`Say "hello" to the caller. ${'word '.repeat(30)}`)}`,
      '  spec:',
      `    handoffDescription: ${JSON.stringify(`It's the one 'specialist' for "everything" ${'else '.repeat(20)}`)}`,
      '    instructions: "Line one.\\nLine two is here.\\n"',
      '    modelSettings: { temperature: 0.3, topP: 0.9, maxTokens: 2048, parallelToolCalls: false, reasoning: { effort: low, summary: auto } }',
      `    tools: [${tools.join(', ')}]`,
      'tools:',
      ...tools.flatMap((t) => [
        `  ${t}:`,
        `    description: ${JSON.stringify(`Does thing ${t} ${'carefully '.repeat(12)}`)}`,
        '    parameters:',
        '      type: object',
        '      properties:',
        `        choice: { type: string, enum: [${Array.from({ length: 14 }, (_, i) => `option-number-${i}`).join(', ')}] }`,
        '        note: { type: [string, "null"], description: "A note with \\"quotes\\" in it" }',
        '      required: [choice, note]',
        '      additionalProperties: false',
        '    implementation: support-desk/billing.ts#lookupInvoice',
      ]),
      'handoffs:',
      '  - { from: a_very_long_triage_agent_identifier, to: spec, toolName: transfer_to_the_specialist_with_a_long_name, description: "A description that is long enough to wrap the override past one hundred columns." }',
      '  - { from: spec, to: a_very_long_triage_agent_identifier, handback: true, filter: [removeAllTools, { keepLast: 4 }] }',
      'rules: { unused-definition: off, triage-tools: off }',
      '',
    ].join('\n');
    const files = await compileText(yaml);
    for (const file of files.filter((f) => f.path.endsWith('.ts'))) await expectPrettierStable(file.contents);
  });
});
