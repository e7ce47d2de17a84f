/**
 * Bundle a TypeScript (or JavaScript) module and the files it imports by relative path into one
 * plain `.mjs` with esbuild, the compiler tsx itself uses, so Node imports it natively instead of
 * through tsx's loader hooks (docs/performance.md#evaluation-start-up).
 *
 * Package imports are left to Node, resolved from the bundle's folder (the caller puts it where the
 * same packages resolve) — except the SDK's own packages when an SDK bundle is given: those imports
 * then point at that one prebuilt copy of the project's SDK (`sdkBundle`), which Node loads as a few
 * files instead of some 600. Every module bundled against the same SDK bundle shares its one instance
 * of each SDK class, as they shared the one instance Node loads from node_modules.
 *
 * Each file's `import.meta.url`, `.filename` and `.dirname` become that file's own, so a module that
 * reads a file next to itself still finds it. A file the bundle cannot represent faithfully (another
 * use of `import.meta`, an `import()` of a computed path, a subpath import) makes the build fail:
 * callers then fall back. A bundle is rebuilt only when one of its input files changed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The options and plugin surface of esbuild this module uses (esbuild comes with tsx). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ metafile?: { inputs: Record<string, unknown> } }>;
}
interface PluginBuild {
  onLoad(options: { filter: RegExp }, callback: (args: { path: string }) => { contents: string; loader: string; resolveDir: string } | undefined): void;
  onResolve(options: { filter: RegExp }, callback: (args: { path: string; resolveDir: string; kind: string }) => { errors: { text: string }[] } | { path: string; external: true } | undefined): void;
}

/** Bumped whenever the bundling itself changes, so bundles made by an older switchboard are rebuilt. */
const BUNDLE_FORMAT = 3;

const LOADERS: Record<string, string> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** The SDK and the packages whose objects cross between it and your code; always bundled together. */
const SDK_PACKAGES = ['@openai/agents', '@openai/agents-core', '@openai/agents-openai', '@openai/agents-realtime', 'openai', 'zod'];

/** The entry points of those packages a topology, a tool or a provider may import (when installed). */
const SDK_ENTRY_POINTS = [
  '@openai/agents',
  '@openai/agents/realtime',
  '@openai/agents/utils',
  '@openai/agents/testing',
  '@openai/agents-core',
  '@openai/agents-core/extensions',
  '@openai/agents-core/utils',
  '@openai/agents-core/model',
  '@openai/agents-core/types',
  '@openai/agents-openai',
  '@openai/agents-realtime',
  'openai',
  'zod',
  'zod/v4',
  'zod/v3',
  'zod/mini',
];

/** One prebuilt copy of the project's SDK: each entry point's module, as a file URL. */
export interface SdkBundle {
  readonly key: string;
  /** The folder whose node_modules it was built from. */
  readonly root: string;
  readonly modules: Readonly<Record<string, string>>;
}

const esbuildModule = async (): Promise<Esbuild> => {
  const esbuildPath = createRequire(createRequire(import.meta.url).resolve('tsx/package.json')).resolve('esbuild');
  return (await import(pathToFileURL(esbuildPath).href)) as Esbuild;
};

const hashOf = (file: string) => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : '');

/**
 * `entry` bundled to `outfile` (absolute paths), up to date: against `sdk` when it was built from
 * `packagesFrom` (the folder with the node_modules every package import of the bundled files must then
 * resolve from) and can serve every SDK import, else with every package left to Node (checked against
 * `packagesFrom` too when `onePackageFolder`). Undefined when esbuild cannot build it at all.
 *
 * Built against the SDK bundle, an SDK import it does not have, a package import from a folder with
 * node_modules of its own, or another package that itself depends on the SDK (it would load a second
 * copy) fails that build; the refusal is remembered until an input changes.
 */
