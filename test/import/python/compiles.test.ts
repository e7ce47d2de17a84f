import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { stringify } from 'yaml';
import { compileTopology } from '../../../src/compile.js';
import { sideModuleFileName } from '../../../src/import/python/index.js';
import { writeOutput } from '../../../src/emit/write-output.js';
import { validateFile } from '../../../src/validate.js';
import { fromRoot, repoRoot } from '../../helpers/paths.js';
import { importFixture, outFileOf } from './helpers.js';

// The stubs must have the types the generated code expects of tools, hooks, predicates, filters,
// guardrails, dynamic instructions and the run context: compile the imports and type-check them.
test('imported topologies compile, and tsc accepts the generated code with the stubs', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(repoRoot, '.tmp-tsc-import-py-'));
  try {
    for (const [fixture, entry] of [['support_desk.py'], ['dynamic.py'], ['sdk-examples/customer_service.py'], ['sdk-examples/message_filter.py', 'second_agent']] as const) {
      const result = await importFixture(fixture, entry);
      const outFile = outFileOf(fixture);
      const folder = join(dir, outFile.replace(/\.yaml$/, ''));
      mkdirSync(folder);
      writeFileSync(join(folder, outFile), stringify(result.document));
      writeFileSync(join(folder, sideModuleFileName(outFile)), [...result.sideModuleImports, ...result.sideModule.map((e) => e.code)].join('\n\n'));
      const validation = validateFile(join(folder, outFile), { root: dir });
      expect(validation.ok, JSON.stringify(validation.diagnostics)).toBe(true);
      writeOutput(join(folder, 'generated'), await compileTopology(validation, { outDir: join(folder, 'generated') }));
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['**/*.ts'] }));
    const tsc = spawnSync(process.execPath, [fromRoot('node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
