import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/** Set by the CLI bundle's build (src/cli/bundle.ts) to its one-file copy of yaml. */
declare const SWITCHBOARD_BUNDLED_YAML: string | undefined;

let library: typeof Yaml | undefined;

/**
 * The `yaml` library, loaded on first use. A plain topology is read by plain-yaml.ts, so a cold
 * `validate` of a valid file never compiles yaml's 250 KB; it is needed for positions (a diagnostic
 * to locate, the language server), for files outside the plain subset, and to write YAML. The CLI
 * bundle loads its own single-file copy (dist/bundle/yaml.cjs) instead of the package's 70 files.
 */
export function yamlLibrary(): typeof Yaml {
  library ??= createRequire(import.meta.url)(typeof SWITCHBOARD_BUNDLED_YAML === 'string' ? SWITCHBOARD_BUNDLED_YAML : 'yaml') as typeof Yaml;
  return library;
}