export async function bundleModule(
  entry: string,
  outfile: string,
  options: { absWorkingDir: string; packagesFrom?: string | undefined; onePackageFolder?: boolean; sdk?: SdkBundle | undefined },
): Promise<{ path: string; sdk?: SdkBundle } | undefined> {
  const manifest = `${outfile}.inputs.json`;
  // Another node_modules may hold another SDK version: only modules of the same project share it.
  const sdk = options.sdk && options.sdk.root === options.packagesFrom ? options.sdk : undefined;
  try {
    const previous = JSON.parse(readFileSync(manifest, 'utf8')) as { format?: unknown; sdk?: unknown; refusedSdk?: unknown; inputs?: Record<string, string> };
    const inputs = previous.inputs;
    if (previous.format === BUNDLE_FORMAT && inputs && existsSync(outfile) && Object.keys(inputs).length > 0 && Object.entries(inputs).every(([file, hash]) => hashOf(file) === hash)) {
      if (sdk && previous.sdk === sdk.key) return { path: outfile, sdk };
      if (previous.sdk === null && (!sdk || previous.refusedSdk === sdk.key)) return { path: outfile };
    }
  } catch {
    // No manifest yet, or an unreadable one: build.
  }
  let esbuild: Esbuild;
  try {
    esbuild = await esbuildModule();
  } catch {
    return undefined;
  }
  const build = async (against: SdkBundle | undefined, packagesFrom: string | undefined): Promise<boolean> => {
    try {
      const built = await esbuild.build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        packages: 'external',
        format: 'esm',
        platform: 'node',
        target: 'node20',
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: options.absWorkingDir,
        plugins: [{ name: 'switchboard-faithful-bundle', setup: (plugin: PluginBuild) => setupFaithfulBundle(plugin, packagesFrom, against) }],
      });
      const inputs = Object.keys(built.metafile?.inputs ?? {}).map((file) => resolve(options.absWorkingDir, file));
      const record = { format: BUNDLE_FORMAT, sdk: against?.key ?? null, ...(against || !sdk ? {} : { refusedSdk: sdk.key }), inputs: Object.fromEntries(inputs.map((file) => [file, hashOf(file)])) };
      writeFileSync(manifest, `${JSON.stringify(record)}\n`);
      return true;
    } catch {
      return false;
    }
  };
  if (sdk && (await build(sdk, options.packagesFrom))) return { path: outfile, sdk };
  return (await build(undefined, options.onePackageFolder ? options.packagesFrom : undefined)) ? { path: outfile } : undefined;
}

/**
 * The SDK installed under `packagesFrom` (the folder with its node_modules), bundled once into
 * `folder/<key>/`: one module per entry point in SDK_ENTRY_POINTS that is installed, sharing chunks.
 * Its folder is named after the SDK packages' package.json files, and its manifest records those of
 * every package bundled, so installing another version of any of them rebuilds it.
 * Undefined when @openai/agents is not installed there or esbuild cannot bundle it.
 */
export async function sdkBundle(folder: string, packagesFrom: string): Promise<SdkBundle | undefined> {
  const manifests = SDK_PACKAGES.map((name) => join(packagesFrom, 'node_modules', name, 'package.json'));
  if (!existsSync(manifests[0]!)) return undefined;
  const key = createHash('sha256')
    .update(JSON.stringify([BUNDLE_FORMAT, packagesFrom, manifests.map(hashOf)]))
    .digest('hex')
    .slice(0, 16);
  const outdir = join(folder, key);
  const ready = builtSdk(outdir);
  if (ready) return { key, root: packagesFrom, modules: ready };
  const entries = SDK_ENTRY_POINTS.filter((specifier) => {
    const name = packageName(specifier);
    const subpath = `.${specifier.slice(name.length)}`;
    const exports = readPackage(join(packagesFrom, 'node_modules', name))?.exports;
    if (exports === undefined) return false;
    return subpath === '.' || (typeof exports === 'object' && exports !== null && subpath in exports);
  });
  // Numbered, since `@openai/agents/realtime` and `@openai/agents-realtime` would spell the same name.
  const fileName = (specifier: string) => `${entries.indexOf(specifier)}-${specifier.replace(/^@/, '').replace(/[^a-zA-Z0-9]+/g, '-')}`;
  // Built beside its final folder and renamed into place, so a process running at the same time never
  // imports a half-written SDK.
  const partial = `${outdir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const esbuild = await esbuildModule();
    const built = await esbuild.build({
      entryPoints: entries.map((specifier) => ({ in: specifier, out: fileName(specifier) })),
      outdir: partial,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: packagesFrom,
      // The CommonJS parts of the SDK's dependencies (ws, debug) call require(); give them one.
      banner: { js: "import { createRequire as __switchboardRequire } from 'node:module'; const require = __switchboardRequire(import.meta.url);" },
    });
    // Every package in the bundle, by its package.json, so an update of any of them is noticed.
    const packageFolders = new Set(
      Object.keys(built.metafile?.inputs ?? {})
        .map((file) => resolve(packagesFrom, file))
        .flatMap((file) => {
          const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
          return match ? [match[1]!] : [];
        }),
    );
    const packages = Object.fromEntries([...packageFolders].map((dir) => join(dir, 'package.json')).map((file) => [file, hashOf(file)]));
    const modules = Object.fromEntries(entries.map((specifier) => [specifier, pathToFileURL(join(outdir, `${fileName(specifier)}.mjs`)).href]));
    writeFileSync(join(partial, 'sdk.json'), `${JSON.stringify({ format: BUNDLE_FORMAT, modules, packages })}\n`);
    const other = builtSdk(outdir);
    if (other) {
      // Another process finished the same build first, and may be using it.
      rmSync(partial, { recursive: true, force: true });
      return { key, root: packagesFrom, modules: other };
    }
    if (existsSync(outdir)) {
      // Out of date: a dependency was updated in place.
      const stale = `${outdir}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
      renameSync(outdir, stale);
      rmSync(stale, { recursive: true, force: true });
    }
    renameSync(partial, outdir);
    return { key, root: packagesFrom, modules };
  } catch {
    rmSync(partial, { recursive: true, force: true });
    const other = builtSdk(outdir);
    return other ? { key, root: packagesFrom, modules: other } : undefined;
  }
}

