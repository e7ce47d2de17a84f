import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

let work: string;
async function switchboard(args: string[], cwd = work) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** A copy of a shipped topology inside the repository (so `@openai/agents` resolves), its modules removed. */
function copyTopology(name: string, keep: (file: string) => boolean = () => false): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  cpSync(fromRoot(`topologies/${name}.yaml`), join(dir, `${name}.yaml`));
  cpSync(fromRoot(`topologies/${name}`), join(dir, name), { recursive: true });
  for (const file of readdirSync(join(dir, name))) if (file.endsWith('.ts') && !keep(file)) rmSync(join(dir, name, file));
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(repoRoot, '.tmp-stubs-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('switchboard stubs', () => {
  it.each(['support-desk', 'airline', 'clinic-scheduling'])('stubs every module of %s so that the compiled wiring type-checks against them', async (name) => {
    const dir = copyTopology(name);
    const before = await switchboard(['validate', `${name}.yaml`], dir);
    expect(before.stdout).toContain('[file-reference]');
    const { code, stdout, stderr } = await switchboard(['stubs', `${name}.yaml`], dir);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^created /);
    expect(await switchboard(['validate', `${name}.yaml`], dir)).toMatchObject({ code: 0, stdout: 'No problems found in 1 file.\n' });
    expect((await switchboard(['compile', `${name}.yaml`, '--out', 'generated'], dir)).code).toBe(0);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: true, noUnusedLocals: true, noUnusedParameters: true, types: [] }, include: ['**/*.ts'] }),
    );
    const tsc = spawnSync(process.execPath, [fromRoot('node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    // A second run finds nothing to do.
    expect((await switchboard(['stubs', `${name}.yaml`], dir)).stdout).toBe('Nothing to write: every referenced export exists.\n');
  });

  it('appends only the missing exports to an existing module and never changes what is there', async () => {
    const dir = copyTopology('airline', (file) => file !== 'guardrails.ts');
    const tools = join(dir, 'airline/tools.ts');
    const original = readFileSync(tools, 'utf8');
    const kept = original.slice(0, original.indexOf('export interface FlightStatusParams'));
    writeFileSync(tools, kept);
    const { code, stdout } = await switchboard(['stubs', 'airline.yaml', '--dry-run'], dir);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'would create airline/guardrails.ts',
        '  relevanceGuardrail  input guardrail of `triage`',
        'would append to airline/tools.ts',
        '  flightStatus  implementation of the tool `get_flight_status`',
        '',
      ].join('\n'),
    );
    expect(readFileSync(tools, 'utf8')).toBe(kept);
    await switchboard(['stubs', 'airline.yaml'], dir);
    const after = readFileSync(tools, 'utf8');
    expect(after.startsWith(kept)).toBe(true);
    expect(after.slice(kept.length)).toContain('export async function flightStatus(args: {\n  flight_number: string;\n}, context?: RunContext<unknown>): Promise<unknown> {');
  });

  it('writes nothing when the topology does not load or fails the schema', async () => {
    const dir = copyTopology('airline');
    writeFileSync(join(dir, 'airline.yaml'), readFileSync(join(dir, 'airline.yaml'), 'utf8').replace('agents:', 'agentz:'));
    const { code, stdout, stderr } = await switchboard(['stubs', 'airline.yaml'], dir);
    expect(code).toBe(1);
    expect(stdout).toContain('[schema/');
    expect(stderr).toBe('switchboard: fix these problems first; no stubs were written\n');
    expect(readdirSync(join(dir, 'airline')).filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it('skips modules it cannot extend safely and says why', async () => {
    const dir = copyTopology('airline', (file) => file !== 'guardrails.ts');
    const yaml = join(dir, 'airline.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('airline/tools.ts#faqLookup', 'airline/legacy.js#faqLookup'));
    writeFileSync(join(dir, 'airline/guardrails.ts'), "export * from './tools.js';\n");
    const { code, stdout, stderr } = await switchboard(['stubs', 'airline.yaml'], dir);
    expect(code).toBe(0);
    expect(stderr).toBe(
      'switchboard: skipped airline/guardrails.ts: its exports cannot be read (`export *`, or unreadable)\n' +
        'switchboard: skipped airline/legacy.js: not a TypeScript module (stubs are typed)\n',
    );
    expect(stdout).toBe('Nothing written.\n');
    expect(readFileSync(join(dir, 'airline/guardrails.ts'), 'utf8')).toBe("export * from './tools.js';\n");
  });
});
