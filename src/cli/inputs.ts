import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError } from './io.js';

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export interface InputFile {
  readonly absolutePath: string;
  /** Relative to the working directory, with forward slashes: what diagnostics show. */
  readonly displayPath: string;
}

/**
 * Expand the paths on the command line: files as given, directories to every `*.yaml`/`*.yml` inside
 * (recursively, sorted, skipping node_modules and dot-folders). Missing paths are usage errors. A file
 * is counted once however it is reached (given twice, through a symlink, inside a listed folder):
 * files are keyed by their real path, and the first name given is the one shown.
 */
export function expandInputs(paths: readonly string[], cwd: string): InputFile[] {
  const found = new Map<string, InputFile>();
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      throw new UsageError(`no such file or directory: ${path}`);
    }
    const files = stats.isDirectory() ? filesUnder(absolute, YAML_FILE) : [absolute];
    if (stats.isDirectory() && files.length === 0) throw new UsageError(`no .yaml or .yml files in ${path}`);
    for (const file of files) {
      const key = realPathOrSelf(file);
      if (!found.has(key)) found.set(key, { absolutePath: file, displayPath: display(cwd, file) });
    }
  }
  return [...found.values()];
}

/** Files under `dir` whose names match, recursively and sorted, skipping node_modules and dot-names. */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, pattern));
    else if (entry.isFile() && pattern.test(entry.name)) out.push(path);
  }
  return out;
}

function realPathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function display(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return (rel.startsWith('..') || rel === '' ? absolute : rel).split(sep).join('/');
}
