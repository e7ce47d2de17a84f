/** Where model responses come from: a ModelProvider (the SDK's OpenAI one, or the user's module). */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
 * Load `path#export` (default export when `#export` is left out), relative to `cwd`, with tsx so
 * TypeScript works. The export is a ModelProvider, or a function (sync or async) or class returning
 * one. CommonJS modules work as Node's interop presents them. Every problem is a ProviderModuleError.
 */
export async function loadProviderModule(spec: string, cwd: string): Promise<ModelProvider> {
  const { path, exportName, absolute } = checkProviderSpec(spec, cwd);
  const { tsImport } = await import('tsx/esm/api');
  let module: Record<string, unknown>;
  try {
    module = (await tsImport(pathToFileURL(absolute).href, pathToFileURL(`${cwd}/`).href)) as Record<string, unknown>;
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
