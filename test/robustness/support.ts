/** Helpers shared by the robustness suite: temp folders inside the repo, one tsc run, diagnostic shapes. */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

/**
 * A fresh folder at the repo root (`.tmp-robust-*`), so generated code resolves `@openai/agents` from
 * the repo's node_modules. Not under `test/`, so the repo's own tsc never sees it.
 */
export function repoTempDir(label: string): string {
  return mkdtempSync(join(repoRoot, `.tmp-robust-${label}-`));
}

/** Type-check every `.ts` file under `dir` in ONE tsc run, with the repo's compiler options. */
export function typeCheck(dir: string): { status: number | null; output: string } {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: relative(dir, fromRoot('tsconfig.json')).split(sep).join('/'), include: ['**/*.ts'], exclude: [] }));
  const tsc = spawnSync(process.execPath, [fromRoot('node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  return { status: tsc.status, output: `${tsc.stdout}${tsc.stderr}` };
}

/** `line:col severity ruleId`: the shape the corpus expectations are written in. */
export function located(d: Diagnostic): string {
  return `${d.range?.start.line ?? '?'}:${d.range?.start.column ?? '?'} ${d.severity} ${d.ruleId}`;
}

/** What `writeOutput` must never leave behind. */
export const TEMP_FILE = /\.switchboard-tmp-/;

/** Every file and folder under `dir` with its bytes and mtime (symlinks as their target text). */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const stats = lstatSync(path);
      const key = relative(dir, path).split(sep).join('/');
      if (stats.isDirectory()) {
        out.set(`${key}/`, `dir mode=${stats.mode.toString(8)}`);
        walk(path);
      } else if (stats.isSymbolicLink()) {
        out.set(key, 'symlink');
      } else {
        out.set(key, `mtime=${stats.mtimeMs} bytes=${readFileSync(path).toString('base64')}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** A stack trace line as Node prints them. */
export const STACK_TRACE = /\n\s+at /;
