/** The esbuild bundles evaluation imports natively: faithful to each file's location, one SDK copy, refusals remembered. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleModule, sdkBundle, type SdkBundle } from '../../src/eval/bundle-module.js';
import { cacheDirectory } from '../../src/eval/load-topology.js';
import { repoRoot } from '../helpers/paths.js';

let work: string;
let sdk: SdkBundle | undefined;
const write = (name: string, text: string) => {
  writeFileSync(join(work, name), text);
  return join(work, name);
};
const bundle = (name: string, options: { sdk?: SdkBundle | undefined } = {}) => bundleModule(join(work, name), join(work, 'out', `${name}.mjs`), { absWorkingDir: work, packagesFrom: repoRoot, onePackageFolder: true, ...options });

beforeAll(async () => {
  work = mkdtempSync(join(repoRoot, '.tmp-bundle-module-'));
  sdk = await sdkBundle(join(cacheDirectory(repoRoot), 'sdk'), repoRoot);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bundleModule', () => {
  it('gives every bundled file its own import.meta.url, filename and dirname', async () => {
    write('where.ts', 'export const where = { url: import.meta.url, filename: import.meta.filename, dirname: import.meta.dirname };\n');
    write('entry.ts', "export { where } from './where.js';\nexport const entry = import.meta.url;\n");
    const built = await bundle('entry.ts');
    const module = (await import(pathToFileURL(built!.path).href)) as { where: Record<string, string>; entry: string };
    expect(module.where).toEqual({ url: pathToFileURL(join(work, 'where.ts')).href, filename: join(work, 'where.ts'), dirname: work });
    expect(module.entry).toBe(pathToFileURL(join(work, 'entry.ts')).href);
  });

  it('refuses what a bundle would resolve from the wrong place: import.meta.resolve, a computed import(), a subpath import', async () => {
    write('resolves.ts', "export const next = import.meta.resolve('./x.js');\n");
    write('computed.ts', "const name = './x.js';\nexport const loaded = await import(name);\n");
    write('subpath.ts', "export { x } from '#internal/x';\n");
    expect(await bundle('resolves.ts')).toBeUndefined();
    expect(await bundle('computed.ts')).toBeUndefined();
    expect(await bundle('subpath.ts')).toBeUndefined();
  });

  it('points SDK imports at the one prebuilt SDK, and refuses it (once, until an input changes) for a package that brings its own', async () => {
    expect(sdk).toBeDefined();
    write('uses-sdk.ts', "import { Usage } from '@openai/agents';\nimport { Usage as CoreUsage } from '@openai/agents-core';\nexport const same = Usage === CoreUsage;\n");
    const built = await bundle('uses-sdk.ts', { sdk });
    expect(built?.sdk).toBe(sdk);
    expect(readFileSync(built!.path, 'utf8')).toContain(sdk!.modules['@openai/agents']);
    expect(((await import(pathToFileURL(built!.path).href)) as { same: boolean }).same).toBe(true);

    write('brings-own.ts', "import { zodToJsonSchema } from 'zod-to-json-schema';\nexport const kind = typeof zodToJsonSchema;\n");
    const refused = await bundle('brings-own.ts', { sdk });
    expect(refused).toEqual({ path: join(work, 'out', 'brings-own.ts.mjs') });
    expect(JSON.parse(readFileSync(`${refused!.path}.inputs.json`, 'utf8'))).toMatchObject({ sdk: null, refusedSdk: sdk!.key });
    const builtAt = statSync(refused!.path).mtimeMs;
    expect(await bundle('brings-own.ts', { sdk })).toEqual(refused);
    expect(statSync(refused!.path).mtimeMs).toBe(builtAt);
  });

  it('does not use an SDK bundle built from another node_modules', async () => {
    write('other-root.ts', "export { Usage } from '@openai/agents';\n");
    const built = await bundle('other-root.ts', { sdk: { ...sdk!, root: join(work, 'elsewhere') } });
    expect(built).toEqual({ path: join(work, 'out', 'other-root.ts.mjs') });
    expect(readFileSync(built!.path, 'utf8')).toContain('from "@openai/agents"');
  });
});
