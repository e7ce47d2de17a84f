import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { codeRefs } from './queries.js';
import type { ProjectFiles, ReferencedFile, Topology } from './types.js';
import { pathProblem } from '../rules/file-reference.js';

/** The file-system access the pipeline needs; tests substitute an in-memory one. */
export interface FileHost {
  isFile(path: string): boolean;
  readText(path: string): string;
}

export const nodeFileHost: FileHost = {
  isFile: (path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  readText: (path) => readFileSync(path, 'utf8'),
};

/** Nearest folder at or above `start` holding a package.json; else `start` itself. */
export function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

const MAX_REFERENCED_BYTES = 1024 * 1024;

/**
 * The I/O step between the model and the rules: find every file the topology references, note whether
 * it exists inside the project, read instruction files and scan modules for their exports.
 */
export function resolveFiles(topology: Topology, yamlPath: string, host: FileHost, root?: string): ProjectFiles {
  const baseDir = dirname(resolve(yamlPath));
  const projectRoot = resolve(root ?? findProjectRoot(baseDir));
  const byReference = new Map<string, ReferencedFile>();
  const visit = (path: string, kind: 'text' | 'module') => {
    if (byReference.has(path) || pathProblem(path)) return;
    const absolutePath = resolve(baseDir, path);
    const projectPath = relative(projectRoot, absolutePath).split(sep).join('/');
    const insideProject = projectPath !== '' && !projectPath.startsWith('../') && projectPath !== '..' && !isAbsolute(projectPath);
    const exists = insideProject && host.isFile(absolutePath);
    let text: string | undefined;
    if (exists) {
      const content = host.readText(absolutePath);
      if (content.length <= MAX_REFERENCED_BYTES) text = content;
    }
    byReference.set(path, {
      absolutePath,
      projectPath,
      insideProject,
      exists,
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
