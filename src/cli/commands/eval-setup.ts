/**
 * The I/O edge shared by `switchboard eval` and `switchboard run`: check the topology argument, load
 * the model provider, and stack the model-call layers (live → retries → record, or replay).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { formatDiagnostics } from '../../diagnostics/format.js';
import { writeAtomically } from '../../emit/write-output.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { display, requireInputFile } from '../inputs.js';
import { EXIT, UsageError, useColor, type CliIo } from '../io.js';
import { validateFile, type ValidationResult } from '../../validate.js';
import { VERSION } from '../../version.js';
import { Cassette, CassetteError, recordingCall, replayingCall, type CassetteMetadata } from '../../eval/cassette.js';
import { checkProviderSpec, liveCall, loadProviderModule, ProviderModuleError, splitProviderSpec } from '../../eval/provider.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryEvent } from '../../eval/retry.js';
import type { EvalClock, ModelCall, ModelProvider, RuntimeTopology } from '../../eval/types.js';
import { loadRuntimeTopology, TopologyLoadError } from '../../eval/load-topology.js';
import { checkOverrides, OverrideError, parseAssignment } from '../../eval/overrides.js';

/** Print diagnostics (pretty) to stderr, so stdout stays the command's own output. */
export function printDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, color: boolean | undefined): void {
  io.stderr(
    formatDiagnostics('pretty', {
      diagnostics,
      sources,
      rules: [],
      filesChecked: 1,
      color: useColor({ ...io, isTTY: false }, color),
      toolVersion: VERSION,
    }),
  );
}

/** Validate the topology argument; prints diagnostics and returns an exit code when it has errors. */
export function checkTopology(path: string, io: CliIo, options: { root?: string; color?: boolean }): ValidationResult | number {
  const absolute = requireInputFile(path, io.cwd);
  const result = validateFile(absolute, { displayPath: display(io.cwd, absolute), ...(options.root ? { root: resolve(io.cwd, options.root) } : {}) });
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics, new Map(result.source ? [[result.file, result.source.text]] : []), options.color);
    io.stderr('switchboard: fix the topology before evaluating it.\n');
    return EXIT.findings;
  }
  return result;
}

export interface ProviderOptions {
  readonly provider?: string;
  readonly record?: string;
  readonly replay?: string;
  readonly retries?: number;
  /** Written into the recorded cassette's metadata (`--cassette-note`). */
  readonly cassetteNote?: string;
}

/** Check the provider flags and read the replay cassette, before the (slow) topology import. */
export function prepareCassette(options: ProviderOptions, io: CliIo): { replay?: Cassette } {
  if (options.record && options.replay) throw new UsageError('--record and --replay cannot be used together');
  if (options.replay && options.provider) throw new UsageError('--replay serves every response from the cassette; drop --provider');
  if (!options.replay) {
    if (!options.provider && !io.env.OPENAI_API_KEY) {
      throw new UsageError('no model provider: set OPENAI_API_KEY for OpenAI models, pass --provider <module#export>, or replay a cassette with --replay <file>');
    }
    return {};
  }
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, options.replay), 'utf8');
  } catch {
    throw new UsageError(`--replay: cannot read ${options.replay}`);
  }
  try {
    return { replay: Cassette.parse(text, options.replay) };
  } catch (error) {
    if (error instanceof CassetteError) throw new UsageError(`--replay ${options.replay}: ${error.message}`);
    throw error;
  }
}

export interface ModelCalls {
  readonly call: ModelCall;
  /** Write the recording (with --record); a no-op otherwise. Returns the number of entries written. */
  save(): number | undefined;
  /** How many calls were retried. */
  retries(): number;
  /** Who recorded the responses (the cassette's metadata), when recording or replaying. */
  readonly recording?: CassetteMetadata | undefined;
}

/**
 * The compiled topology and the `--provider` module (undefined for OpenAI or replay). A malformed
 * spec or a missing file fails before the slow topology import. The module itself is imported after
 * it: tsx's loader hooks, once registered, stay on for every later import of the process, and would
 * slow the SDK's native import by about a third (docs/performance.md#evaluation-start-up).
 */
export async function loadRuntimeAndProvider(checked: ValidationResult, options: ProviderOptions, io: CliIo): Promise<{ runtime: RuntimeTopology; provider: ModelProvider | undefined }> {
  const spec = options.replay ? undefined : options.provider;
  try {
    if (spec) checkProviderSpec(spec, io.cwd);
  } catch (error) {
    explainProviderError(error);
  }
  const runtime = await loadRuntimeOrExplain(checked);
  let provider: ModelProvider | undefined;
  try {
    if (spec) provider = await loadProviderModule(spec, io.cwd, { sdk: runtime.sdkBundle });
  } catch (error) {
    explainProviderError(error);
  }
  return { runtime, provider };
}

function explainProviderError(error: unknown): never {
  if (error instanceof ProviderModuleError) throw new UsageError(error.message);
  throw error;
}

