import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type { Ignore } from 'ignore';
import { readTextFileSafely } from '../source/read-file.js';
import { UsageError } from './io.js';

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
// Loaded on first use: most runs name files and folders and have no ignore patterns, and a cold
// `validate` should not pay for a glob matcher. (Not `require`, so the bundler leaves them external.)
const load = createRequire(import.meta.url);
const picomatch = () => load('picomatch') as typeof import('picomatch');
const ignore = () => load('ignore') as typeof import('ignore');

/** The file of gitignore-style patterns that `validate`, `compile`, `watch` and `preview` honour. */
export const IGNORE_FILE = '.switchboardignore';

export interface InputFile {
  readonly absolutePath: string;
  /** Relative to the working directory, with forward slashes: what diagnostics show. */
  readonly displayPath: string;
}

/** gitignore-style patterns and the folder they are relative to (a config file's or ignore file's). */
export interface IgnorePatterns {
  readonly base: string;
  readonly patterns: readonly string[];
}

export interface ExpandOptions {
  /** Files and folders skipped when searching folders and expanding globs (never a file named outright). */
  readonly ignore?: readonly IgnorePatterns[];
}

/**
 * Expand the paths on the command line:
 * - a file is taken as given (even an ignored one, or one that does not look like a topology);
 * - a folder yields the YAML files inside it (recursively, sorted, skipping node_modules, dot-names
 *   and ignored paths) that look like topologies, so datasets and other YAML beside them are left out;
 * - a glob (`'topologies/**\/*.yaml'`, quoted so the shell leaves it alone) yields the files it matches,
 *   ignored paths excepted.
 * Missing paths and globs or folders that yield nothing are usage errors. A file is counted once however
 * it is reached: files are keyed by their real path, and the first name given is the one shown.
 */
export function expandInputs(paths: readonly string[], cwd: string, options: ExpandOptions = {}): InputFile[] {
  const found = new Map<string, InputFile>();
  const ignored = ignoreMatcher(options.ignore ?? []);
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let files: string[];
    if (existsSync(absolute)) {
      const isFolder = statSync(absolute).isDirectory();
      files = isFolder ? filesUnder(absolute, YAML_FILE, ignored).filter(looksLikeTopology) : [absolute];
      if (isFolder && files.length === 0) throw new UsageError(`no topology files in ${path} (YAML files with top-level \`version\` and \`agents\` keys)`);
    } else if (/[*?[{]/.test(path) && picomatch().scan(path).isGlob) {
      files = globFiles(path, cwd, ignored);
      if (files.length === 0) throw new UsageError(`no files match ${path}`);
    } else {
      throw new UsageError(`no such file or directory: ${path}`);
    }
    for (const file of files) {
      const key = realPathOrSelf(file);
      if (!found.has(key)) found.set(key, { absolutePath: file, displayPath: display(cwd, file) });
    }
  }
  return [...found.values()];
}

/**
 * The ignore patterns in effect for `cwd`: the configuration's `ignore` list (relative to its file) and
 * the nearest `.switchboardignore` in `cwd` or a folder above it.
 */
export function ignorePatternsFor(cwd: string, config: { readonly ignore?: readonly string[] }, configFile?: string): IgnorePatterns[] {
  const out: IgnorePatterns[] = [];
  if (config.ignore?.length) out.push({ base: configFile ? dirname(configFile) : cwd, patterns: config.ignore });
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, IGNORE_FILE);
    if (existsSync(file)) {
      const read = readTextFileSafely(file, { maxBytes: 1024 * 1024 });
      if (!read.ok) throw new UsageError(`cannot read ${file}: it ${read.message.replace(/^file /, '')}`);
      out.push({ base: dir, patterns: read.text.split(/\r?\n/) });
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return out;
}

/**
 * Whether a YAML file is a topology rather than a dataset or other YAML: top-level `version` and
 * `agents` keys (every topology has both), or the topology schema in a `yaml-language-server` modeline.
 * A file that cannot be read is kept, so its problem is reported rather than hidden.
 */
export function looksLikeTopology(path: string): boolean {
  const read = readTextFileSafely(path, { maxBytes: 10 * 1024 * 1024 });
  if (!read.ok) return true;
  return isTopologyText(read.text);
}

export function isTopologyText(text: string): boolean {
  if (/^#\s*yaml-language-server:\s*\$schema=\S*topology\.schema\.json\s*$/m.test(text)) return true;
  return /^(?:version|"version"|'version')\s*:/m.test(text) && /^(?:agents|"agents"|'agents')\s*:/m.test(text);
}

type IgnoreTest = (absolute: string, isDirectory: boolean) => boolean;

function ignoreMatcher(sets: readonly IgnorePatterns[]): IgnoreTest {
  if (sets.length === 0) return () => false;
  const compiled: { base: string; matcher: Ignore }[] = sets.map((set) => ({ base: set.base, matcher: ignore()().add([...set.patterns]) }));
  return (absolute, isDirectory) =>
    compiled.some(({ base, matcher }) => {
      const rel = relative(base, absolute);
      if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return false;
      return matcher.ignores(rel.split(sep).join('/') + (isDirectory ? '/' : ''));
    });
}

/** Files matching a glob: walk from its static prefix and match paths relative to `cwd` (or absolute ones). */
function globFiles(pattern: string, cwd: string, ignored: IgnoreTest): string[] {
  const normalized = pattern.split(sep).join('/');
  const { base } = picomatch().scan(normalized);
  const start = resolve(cwd, base || '.');
  if (!existsSync(start) || !statSync(start).isDirectory()) return [];
  const absolutePattern = normalized.startsWith('/');
  const matches = picomatch()(normalized, { dot: false });
  return filesUnder(start, /(?:)/, ignored).filter((file) => matches(absolutePattern ? file.split(sep).join('/') : relative(cwd, file).split(sep).join('/')));
}

/** Files under `dir` whose names match, recursively and sorted, skipping node_modules, dot-names and ignored paths. */
export function filesUnder(dir: string, pattern: RegExp, ignored: IgnoreTest = () => false): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!ignored(path, true)) out.push(...filesUnder(path, pattern, ignored));
    } else if (entry.isFile() && pattern.test(entry.name) && !ignored(path, false)) out.push(path);
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

/**
 * The absolute path of a command's one input file. Every command reports a missing input the same way:
 * a usage error (exit 2) naming the path as the user typed it.
 */
export function requireInputFile(path: string, cwd: string, expected = 'give one topology YAML file'): string {
  const absolute = resolve(cwd, path);
  let isFile: boolean;
  try {
    isFile = statSync(absolute).isFile();
  } catch {
    throw new UsageError(`no such file or directory: ${path}`);
  }
  if (!isFile) throw new UsageError(`${path} is not a file: ${expected}`);
  return absolute;
}

export function display(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return (rel.startsWith('..') || rel === '' ? absolute : rel).split(sep).join('/');
}
