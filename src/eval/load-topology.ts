/**
 * Compile a validated topology into the project's cache folder and import it at run time: bundled
 * with esbuild and imported natively (src/eval/bundle-module.ts), or through tsx when it cannot be.
 *
 * The output goes to `<project root>/node_modules/.cache/switchboard/<name>/`, inside the project, so
 * the generated relative imports of the user's tool modules and `@openai/agents` resolve exactly as
 * they do for `generated/`. A small entry module re-exports the topology together with the SDK
 * values evaluation needs, so both come from one module graph (tsx gives every import call its own
 * namespace, and the SDK checks some objects with instanceof).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileTopology } from '../compile.js';
import { writeOutput, type OutputFile } from '../emit/write-output.js';
import { bundleModule, packageRoot, sdkBundle, type SdkBundle } from './bundle-module.js';
import { indexOf } from '../model/queries.js';
import type { ValidationResult } from '../validate.js';
import type { AnyAgent, RuntimeTopology, Sdk } from './types.js';

const ENTRY_MODULE = [
  '// Written by `switchboard eval` / `switchboard run`: the compiled topology and the SDK, from one module graph.',
  "export * as topology from './index.js';",
  "export { Runner, Usage, OpenAIProvider, MemorySession } from '@openai/agents';",
  '',
].join('\n');

export class TopologyLoadError extends Error {
  override readonly name = 'TopologyLoadError';
}

/** The cache folder compiled topologies are written to. */
export function cacheDirectory(projectRoot: string): string {
  return join(projectRoot, 'node_modules', '.cache', 'switchboard');
}

/** Agent ids the entry hands off to, in authoring order (from the YAML, before anything is imported). */
export function entryRoutes(result: ValidationResult): string[] {
  const topology = result.topology!;
  const edges = indexOf(topology).outgoing.get(topology.entry.value) ?? [];
  return [...new Set(edges.map((e) => e.to.value))];
}

export async function loadRuntimeTopology(result: ValidationResult): Promise<RuntimeTopology> {
  const { topology, files } = result;
  if (!topology || !files || !result.ok) throw new Error('internal: loadRuntimeTopology called on a topology with errors');
  const cache = cacheDirectory(files.root);
  const output: OutputFile[] = [
    ...(await compileTopology(result, { outDir: cache })),
    // Without it, Node would look for the package type above node_modules and find none.
    { path: 'package.json', contents: '{ "private": true, "type": "module" }\n' },
    { path: `${topology.name}/eval-entry.ts`, contents: ENTRY_MODULE },
  ];
  writeOutput(cache, output);
  // Importing the SDK takes seconds; a process that evaluates the same compiled output twice (tests,
  // `--compare`) imports it once.
  const key = createHash('sha256').update(JSON.stringify([cache, output])).digest('hex');
  let loading = loaded.get(key);
  if (!loading) {
    loading = importTopology(cache, topology.name, topology.entry.value, key);
    loaded.set(key, loading);
    loading.catch(() => loaded.delete(key));
  }
  return loading;
}

const loaded = new Map<string, Promise<RuntimeTopology>>();

type EntryModule = { topology?: { agents?: Record<string, AnyAgent>; openMcpServers?: RuntimeTopology['openMcpServers'] }; Runner?: Sdk['Runner']; Usage?: Sdk['Usage']; OpenAIProvider?: Sdk['OpenAIProvider']; MemorySession?: Sdk['MemorySession'] };

/**
 * The compiled entry bundled into one plain `.mjs` (your tool modules inlined), with esbuild, the
 * compiler tsx itself uses. Importing it natively skips tsx's loader hooks, which cost about as much
 * again as the SDK's own import. The SDK comes from its own prebuilt bundle in the same cache (about
 * half the time of Node loading its ~600 files one by one); when that cannot serve every import (an
 * SDK entry point it lacks, another package that depends on the SDK), every package is left to Node.
 * Rebuilt only when an input changed. Undefined when it cannot be built: tsx then imports the
 * TypeScript as before.
 */
async function bundledEntry(cache: string, name: string): Promise<{ path: string; sdk?: SdkBundle } | undefined> {
  if (process.env.SWITCHBOARD_EVAL_TSX === '1') return undefined;
  const entry = join(cache, name, 'eval-entry.ts');
  const out = join(cache, name, 'eval-entry.mjs');
  const packagesFrom = packageRoot(cache);
  const sdk = process.env.SWITCHBOARD_EVAL_SDK_BUNDLE === '0' || !packagesFrom ? undefined : await sdkBundle(join(cache, 'sdk'), packagesFrom);
  return bundleModule(entry, out, { absWorkingDir: cache, packagesFrom, sdk });
}

async function importTopology(cache: string, name: string, entryId: string, key: string): Promise<RuntimeTopology> {
  let module: EntryModule | undefined;
  const bundle = await bundledEntry(cache, name);
  let sdkBundleUsed: SdkBundle | undefined;
  if (bundle) {
    try {
      // The query keeps a changed bundle at the same path from being served from Node's module cache.
      module = (await import(`${pathToFileURL(bundle.path).href}?v=${key.slice(0, 16)}`)) as EntryModule;
      sdkBundleUsed = bundle.sdk;
    } catch {
      // Code that runs under tsx but not bundled (a CommonJS-only idiom in a tool module): tsx decides.
      module = undefined;
    }
  }
  try {
    if (!module) {
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(pathToFileURL(join(cache, name, 'eval-entry.ts')).href, import.meta.url)) as EntryModule;
    }
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const hint = /@openai\/agents/.test(message) ? ' (is @openai/agents installed in the project?)' : '';
    throw new TopologyLoadError(`cannot load the compiled topology ${name}: ${message}${hint}`);
  }
  const agents = module.topology?.agents;
  if (!agents || !module.Runner || !module.Usage) throw new TopologyLoadError(`the compiled topology ${name} does not export its agents and the SDK as expected`);
  return {
    name,
    entryId,
    agents,
    sdk: {
      Runner: module.Runner,
      Usage: module.Usage,
      ...(module.OpenAIProvider ? { OpenAIProvider: module.OpenAIProvider } : {}),
      ...(module.MemorySession ? { MemorySession: module.MemorySession } : {}),
    },
    ...(module.topology?.openMcpServers ? { openMcpServers: module.topology.openMcpServers } : {}),
    ...(sdkBundleUsed ? { sdkBundle: sdkBundleUsed } : {}),
  };
}
