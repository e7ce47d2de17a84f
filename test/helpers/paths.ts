import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The repository root, for tests that need real files. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fromRoot = (...parts: string[]) => join(repoRoot, ...parts);
