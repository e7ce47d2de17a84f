/** Where model responses come from: a ModelProvider (the SDK's OpenAI one, or the user's module). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleModule, packageRoot, type SdkBundle } from './bundle-module.js';
import { terminalLine } from './terminal-text.js';
import type { CallContext, EvalClock, ModelCall, ModelProvider, ModelRequest } from './types.js';
import { usageRecord } from './usage.js';

/** Call models through a provider, timing each call with `clock`. */
export function liveCall(provider: ModelProvider, clock: EvalClock): ModelCall {
  return async (model: string, request: ModelRequest, context: CallContext) => {
    const instance = await provider.getModel(model);
    const signal = request.signal ?? context.signal;
    const start = clock.now();
    const response = await instance.getResponse({ ...request, ...(signal ? { signal } : {}) });
    const latencyMs = Math.max(0, Math.round(clock.now() - start));
    return {
      output: response.output,
      usage: usageRecord(response.usage),
      latencyMs,
      ...(response.responseId !== undefined ? { responseId: response.responseId } : {}),
    };
  };
}

/** `path#export` → its parts (the default export when `#export` is left out). */
export function splitProviderSpec(spec: string): { path: string; exportName: string } {
  const hash = spec.lastIndexOf('#');
  return { path: hash === -1 ? spec : spec.slice(0, hash), exportName: hash === -1 ? 'default' : spec.slice(hash + 1) };
}

export class ProviderModuleError extends Error {
  override readonly name = 'ProviderModuleError';
}

/** The checks of `--provider path#export` that need no import: its form, and that the file exists. */
export function checkProviderSpec(spec: string, cwd: string): { path: string; exportName: string; absolute: string } {
  const { path, exportName } = splitProviderSpec(spec);
  if (path === '' || exportName === '') throw new ProviderModuleError(`--provider expects path#export, got "${spec}"`);
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(absolute)) throw new ProviderModuleError(`--provider: no such file: ${path}`);
  return { path, exportName, absolute };
}

/**
 * Load `path#export` (default export when `#export` is left out), relative to `cwd`; TypeScript works.
 * The export is a ModelProvider, or a function (sync or async) or class returning one. CommonJS
 * modules work as Node's interop presents them. Every problem is a ProviderModuleError. Pass the
 * topology's `sdkBundle` as `sdk` so the provider shares its SDK.
 */
export async function loadProviderModule(spec: string, cwd: string, options: { sdk?: SdkBundle | undefined } = {}): Promise<ModelProvider> {
  const { path, exportName, absolute } = checkProviderSpec(spec, cwd);
  let module: Record<string, unknown>;
  try {
    module = await importProvider(absolute, cwd, options.sdk);
  } catch (error) {
    throw new ProviderModuleError(`--provider: cannot load ${path}: ${errorMessage(error)}`);
  }
  // Node's CommonJS interop: `default` is the whole `module.exports`. Names its lexer cannot see are
  // still on that object, and a module compiled from `export default` (tsx in a folder without
  // "type": "module") or setting `exports.default` keeps its default one level down.
  const commonJs = isRecord(module.default) ? module.default : undefined;
  let value: unknown;
  if (exportName in module) value = module[exportName];
  else if (commonJs && exportName in commonJs) value = commonJs[exportName];
  else {
    const names = Object.keys(module).filter((k) => k !== '__esModule');
    throw new ProviderModuleError(`--provider: ${path} has no export \`${exportName}\`${names.length ? ` (it exports ${names.map((n) => `\`${n}\``).join(', ')})` : ''}`);
  }
  if (exportName === 'default' && !isProvider(value) && isRecord(value) && 'default' in value) value = value.default;
  if (typeof value === 'function' && !isProvider(value)) {
    const factory = value as (() => unknown) & (new () => unknown);
    try {
      value = /^class\b/.test(Function.prototype.toString.call(factory)) ? new factory() : await factory();
    } catch (error) {
      throw new ProviderModuleError(`--provider: ${path}#${exportName} failed while creating the provider: ${errorMessage(error)}`);
    }
  }
  if (!isProvider(value)) {
    throw new ProviderModuleError(`--provider: ${path}#${exportName} is not a ModelProvider (an object with getModel(name)), nor a function or class returning one; it is ${describeValue(value)}`);
  }
  return value;
}

/**
 * An ES module provider is bundled like the compiled topology (src/eval/bundle-module.ts) and imported
 * natively: tsx's loader hooks cost about 90 ms to start and, once on, stay on for every later import.
 * Bundled against the topology's prebuilt SDK (`sdk`), or with its packages left to the same
 * node_modules the topology's come from, it shares the topology's SDK. A CommonJS one, one the bundle
 * cannot represent, or one whose bundle fails to link goes through tsx (with its own SDK copy, as
 * every provider did before).
 */
async function importProvider(absolute: string, cwd: string, sdk: SdkBundle | undefined): Promise<Record<string, unknown>> {
  const bundle = process.env.SWITCHBOARD_EVAL_TSX === '1' ? undefined : await providerBundle(absolute, sdk);
  if (bundle) {
    try {
      // The query keeps a changed bundle at the same path from being served from Node's module cache.
      const version = createHash('sha256').update(readFileSync(bundle)).digest('hex').slice(0, 16);
      return (await import(`${pathToFileURL(bundle).href}?v=${version}`)) as Record<string, unknown>;
    } catch (error) {
      // A failure to link (a package it names is missing, an export it imports is not there) comes
      // before any of its code ran, so tsx can try again and word the error as it always did.
      if (!failedToLink(error)) throw error;
    }
  }
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(pathToFileURL(absolute).href, pathToFileURL(`${cwd}/`).href)) as Record<string, unknown>;
}

/** The bundle of an ES module provider, in the cache of the folder its packages resolve from. */
async function providerBundle(absolute: string, sdk: SdkBundle | undefined): Promise<string | undefined> {
  const extension = extname(absolute);
  const esm = extension === '.mts' || extension === '.mjs' || (['.ts', '.tsx', '.js', '.jsx'].includes(extension) && packageType(dirname(absolute)) === 'module');
  const root = esm ? packageRoot(dirname(absolute)) : undefined;
  if (!root) return undefined;
  const folder = join(root, 'node_modules', '.cache', 'switchboard', 'providers', createHash('sha256').update(absolute).digest('hex').slice(0, 16));
  const outfile = join(folder, `${basename(absolute, extension)}.mjs`);
  return (await bundleModule(absolute, outfile, { absWorkingDir: dirname(absolute), packagesFrom: root, onePackageFolder: true, sdk }))?.path;
}

/** The "type" of the package.json nearest to `folder` (how Node and tsx treat its .js and .ts files). */
function packageType(folder: string): unknown {
  for (let dir = folder; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function failedToLink(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ERR_MODULE_NOT_FOUND', 'ERR_UNKNOWN_FILE_EXTENSION', 'ERR_UNSUPPORTED_DIR_IMPORT', 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'ERR_PACKAGE_IMPORT_NOT_DEFINED'].includes(code)) return true;
  return error instanceof SyntaxError && /does not provide an export named/.test(error.message);
}

function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return terminalLine(typeof message === 'string' && message !== '' ? message.split('\n')[0]! : String(error));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    return keys.length ? `an object with ${keys.slice(0, 5).map((k) => `\`${k}\``).join(', ')}` : 'an empty object';
  }
  return typeof value === 'function' ? 'a function' : `a ${typeof value}`;
}

function isProvider(value: unknown): value is ModelProvider {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { getModel?: unknown }).getModel === 'function';
}
