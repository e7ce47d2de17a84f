import { isAbsolute, relative, sep } from 'node:path';

/**
 * Path checks shared by the model (resolving references), the rules (reporting them) and the CLI
 * (output folders): below the model, so no stage reaches up into the rules for them.
 */

/** Why a written path cannot be a project-relative reference, or undefined when it can. */
export function pathProblem(path: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return 'is a URL or builtin, not a file in the project';
  if (path.startsWith('/') || path.startsWith('\\') || /^[a-z]:[\\/]/i.test(path)) return 'is absolute; references are relative to the YAML file';
  if (path.includes('\0')) return 'contains a NUL character';
  return undefined;
}

/** Whether absolute `target` lies strictly inside absolute `folder` (lexically; resolve symlinks first when they matter). */
export function isStrictlyInside(folder: string, target: string): boolean {
  const rel = relative(folder, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
