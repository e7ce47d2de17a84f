import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RULES } from './rules/index.js';
import { didYouMean } from './diagnostics/suggest.js';
import { readTextFileSafely } from './source/read-file.js';

/** Settings shared by every command: `switchboard.config.json`, or a `switchboard` key in package.json. */
export interface SwitchboardConfig {
  /** Default paths for validate, compile and watch (relative to the config file). */
  readonly inputs?: readonly string[];
  /** Output folder for compile and watch. */
  readonly out?: string;
  /** Default `--format` of validate. */
  readonly format?: 'pretty' | 'json' | 'github' | 'sarif';
  readonly maxWarnings?: number;
  /** Rule severities for every topology; a topology's own `rules:` wins over these. */
  readonly rules?: Readonly<Record<string, 'off' | 'warning' | 'error'>>;
  /** Project root that references must stay inside. */
  readonly root?: string;
  /** Browser for render. */
  readonly browser?: string;
  /** gitignore-style patterns (relative to the config file) skipped when searching folders and globs. */
  readonly ignore?: readonly string[];
  /** Model names the `model-known` rule accepts besides its built-in list. */
  readonly models?: readonly string[];
}

export interface LoadedConfig {
  readonly config: SwitchboardConfig;
  /** The file it came from, absent when there is none. */
  readonly file?: string;
}

/** Thrown for an unreadable or invalid configuration; the CLI prints it as a usage error. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const KEYS = ['inputs', 'out', 'format', 'maxWarnings', 'rules', 'root', 'browser', 'ignore', 'models'] as const;

/**
 * Find the configuration for `cwd`: the nearest `switchboard.config.json` or package.json with a
 * `switchboard` key, searching upward. Relative paths in it are made absolute against its folder.
 */
export function loadConfig(cwd: string): LoadedConfig {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const own = join(dir, 'switchboard.config.json');
    if (existsSync(own)) return { config: parseConfig(readJson(own), own), file: own };
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = readJson(manifest) as { switchboard?: unknown };
      if (json.switchboard !== undefined) return { config: parseConfig(json.switchboard, `${manifest} ("switchboard" key)`, manifest), file: manifest };
    }
    if (dirname(dir) === dir) return { config: {} };
  }
}

function readJson(path: string): unknown {
  // Through the safe reader: a FIFO or device named like a config file is an error, not a hang.
  const read = readTextFileSafely(path, { maxBytes: 10 * 1024 * 1024 });
  if (!read.ok) throw new ConfigError(`cannot read ${path}: it ${read.message.replace(/^file /, '')}`);
  try {
    return JSON.parse(read.text) as unknown;
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

function parseConfig(value: unknown, where: string, file = where): SwitchboardConfig {
  const fail = (problem: string): never => {
    throw new ConfigError(`${where}: ${problem}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be a JSON object');
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const suggestion = didYouMean(key, KEYS);
      fail(`unknown key "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (allowed: ${KEYS.join(', ')})`);
    }
  }
  const base = dirname(file);
  const path = (key: string) => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') return fail(`"${key}" must be a path`);
    return resolve(base, v);
  };
  const inputs = raw.inputs;
  if (inputs !== undefined && (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((i) => typeof i !== 'string'))) fail('"inputs" must be a non-empty list of paths');
  if (raw.format !== undefined && !['pretty', 'json', 'github', 'sarif'].includes(String(raw.format))) fail('"format" must be pretty, json, github or sarif');
  if (raw.maxWarnings !== undefined && !(Number.isInteger(raw.maxWarnings) && (raw.maxWarnings as number) >= 0)) fail('"maxWarnings" must be a whole number');
  const rules = raw.rules;
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) fail('"rules" must map rule ids to off, warning or error');
    for (const [id, setting] of Object.entries(rules as Record<string, unknown>)) {
      if (!RULES.some((r) => r.id === id)) {
        const suggestion = didYouMean(id, RULES.map((r) => r.id));
        fail(`unknown rule "${id}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
      }
      if (!['off', 'warning', 'error'].includes(String(setting))) fail(`rule "${id}" must be off, warning or error`);
      const required = RULES.find((r) => r.id === id)?.required;
      if (required && setting !== 'error') fail(`rule "${id}" cannot be set to ${String(setting)}: ${required}`);
    }
  }
  const strings = (key: 'ignore' | 'models') => {
    const v = raw[key];
    if (v !== undefined && (!Array.isArray(v) || v.some((i) => typeof i !== 'string' || i === ''))) fail(`"${key}" must be a list of strings`);
    return v as string[] | undefined;
  };
  const ignored = strings('ignore');
  const models = strings('models');
  return {
    ...(ignored ? { ignore: ignored } : {}),
    ...(models ? { models } : {}),
    ...(inputs ? { inputs: (inputs as string[]).map((i) => resolve(base, i)) } : {}),
    ...(path('out') ? { out: path('out')! } : {}),
    ...(raw.format ? { format: raw.format as SwitchboardConfig['format'] } : {}),
    ...(raw.maxWarnings !== undefined ? { maxWarnings: raw.maxWarnings as number } : {}),
    ...(rules ? { rules: rules as SwitchboardConfig['rules'] } : {}),
    ...(path('root') ? { root: path('root')! } : {}),
    ...(path('browser') ? { browser: path('browser')! } : {}),
  };
}
