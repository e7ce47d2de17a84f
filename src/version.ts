import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package version, from the nearest package.json above this module (kept out of generated output
 * on purpose). Searched for, not at a fixed `../`, because the CLI also runs from a bundle at another depth.
 */
const MANIFEST = readManifest(dirname(fileURLToPath(import.meta.url)));
export const VERSION: string = MANIFEST.version ?? '0.0.0';

/** Used where package.json names neither a `homepage` nor a `repository` (a fork sets its own there). */
export const DEFAULT_PROJECT_URL = 'https://github.com/switchboard-dev/switchboard';

/**
 * The project's web address, for links into its docs (SARIF `informationUri` and rule `helpUri`):
 * package.json `homepage`, else its `repository` URL, else DEFAULT_PROJECT_URL.
 */
export const PROJECT_URL: string = projectUrl(MANIFEST);

interface Manifest {
  readonly version?: string;
  readonly homepage?: unknown;
  readonly repository?: unknown;
}

function readManifest(start: string): Manifest {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
    if (dirname(dir) === dir) return {};
  }
}

function projectUrl(manifest: Manifest): string {
  const repository = typeof manifest.repository === 'object' && manifest.repository !== null ? (manifest.repository as { url?: unknown }).url : manifest.repository;
  for (const candidate of [manifest.homepage, repository]) {
    if (typeof candidate !== 'string') continue;
    // `git+https://github.com/o/r.git` and `https://github.com/o/r#readme` name the same page.
    const url = candidate.replace(/^git\+/, '').replace(/\.git$/, '').replace(/#.*$/, '').replace(/\/+$/, '');
    if (/^https?:\/\//.test(url)) return url;
  }
  return DEFAULT_PROJECT_URL;
}