/** Build the call chain: replay, or the provider (yours, else OpenAI's) with retries, recorded with --record. */
export function modelCalls(
  options: ProviderOptions,
  io: CliIo,
  topology: RuntimeTopology,
  source: { replay?: Cassette | undefined; provider?: ModelProvider | undefined },
  deps: { clock: EvalClock; random?: () => number; onRetry?: (event: RetryEvent) => void },
): ModelCalls {
  if (source.replay) return { call: replayingCall(source.replay, options.replay!), save: () => undefined, retries: () => 0, recording: source.replay.metadata };
  let provider = source.provider;
  if (!provider) {
    const OpenAIProvider = topology.sdk.OpenAIProvider;
    if (!OpenAIProvider) throw new UsageError("the project's @openai/agents does not export OpenAIProvider; pass --provider");
    provider = new OpenAIProvider({ apiKey: io.env.OPENAI_API_KEY! });
  }
  let retried = 0;
  const call = withRetry(liveCall(provider, deps.clock), {
    policy: { ...DEFAULT_RETRY_POLICY, ...(options.retries !== undefined ? { retries: options.retries } : {}) },
    clock: deps.clock,
    ...(deps.random ? { random: deps.random } : {}),
    onRetry: (event) => {
      retried++;
      deps.onRetry?.(event);
    },
  });
  if (!options.record) return { call, save: () => undefined, retries: () => retried };
  const cassette = new Cassette();
  const note = options.cassetteNote ?? (options.provider ? 'Recorded from a --provider module, not from OpenAI: the responses are what that module returned.' : undefined);
  cassette.metadata = { recordedWith: options.provider ?? 'openai', ...(note !== undefined ? { note } : {}) };
  const path = resolve(io.cwd, options.record);
  return {
    call: recordingCall(call, cassette),
    save: () => {
      try {
        writeAtomically(path, cassette.serialize());
      } catch (error) {
        throw new UsageError(`--record: cannot write ${options.record}: ${(error as Error).message}`);
      }
      return cassette.size;
    },
    retries: () => retried,
    recording: cassette.metadata,
  };
}

/**
 * Node empties its event loop only when nothing is left that could settle a pending promise: then
 * every case in flight is waiting on a provider promise that will never settle. Tell the runner
 * (a `stall` event) from a fresh macrotask, so the loop stays alive and a later stall is seen too.
 */
export function stallWatch(): { target: EventTarget; dispose: () => void } {
  const target = new EventTarget();
  // Every case in flight listens (concurrency 16 is more than Node's default warning threshold of 10).
  setMaxListeners(0, target);
  const onBeforeExit = () => void setImmediate(() => target.dispatchEvent(new Event('stall')));
  process.on('beforeExit', onBeforeExit);
  return { target, dispose: () => process.off('beforeExit', onBeforeExit) };
}

export interface NamedPath {
  /** The flag (or argument) that named it, for the message: `--dataset`, `the topology`. */
  readonly flag: string;
  readonly path: string | undefined;
}

/**
 * Refuse, before anything is read or written, an output path that is also an input (an eval must
 * never replace its dataset with a cassette) or another output. Paths are compared after resolving
 * symlinks, so `./x`, `a/../x` and a link to x are all x. `-` (stdout) is not a path.
 */
export function checkOutputPaths(io: CliIo, inputs: readonly NamedPath[], outputs: readonly NamedPath[]): void {
  const seen = new Map<string, NamedPath>();
  for (const input of inputs) if (input.path !== undefined) seen.set(canonicalPath(resolve(io.cwd, input.path)), input);
  for (const output of outputs) {
    if (output.path === undefined || output.path === '-') continue;
    const key = canonicalPath(resolve(io.cwd, output.path));
    const clash = seen.get(key);
    if (clash) {
      const same = clash.path === output.path ? '' : ` (${clash.path})`;
      if (inputs.includes(clash)) throw new UsageError(`${output.flag} ${output.path} is the ${clash.flag} file${same}: refusing to overwrite an input`);
      throw new UsageError(`${output.flag} ${output.path} is also the ${clash.flag} output${same}: give each output its own file`);
    }
    seen.set(key, output);
  }
}

/** The module file a `--provider path#export` names. */
export function providerPath(spec: string | undefined): string | undefined {
  return spec ? splitProviderSpec(spec).path : undefined;
}

/** The real path of `path`, or of its nearest existing folder joined with the rest when it does not exist yet. */
function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(canonicalPath(parent), basename(path));
  }
}

/** The compiled topology, imported and ready to run; a topology that cannot load is a usage error. */
export async function loadRuntimeOrExplain(checked: ValidationResult): Promise<RuntimeTopology> {
  try {
    return await loadRuntimeTopology(checked);
  } catch (error) {
    if (error instanceof TopologyLoadError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--model agent=model` (repeatable) as a map, every agent id checked against the topology. */
export function modelOverrides(values: readonly string[] | undefined, agentIds: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  try {
    for (const value of values ?? []) {
      const [agent, model] = parseAssignment(value, '--model');
      overrides[agent] = model;
    }
    checkOverrides(overrides, agentIds, '--model');
  } catch (error) {
    if (error instanceof OverrideError) throw new UsageError(error.message);
    throw error;
  }
  return overrides;
}
