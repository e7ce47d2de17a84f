/**
 * Output safety of `writeOutput`: temp file then rename, unchanged files untouched, nothing written
 * outside the output folder (`..`, absolute paths, symlinked folders and files), and a failure part
 * way through leaves the previous output as it was, without temporary files.
 */
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsafeOutputError, writeOutput, type OutputFile } from '../../src/emit/write-output.js';
import { snapshotTree, TEMP_FILE } from './support.js';

let root: string;
let out: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'switchboard-out-'));
  out = join(root, 'out');
  outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.ts'), 'outside, must not change\n');
});
afterEach(() => {
  chmodSync(root, 0o755);
  if (existsSync(join(out, 't'))) chmodSync(join(out, 't'), 0o755);
  rmSync(root, { recursive: true, force: true });
});

const v1: OutputFile[] = [
  { path: 't/agents.ts', contents: 'export const version = 1;\n' },
  { path: 't/index.ts', contents: 'export * from "./agents.js";\n' },
];
const v2: OutputFile[] = [
  { path: 't/agents.ts', contents: 'export const version = 2;\n' },
  { path: 't/index.ts', contents: 'export * from "./agents.js"; // v2\n' },
];
const read = (path: string) => readFileSync(join(out, path), 'utf8');
const temps = () => [...snapshotTree(root).keys()].filter((k) => TEMP_FILE.test(k));
/** The folder next to the output holds exactly what it held before. */
function outsideUntouched(): void {
  expect(readdirSync(outside)).toEqual(['secret.ts']);
  expect(readFileSync(join(outside, 'secret.ts'), 'utf8')).toBe('outside, must not change\n');
}

