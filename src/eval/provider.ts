/** Where model responses come from: a ModelProvider (the SDK's OpenAI one, or the user's module). */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

export class ProviderModuleError extends Error {
  override readonly name = 'ProviderModuleError';
}

/**
 * Load `path#export` (default export when `#export` is left out), relative to `cwd`, with tsx so
 * TypeScript works. The export is a ModelProvider, or a function (sync or async) returning one.
 */
export async function loadProviderModule(spec: string, cwd: string): Promise<ModelProvider> {
  const hash = spec.lastIndexOf('#');
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? 'default' : spec.slice(hash + 1);
  if (path === '' || exportName === '') throw new ProviderModuleError(`--provider expects path#export, got "${spec}"`);
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(absolute)) throw new ProviderModuleError(`--provider: no such file: ${path}`);
  const { tsImport } = await import('tsx/esm/api');
  let module: Record<string, unknown>;
  try {
    module = (await tsImport(pathToFileURL(absolute).href, pathToFileURL(`${cwd}/`).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ProviderModuleError(`--provider: cannot load ${path}: ${(error as Error).message}`);
  }
  if (!(exportName in module)) {
    const names = Object.keys(module).filter((k) => k !== '__esModule');
    throw new ProviderModuleError(`--provider: ${path} has no export \`${exportName}\`${names.length ? ` (it exports ${names.map((n) => `\`${n}\``).join(', ')})` : ''}`);
  }
  let value = module[exportName];
  if (typeof value === 'function' && !isProvider(value)) value = await (value as () => unknown)();
  if (!isProvider(value)) throw new ProviderModuleError(`--provider: ${path}#${exportName} is not a ModelProvider (an object with getModel(name)), nor a function returning one`);
  return value;
}

function isProvider(value: unknown): value is ModelProvider {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { getModel?: unknown }).getModel === 'function';
}
