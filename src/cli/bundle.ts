/**
 * Build step (`npm run build`): bundle the CLI with esbuild into dist/bundle/. One file (plus lazily
 * loaded chunks for compile, diff, eval, …) starts faster than Node resolving ~60 ES modules one by
 * one; the library API stays the plain tsc output in dist/.
 */
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build, type BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import { codeCacheFile, codeCachePath, commonJsScript, runCommonJsScript } from '../schema/validate-schema.js';

const dist = new URL('../', import.meta.url);
const outdir = new URL('bundle/', dist);
rmSync(outdir, { recursive: true, force: true });
/** What both CLI bundles share. */
const cli: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Loaded at run time from the user's project or only on demand; never copied into the bundle.
  external: ['tsx', '@ts-morph/common', 'puppeteer', '@mermaid-js/mermaid-cli', '@openai/agents', '@openai/agents-core', 'prettier', 'ajv'],
  // commander is CommonJS and calls require(); ES modules have none, so give the bundle one.
  banner: { js: "import { createRequire as __switchboardRequire } from 'node:module'; const require = __switchboardRequire(import.meta.url);" },
  // src/source/yaml-library.ts loads yaml on first use; in the bundle, from the one file built below.
  define: { SWITCHBOARD_BUNDLED_YAML: JSON.stringify('./yaml.cjs') },
  logLevel: 'warning',
};
await build({ ...cli, entryPoints: [new URL('../src/cli/program.ts', dist).pathname], outdir: outdir.pathname, splitting: true });
// `validate` alone, in one file with nothing split out (src/cli/validate-only.ts says why).
await build({ ...cli, entryPoints: [new URL('../src/cli/validate-only.ts', dist).pathname], outfile: new URL('validate.js', outdir).pathname });
// yaml as one CommonJS file, loaded synchronously and only when a file needs positions or YAML is
// written: a cold validate of a plain topology never compiles it.
await build({
  stdin: { contents: "module.exports = require('yaml');", resolveDir: new URL('..', dist).pathname, sourcefile: 'yaml-entry.cjs' },
  outfile: new URL('yaml.cjs', outdir).pathname,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
// The preview page's script, Mermaid included, and its stylesheet: one file each, shipped in dist/ so
// `switchboard preview` loads nothing from the network and needs no peer dependency.
const client = new URL('preview-client/', dist);
rmSync(client, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../src/preview/client/main.ts', dist).pathname],
  outfile: new URL('preview.js', client).pathname,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(new URL('../src/preview/client/preview.css', dist), new URL('preview.css', client));
// The precompiled schema validator is loaded relative to the module that uses it.
for (const validator of ['topology-validator.cjs', 'topology-verdict.cjs']) copyFileSync(new URL(`schema/${validator}`, dist), new URL(validator, outdir));
// A V8 code cache for the verdict validator, made after validating the example so the functions a
// valid file runs are in it (validate-schema.ts uses it only when the copy of the source in it matches).
const verdict = new URL('topology-verdict.cjs', outdir);
const verdictSource = readFileSync(verdict);
const verdictScript = commonJsScript(verdict, verdictSource.toString('utf8'));
const warm = runCommonJsScript(verdict, verdictScript) as { topology: (data: unknown) => boolean; embedded: (schema: unknown) => boolean };
warm.topology(parse(readFileSync(new URL('../topologies/support-desk.yaml', dist), 'utf8')));
warm.embedded({ type: 'object', properties: { query: { type: 'string' } }, required: ['query'] });
writeFileSync(codeCachePath(verdict), codeCacheFile(verdictSource, verdictScript.createCachedData()));