/** The modules of the SDK bundle in `outdir` when it is complete and every package in it is unchanged. */
function builtSdk(outdir: string): Record<string, string> | undefined {
  try {
    const { format, modules, packages } = JSON.parse(readFileSync(join(outdir, 'sdk.json'), 'utf8')) as { format?: unknown; modules?: Record<string, string>; packages?: Record<string, string> };
    if (format === BUNDLE_FORMAT && modules && packages && Object.entries(packages).every(([file, hash]) => hashOf(file) === hash)) return modules;
  } catch {
    // Not built yet.
  }
  return undefined;
}

/** The nearest folder at or above `folder` that has a node_modules folder, where Node resolves packages from. */
export function packageRoot(folder: string): string | undefined {
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function readPackage(folder: string): { exports?: unknown; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<string, unknown>;
    // A package without an exports map has its root entry only.
    return { exports: parsed.exports ?? '.', ...(parsed as object) };
  } catch {
    return undefined;
  }
}

/** Whether the package `name`, as installed for `from`, depends on the SDK, directly or through its own dependencies. */
function dependsOnSdk(name: string, from: string, known: Map<string, boolean>): boolean {
  let folder: string | undefined;
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) {
      folder = candidate;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  if (!folder) return false;
  const answer = known.get(folder);
  if (answer !== undefined) return answer;
  known.set(folder, false); // while visiting: a dependency cycle adds nothing
  const manifest = readPackage(folder);
  const dependencies = Object.keys({ ...manifest?.dependencies, ...manifest?.peerDependencies, ...manifest?.optionalDependencies });
  const depends = dependencies.some((dependency) => SDK_PACKAGES.includes(dependency) || dependsOnSdk(dependency, folder, known));
  known.set(folder, depends);
  return depends;
}

function setupFaithfulBundle(build: PluginBuild, packagesFrom: string | undefined, sdk: SdkBundle | undefined): void {
  const known = new Map<string, boolean>();
  if (packagesFrom !== undefined) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.kind === 'entry-point') return undefined;
      // Subpath imports (`#name`) are resolved through the importer's package.json, not the bundle's.
      if (args.path.startsWith('#')) return { errors: [{ text: `${args.path}: a subpath import` }] };
      if (packageRoot(args.resolveDir) !== packagesFrom) return { errors: [{ text: `${args.path} would resolve from ${args.resolveDir}, not from ${packagesFrom}` }] };
      if (!sdk) return undefined;
      const name = packageName(args.path);
      if (SDK_PACKAGES.includes(name)) {
        const module = sdk.modules[args.path];
        return module ? { path: module, external: true } : { errors: [{ text: `${args.path} is not in the SDK bundle` }] };
      }
      return dependsOnSdk(name, packagesFrom, known) ? { errors: [{ text: `${name} depends on the SDK` }] } : undefined;
    });
  }
  build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
    if (args.path.includes('/node_modules/') && !args.path.includes('/node_modules/.cache/')) return undefined;
    const source = readFileSync(args.path, 'utf8');
    if (!source.includes('import.meta') && !/\bimport\s*\(/.test(source)) return undefined;
    const url = pathToFileURL(args.path).href;
    const contents = source
      .replace(/\bimport\.meta\.url\b/g, JSON.stringify(url))
      .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
      .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
    // `import.meta` itself or `.resolve()`, and an import() of anything but a string literal, would
    // mean the bundle's location instead of this file's.
    if (contents.includes('import.meta') || /\bimport\s*\(\s*(?!['"][^'"`$]*['"]\s*\))/.test(contents)) throw new Error(`${args.path} cannot be bundled faithfully`);
    return { contents, loader: LOADERS[extname(args.path)] ?? 'js', resolveDir: dirname(args.path) };
  });
}
