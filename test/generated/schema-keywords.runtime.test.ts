/**
 * The schema-keywords fixture (every schema keyword, every kind of handoff, agents with outputs),
 * compiled and run: what type-checks also runs, and the schemas reach the model request unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTopology } from '../../src/compile.js';
import { validateFile } from '../../src/validate.js';
import { writeOutput } from '../../src/emit/write-output.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';
import { call, offeredTools, say, ScriptedModelProvider } from '../helpers/scripted-model.js';

type Run = (input: string, options: object) => Promise<{ finalOutput: unknown; lastAgent?: { name: string } }>;

let dir: string;
let run: Run;

beforeAll(async () => {
  const result = validateFile(fromRoot('test/fixtures/compile/schema-keywords/topology.yaml'));
  dir = mkdtempSync(join(repoRoot, '.tmp-schema-keywords-'));
  writeOutput(dir, await compileTopology(result, { outDir: dir }));
  run = ((await import(pathToFileURL(join(dir, 'schema-keywords/index.ts')).href)) as { runSchemaKeywords: Run }).runSchemaKeywords;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('generated schema-keywords fixture', () => {
  it('hands off to an agent with a structured output and returns the parsed object', async () => {
    const report = { severity: 'high', score: 2.5, status: 'done', note: null, matrix: [[1, 2]] };
    const provider = new ScriptedModelProvider([
      (request) => {
        expect(offeredTools(request).sort()).toEqual(['ask_summary', 'ask_twin', 'transfer_to_Report_Agent', 'transfer_to_Summary_Agent']);
        const escalation = request.handoffs.find((h) => h.toolName === 'transfer_to_Summary_Agent');
        expect(escalation?.inputJsonSchema).toMatchObject({ title: 'Escalation', examples: [{ reason: 'x', level: 1 }] });
        return [call('transfer_to_Report_Agent', {})];
      },
      (request) => {
        expect(request.systemInstructions).toMatch(/^# System context[\s\S]*\n\nReport on the case\.$/);
        expect(request.outputType).toMatchObject({ type: 'json_schema', strict: true, schema: { title: 'Report', $defs: { Severity: { enum: ['low', 'high'] } } } });
        return [say(JSON.stringify(report))];
      },
    ]);
    const result = await run('Write the report for case C-1.', { modelProvider: provider, tracingDisabled: true, context: { caseId: 'C-1' } });
    expect(result.lastAgent?.name).toBe('Report Agent');
    expect(result.finalOutput).toEqual(report);
  });
});
