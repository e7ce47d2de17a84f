import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';

const root = mkdtempSync(join(tmpdir(), 'switchboard-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function init(cwd: string, args: string[] = []) {
  let stdout = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, cwd, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await runCli(['init', ...args], io);
  return { code, stdout };
}

const fakePackage = (dir: string, name: string, extra: Record<string, string> = {}) => {
  mkdirSync(join(dir, 'node_modules', name), { recursive: true });
  writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
  for (const [path, text] of Object.entries(extra)) {
    mkdirSync(join(dir, 'node_modules', name, path, '..'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, path), text);
  }
};
const modeline = (dir: string, name: string) => readFileSync(join(dir, `topologies/${name}.yaml`), 'utf8').split('\n', 1)[0];

describe('switchboard init', () => {
  it('names the packages the generated code needs, and TypeScript, when they are missing', async () => {
    const dir = join(root, 'bare');
    mkdirSync(dir);
    const result = await init(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'The generated code imports @openai/agents and zod, and the tool stubs are TypeScript; install what is missing:\n  npm install @openai/agents@~0.20.0 zod@^4\n  npm install --save-dev typescript\nNext: implement the tools in topologies/bare/tools.ts',
    );
    // No switchboard installed yet: where `npm install switchboard` will put the schema.
    expect(modeline(dir, 'bare')).toBe('# yaml-language-server: $schema=../node_modules/switchboard/schema/topology.schema.json');
  });

  it('says nothing of packages already installed, and points the modeline at the schema the project resolves', async () => {
    const workspace = join(root, 'workspace');
    fakePackage(workspace, 'switchboard', { 'schema/topology.schema.json': '{}' });
    for (const name of ['@openai/agents', 'zod', 'typescript']) fakePackage(workspace, name);
    const dir = join(workspace, 'packages/app');
    mkdirSync(dir, { recursive: true });
    const result = await init(dir, ['--name', 'app']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('npm install');
    expect(modeline(dir, 'app')).toBe('# yaml-language-server: $schema=../../../node_modules/switchboard/schema/topology.schema.json');
  });
});
