import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { display } from '../inputs.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { readTextFileSafely } from '../../source/read-file.js';
import { makeDirectories } from '../../emit/write-output.js';
import { terminalLine } from '../../diagnostics/terminal-text.js';

const SCRIPTS: Record<string, string> = {
  'switchboard:validate': 'switchboard validate topologies/',
  'switchboard:compile': 'switchboard compile topologies/',
  'switchboard:check': 'switchboard compile topologies/ --check',
};
// The eval script is added by name, since it needs the topology's file names.
const evalScript = (name: string) => `switchboard eval topologies/${name}.yaml --dataset evals/${name}.routing.yaml`;

export function registerInit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('Scaffold a starter topology, typed tool stubs, a routing dataset and package scripts; never overwrites a file.')
    .argument('[dir]', 'project folder', '.')
    .option('--name <name>', 'topology name (kebab-case; default: the folder name)')
    .option('-q, --quiet', 'print only problems')
    .addHelpText('after', '\nExamples:\n  switchboard init\n  switchboard init my-agents --name support-line')
    .action(async (dir: string, options: { name?: string; quiet?: boolean }) => setExit(await initCommand(dir, options, options.quiet ? { ...io, stdout: () => undefined } : io)));
}

async function initCommand(dir: string, options: { name?: string }, io: CliIo): Promise<number> {
  const { scaffold } = await import('../../init/scaffold.js');
  const root = resolve(io.cwd, dir);
  const existing = statOrUndefined(root);
  if (existing && !existing.isDirectory()) throw new UsageError(`${display(io.cwd, root)} exists and is not a folder; init needs a project folder`);
  const name = options.name ?? kebab(basename(root));
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UsageError(`"${name}" is not a valid topology name; pass --name with a kebab-case name such as support-line`);
  const topologyFolder = join(root, 'topologies');
  const files = scaffold(name, { withTsconfig: !existsSync(join(root, 'tsconfig.json')), schemaPath: schemaPathFrom(topologyFolder, root) });
  const taken = files.filter((f) => existsSync(join(root, f.path)));
  if (taken.length) {
    io.stderr(`switchboard: init would overwrite existing files; nothing was written:\n${taken.map((f) => `  ${display(io.cwd, join(root, f.path))}\n`).join('')}`);
    return EXIT.findings;
  }
  // Read package.json before writing anything, so a broken one leaves the folder as it was.
  const manifest = readManifest(root, io);
  for (const file of files) {
    makeDirectories(dirname(join(root, file.path)));
    writeFileSync(join(root, file.path), file.contents, { flag: 'wx' });
    io.stdout(`created ${terminalLine(display(io.cwd, join(root, file.path)))}\n`);
  }
  addScripts(root, manifest, { ...SCRIPTS, 'switchboard:eval': evalScript(name) }, io);
  const missing = NEEDED_PACKAGES.filter((p) => !installedFrom(root, p.name));
  const install = (dev: boolean) => missing.filter((p) => Boolean(p.dev) === dev).map((p) => p.spec);
  const lines = [''];
  if (missing.length) lines.push('The generated code imports @openai/agents and zod, and the tool stubs are TypeScript; install what is missing:');
  if (install(false).length) lines.push(`  npm install ${install(false).join(' ')}`);
  if (install(true).length) lines.push(`  npm install --save-dev ${install(true).join(' ')}`);
  lines.push(`Next: implement the tools in topologies/${name}/tools.ts, then`, '  npx switchboard compile topologies/', '');
  io.stdout(lines.join('\n'));
  return EXIT.ok;
}

/** What the generated code imports (the peers, in the ranges it needs) and TypeScript for the stubs. */
const NEEDED_PACKAGES: readonly { name: string; spec: string; dev?: boolean }[] = [
  { name: '@openai/agents', spec: '@openai/agents@~0.20.0' },
  { name: 'zod', spec: 'zod@^4' },
  { name: 'typescript', spec: 'typescript', dev: true },
];

/** Whether `name` is installed where `root` resolves packages (its node_modules or a parent's). */
function installedFrom(root: string, name: string): boolean {
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * The schema modeline's path, relative to the folder the topology is created in: this installation's
 * schema when the project resolves to it, else where `npm install switchboard` puts it in the project.
 */
function schemaPathFrom(topologyFolder: string, root: string): string {
  let schema = join(root, 'node_modules', 'switchboard', 'schema', 'topology.schema.json');
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'switchboard', 'schema', 'topology.schema.json');
    if (existsSync(candidate)) {
      schema = candidate;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return relative(topologyFolder, schema).split(sep).join('/');
}

interface Manifest {
  readonly text: string;
  readonly data: { scripts?: Record<string, string> };
}

/** The project's package.json, or undefined when there is none. A broken one is a usage error. */
function readManifest(root: string, io: CliIo): Manifest | undefined {
  const path = join(root, 'package.json');
  if (!existsSync(path)) return undefined;
  const read = readTextFileSafely(path, { maxBytes: 10 * 1024 * 1024 });
  if (!read.ok) throw new UsageError(`${display(io.cwd, path)} ${read.message}; nothing was written`);
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch (error) {
    throw new UsageError(`${display(io.cwd, path)} is not valid JSON (${(error as Error).message}); nothing was written`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${display(io.cwd, path)} does not hold a JSON object; nothing was written`);
  return { text: read.text, data: data as Manifest['data'] };
}

/** Add the switchboard scripts to package.json, keeping any script the project already has. */
function addScripts(root: string, manifest: Manifest | undefined, wanted: Record<string, string>, io: CliIo): void {
  const path = join(root, 'package.json');
  if (!manifest) {
    io.stdout('no package.json: add these scripts when you create one:\n' + Object.entries(wanted).map(([k, v]) => `  "${k}": "${v}"\n`).join(''));
    return;
  }
  const { text, data } = manifest;
  const scripts = { ...(data.scripts ?? {}) };
  const added = Object.keys(wanted).filter((k) => !(k in scripts));
  for (const key of added) scripts[key] = wanted[key]!;
  if (!added.length) return;
  const indent = /^\{\n(\s+)"/.exec(text)?.[1] ?? '  ';
  writeFileSync(path, JSON.stringify({ ...data, scripts }, null, indent) + '\n');
  io.stdout(`added scripts to ${display(io.cwd, path)}: ${added.join(', ')}\n`);
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function kebab(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
}