describe('writeOutput', () => {
  it('writes every file, creating folders, and leaves no temporary files', () => {
    expect(writeOutput(out, v1)).toEqual(['t/agents.ts', 't/index.ts']);
    expect(read('t/agents.ts')).toBe(v1[0]!.contents);
    expect(read('t/index.ts')).toBe(v1[1]!.contents);
    expect(temps()).toEqual([]);
  });

  it('replaces a file by renaming a new one into place (a hard link to the old file keeps the old bytes)', () => {
    writeOutput(out, v1);
    const before = statSync(join(out, 't/agents.ts')).ino;
    linkSync(join(out, 't/agents.ts'), join(root, 'old-agents.ts'));
    writeOutput(out, v2);
    // Written in place, the link would show the new contents too; renamed, it keeps the old inode.
    expect(readFileSync(join(root, 'old-agents.ts'), 'utf8')).toBe(v1[0]!.contents);
    expect(read('t/agents.ts')).toBe(v2[0]!.contents);
    expect(statSync(join(out, 't/agents.ts')).ino).not.toBe(before);
    expect(temps()).toEqual([]);
  });

  it('does not touch unchanged files (same inode, same mtime)', async () => {
    writeOutput(out, v1);
    const before = statSync(join(out, 't/index.ts'));
    await new Promise((r) => setTimeout(r, 20));
    expect(writeOutput(out, [v2[0]!, v1[1]!])).toEqual(['t/agents.ts']);
    const after = statSync(join(out, 't/index.ts'));
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
    expect(writeOutput(out, [v2[0]!, v1[1]!])).toEqual([]);
  });

  it.each([['../escape.ts'], ['t/../../escape.ts'], ['t/../../outside/secret.ts'], ['/tmp/switchboard-absolute.ts'], [''], ['.'], ['t/..']])('refuses the path %j and writes nothing', (path) => {
    writeOutput(out, v1);
    const before = snapshotTree(root);
    expect(() => writeOutput(out, [v2[0]!, { path, contents: 'escaped\n' }])).toThrow(UnsafeOutputError);
    expect(snapshotTree(root)).toEqual(before);
    expect(existsSync('/tmp/switchboard-absolute.ts')).toBe(false);
    outsideUntouched();
  });

  it('refuses to write through a symlinked folder inside the output folder', () => {
    mkdirSync(out);
    symlinkSync(outside, join(out, 't'));
    expect(() => writeOutput(out, v1)).toThrow(UnsafeOutputError);
    outsideUntouched();
    expect(temps()).toEqual([]);
  });

  it('refuses to write through a deeper symlinked folder', () => {
    mkdirSync(join(out, 't'), { recursive: true });
    symlinkSync(outside, join(out, 't', 'deep'));
    expect(() => writeOutput(out, [{ path: 't/deep/agents.ts', contents: 'x\n' }])).toThrow(UnsafeOutputError);
    outsideUntouched();
  });

  it('never writes through a symlinked file inside the output folder', () => {
    mkdirSync(join(out, 't'), { recursive: true });
    symlinkSync(join(outside, 'secret.ts'), join(out, 't', 'agents.ts'));
    symlinkSync(join(outside, 'missing.ts'), join(out, 't', 'index.ts'));
    try {
      writeOutput(out, v1);
    } catch (error) {
      expect(error).toBeInstanceOf(UnsafeOutputError);
    }
    outsideUntouched();
    expect(temps()).toEqual([]);
  });

  // Fixed bug (src/emit/write-output.ts): its doc comment promises to refuse "a symlinked folder or file
  // inside it", but a symlinked *file* is silently replaced by a regular file (the rename swaps the
  // link out; nothing outside changes). Expected: UnsafeOutputError, as for a symlinked folder.
  it('refuses a symlinked file inside the output folder', () => {
    mkdirSync(join(out, 't'), { recursive: true });
    symlinkSync(join(outside, 'secret.ts'), join(out, 't', 'agents.ts'));
    expect(() => writeOutput(out, v1)).toThrow(UnsafeOutputError);
  });

  it('never follows a symlink planted at the temporary file name', () => {
    mkdirSync(join(out, 't'), { recursive: true });
    // The name writeOutput uses today; a planted link must make it fail, not write through.
    symlinkSync(join(outside, 'secret.ts'), join(out, 't', `agents.ts.switchboard-tmp-${process.pid}-0`));
    try {
      writeOutput(out, v1);
    } catch {
      // Failing is fine; writing outside is not.
    }
    outsideUntouched();
  });

  it('leaves the previous output intact when a folder it needs is a file', () => {
    writeOutput(out, v1);
    writeFileSync(join(out, 't', 'sub'), 'a file where a folder should be\n');
    const before = snapshotTree(out);
    expect(() => writeOutput(out, [v2[0]!, { path: 't/sub/extra.ts', contents: 'x\n' }])).toThrow();
    expect(snapshotTree(out)).toEqual(before);
    expect(temps()).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('leaves the previous output intact when a folder is read-only', () => {
    writeOutput(out, v1);
    chmodSync(join(out, 't'), 0o555);
    const before = snapshotTree(out);
    expect(() => writeOutput(out, v2)).toThrow();
    expect(snapshotTree(out)).toEqual(before);
    expect(temps()).toEqual([]);
  });

  // Fixed bug (src/emit/write-output.ts): all temporary files are written first, but the renames are not
  // guarded: when a later rename fails (here the target is a folder: EISDIR), the earlier files have
  // already been replaced and the remaining temporary files stay behind. Expected: check every target
  // before the first rename (or roll back), so a failure leaves every previous file intact and no
  // `*.switchboard-tmp-*` files.
  it('leaves the previous output intact when a later file collides with a folder', () => {
    writeOutput(out, v1);
    rmSync(join(out, 't', 'index.ts'));
    mkdirSync(join(out, 't', 'index.ts'));
    const before = snapshotTree(out);
    expect(() => writeOutput(out, v2)).toThrow();
    expect(snapshotTree(out)).toEqual(before);
    expect(temps()).toEqual([]);
  });

  // Fixed bug (src/emit/write-output.ts `targetPath`): `rel.startsWith('..')` also refuses names that
  // merely begin with two dots and stay inside the folder. Expected: only `..` path segments count.
  it('accepts a name that starts with two dots but stays inside', () => {
    expect(writeOutput(out, [{ path: '..dots/agents.ts', contents: 'x\n' }])).toEqual(['..dots/agents.ts']);
  });
});
