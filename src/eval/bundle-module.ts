/**
 * Bundle a TypeScript (or JavaScript) module and the files it imports by relative path into one
 * plain `.mjs` with esbuild, the compiler tsx itself uses, so Node imports it natively instead of
 * through tsx's loader hooks (docs/performance.md#evaluation-start-up). Every package import is left
 * as it is: Node resolves it from the bundle's folder, so the bundle must sit where the same packages
 * resolve (the caller picks the folder), and one SDK copy is shared with everything else the process
 * imports natively.
 *
 * Each file's `import.meta.url`, `.filename` and `.dirname` become that file's own, so a module that
 * reads a file next to itself still finds it. A file the bundle cannot represent faithfully (another
 * use of `import.meta`, an `import()` of a computed path) makes the build fail: callers then fall back
 * to tsx. The bundle is rebuilt only when one of its input files changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The options and plugin surface of esbuild this module uses (esbuild comes with tsx). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ metafile?: { inputs: Record<string, unknown> } }>;
}
interface PluginBuild {
  onLoad(options: { filter: RegExp }, callback: (args: { path: string }) => { contents: string; loader: string; resolveDir: string } | undefined): void;
  onResolve(options: { filter: RegExp }, callback: (args: { path: string; resolveDir: string; kind: string }) => { errors: { text: string }[] } | undefined): void;
}

/** Bumped whenever the bundling itself changes, so bundles made by an older switchboard are rebuilt. */
const BUNDLE_FORMAT = 2;

const LOADERS: Record<string, string> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/**
 * `entry` bundled to `outfile` (absolute paths); the path of the bundle, up to date, or undefined when
 * esbuild cannot build it. `packagesFrom`, when given, is the folder every package import of the
 * bundled files must resolve from (the nearest one with a node_modules folder): a file elsewhere, with
 * packages of its own, fails the build rather than silently using another copy.
 */
export async function bundleModule(entry: string, outfile: string, options: { absWorkingDir: string; packagesFrom?: string }): Promise<string | undefined> {
  const manifest = `${outfile}.inputs.json`;
  const hashOf = (file: string) => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : '');
  try {
    const { format, inputs } = JSON.parse(readFileSync(manifest, 'utf8')) as { format?: unknown; inputs?: Record<string, string> };
    if (format === BUNDLE_FORMAT && inputs && existsSync(outfile) && Object.keys(inputs).length > 0 && Object.entries(inputs).every(([file, hash]) => hashOf(file) === hash)) return outfile;
  } catch {
    // No manifest yet, or an unreadable one: build.
  }
  try {
    const esbuildPath = createRequire(createRequire(import.meta.url).resolve('tsx/package.json')).resolve('esbuild');
    const esbuild = (await import(pathToFileURL(esbuildPath).href)) as Esbuild;
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
      plugins: [{ name: 'switchboard-faithful-bundle', setup: (build: PluginBuild) => setupFaithfulBundle(build, options.packagesFrom) }],
    });
    const inputs = Object.keys(built.metafile?.inputs ?? {}).map((file) => resolve(options.absWorkingDir, file));
    writeFileSync(manifest, `${JSON.stringify({ format: BUNDLE_FORMAT, inputs: Object.fromEntries(inputs.map((file) => [file, hashOf(file)])) })}\n`);
    return outfile;
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `folder` that has a node_modules folder, where Node resolves packages from. */
export function packageRoot(folder: string): string | undefined {
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function setupFaithfulBundle(build: PluginBuild, packagesFrom: string | undefined): void {
  if (packagesFrom !== undefined) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.kind === 'entry-point') return undefined;
      // Subpath imports (`#name`) are resolved through the importer's package.json, not the bundle's.
      if (args.path.startsWith('#')) return { errors: [{ text: `${args.path}: a subpath import` }] };
      if (packageRoot(args.resolveDir) === packagesFrom) return undefined;
      return { errors: [{ text: `${args.path} would resolve from ${args.resolveDir}, not from ${packagesFrom}` }] };
    });
  }
  build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
    if (args.path.includes('/node_modules/')) return undefined;
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
