import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** One generated file, its path relative to the output folder (forward slashes). */
export interface OutputFile {
  readonly path: string;
  readonly contents: string;
}

/** Writing would leave the output folder (`..`, absolute paths, or a symlink inside it). */
export class UnsafeOutputError extends Error {
  override readonly name = 'UnsafeOutputError';
}

/** Files whose contents on disk differ from what would be written (missing files included). */
export function staleFiles(outDir: string, files: readonly OutputFile[]): string[] {
  return files
    .filter((file) => {
      try {
        return readFileSync(targetPath(outDir, file.path), 'utf8') !== file.contents;
      } catch {
        return true;
      }
    })
    .map((f) => f.path);
}

/**
 * Write every file, or none: all contents go to temporary files first, then each is renamed into
 * place. Unchanged files are not touched (their mtime stays, watchers stay quiet). Refuses any path
 * that would leave `outDir`, including through a symlinked folder or file inside it.
 */
export function writeOutput(outDir: string, files: readonly OutputFile[]): string[] {
  const changed = new Set(staleFiles(outDir, files));
  const pending = files.filter((f) => changed.has(f.path));
  // Every check before the first write, so a refusal leaves the previous output as it was.
  for (const file of pending) {
    const target = targetPath(outDir, file.path);
    const existing = lstatOrUndefined(target);
    if (existing?.isSymbolicLink()) throw new UnsafeOutputError(`refusing to write through the symlink ${file.path} in ${outDir}`);
    if (existing && !existing.isFile()) throw new UnsafeOutputError(`${target} exists and is not a file`);
  }
  const temps: [string, string][] = [];
  try {
    for (const [n, file] of pending.entries()) {
      const target = targetPath(outDir, file.path);
      ensureDirectoryInside(outDir, dirname(target));
      const temp = `${target}.switchboard-tmp-${process.pid}-${n}`;
      writeFileSync(temp, file.contents, { flag: 'wx' });
      temps.push([temp, target]);
    }
  } catch (error) {
    for (const [temp] of temps) rmSync(temp, { force: true });
    throw error;
  }
  for (const [temp, target] of temps) renameSync(temp, target);
  return pending.map((f) => f.path);
}

function targetPath(outDir: string, path: string): string {
  const target = resolve(outDir, path);
  const rel = relative(resolve(outDir), target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new UnsafeOutputError(`refusing to write ${path}: it is outside ${outDir}`);
  return target;
}

/** mkdir -p below outDir, refusing symlinks on the way (a link could point anywhere). */
function ensureDirectoryInside(outDir: string, dir: string): void {
  mkdirSync(outDir, { recursive: true });
  const root = realpathSync(outDir);
  let current = resolve(outDir);
  for (const part of relative(resolve(outDir), dir).split(sep).filter(Boolean)) {
    current = join(current, part);
    let stats;
    try {
      stats = lstatSync(current);
    } catch {
      mkdirSync(current);
      continue;
    }
    if (stats.isSymbolicLink()) throw new UnsafeOutputError(`refusing to write through the symlink ${relative(process.cwd(), current) || current}`);
    if (!stats.isDirectory()) throw new UnsafeOutputError(`${current} exists and is not a folder`);
  }
  if (!realpathSync(dir).startsWith(root)) throw new UnsafeOutputError(`refusing to write outside ${outDir}`);
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
