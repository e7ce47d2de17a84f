import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { codeRefs } from './queries.js';
import type { ProjectFiles, ReferencedFile, Topology } from './types.js';
import { isStrictlyInside, pathProblem } from '../source/paths.js';
import { readTextFileSafely, type TextRead } from '../source/read-file.js';

/** The file-system access the pipeline needs; tests substitute an in-memory one. */
export interface FileHost {
  /** A regular file of at most `maxBytes` bytes as UTF-8 (see source/read-file.ts); never blocks or throws. */
  readText(path: string, maxBytes: number): TextRead;
  /** The path with symlinks resolved (the path itself when it cannot be resolved). */
  realPath(path: string): string;
}

export const nodeFileHost: FileHost = {
  readText: (path, maxBytes) => readTextFileSafely(path, { maxBytes }),
  realPath: (path) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  },
};

/** Nearest folder at or above `start` holding a package.json; else `start` itself. */
export function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** Instruction files and modules larger than this are not read (documented in docs/security.md). */
export const MAX_REFERENCED_BYTES = 1024 * 1024;

/**
 * The I/O step between the model and the rules: find every file the topology references, note whether
 * it exists inside the project, read instruction files and scan modules for their exports.
 */
export function resolveFiles(topology: Topology, yamlPath: string, host: FileHost, root?: string): ProjectFiles {
  const baseDir = dirname(resolve(yamlPath));
  const projectRoot = resolve(root ?? findProjectRoot(baseDir));
  const realRoot = host.realPath(projectRoot);
  const byReference = new Map<string, ReferencedFile>();
  const visit = (path: string, kind: 'text' | 'module') => {
    if (byReference.has(path) || pathProblem(path)) return;
    const absolutePath = resolve(baseDir, path);
    const projectPath = relative(projectRoot, absolutePath).split(sep).join('/');
    // Inside lexically and after following symlinks: a link in the project may point anywhere.
    const inside = (target: string) => isStrictlyInside(realRoot, target);
    const insideProject = inside(absolutePath) && inside(host.realPath(absolutePath));
    // Only files inside the project are opened at all.
    const read = insideProject ? host.readText(absolutePath, MAX_REFERENCED_BYTES) : undefined;
    const exists = read !== undefined && (read.ok || read.problem !== 'missing');
    const tooLarge = read?.ok === false && read.problem === 'too-large';
    const unreadable = read?.ok === false && read.problem !== 'missing' && read.problem !== 'too-large' ? read.message : undefined;
    const text = read?.ok ? read.text : undefined;
    byReference.set(path, {
      absolutePath,
      projectPath,
      insideProject,
      exists,
      ...(tooLarge ? { tooLarge } : {}),
      ...(unreadable ? { unreadable } : {}),
      ...(kind === 'text' && text !== undefined ? { text } : {}),
      ...(kind === 'module' && text !== undefined ? optionalExports(scanExports(text)) : {}),
    });
  };
  for (const agent of topology.agents) if (agent.instructions?.kind === 'file') visit(agent.instructions.path, 'text');
  for (const ref of codeRefs(topology)) visit(ref.path, 'module');
  return { root: projectRoot, baseDir, byReference };
}

function optionalExports(exports: Set<string> | undefined) {
  return exports ? { exports } : {};
}

/**
 * Exported names of a TS/JS module by a lexical scan (no TypeScript on the validate path). Returns
 * undefined when the module re-exports with `export *`, since its exports cannot be known this way.
 */
export function scanExports(source: string): Set<string> | undefined {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  if (/export\s*\*\s*from/.test(code)) return undefined;
  const names = new Set<string>();
  for (const m of code.matchAll(/export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|type|enum|abstract\s+class)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  for (const m of code.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  if (/export\s+default\b/.test(code)) names.add('default');
  return names;
}
