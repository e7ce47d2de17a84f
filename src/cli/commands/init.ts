import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { display } from '../inputs.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

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
  const name = options.name ?? kebab(basename(root));
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UsageError(`"${name}" is not a valid topology name; pass --name with a kebab-case name such as support-line`);
  const files = scaffold(name, { withTsconfig: !existsSync(join(root, 'tsconfig.json')), schemaPath: '../node_modules/switchboard/schema/topology.schema.json' });
  const taken = files.filter((f) => existsSync(join(root, f.path)));
  if (taken.length) {
    io.stderr(`switchboard: init would overwrite existing files; nothing was written:\n${taken.map((f) => `  ${display(io.cwd, join(root, f.path))}\n`).join('')}`);
    return EXIT.findings;
  }
  for (const file of files) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.contents, { flag: 'wx' });
    io.stdout(`created ${display(io.cwd, join(root, file.path))}\n`);
  }
  addScripts(root, { ...SCRIPTS, 'switchboard:eval': evalScript(name) }, io);
  io.stdout(`\nNext: implement the tools in topologies/${name}/tools.ts, then\n  npx switchboard compile topologies/\n`);
  return EXIT.ok;
}

/** Add the switchboard scripts to package.json, keeping any script the project already has. */
function addScripts(root: string, wanted: Record<string, string>, io: CliIo): void {
  const path = join(root, 'package.json');
  if (!existsSync(path)) {
    io.stdout('no package.json: add these scripts when you create one:\n' + Object.entries(wanted).map(([k, v]) => `  "${k}": "${v}"\n`).join(''));
    return;
  }
  const text = readFileSync(path, 'utf8');
  const manifest = JSON.parse(text) as { scripts?: Record<string, string> };
  const scripts = { ...(manifest.scripts ?? {}) };
  const added = Object.keys(wanted).filter((k) => !(k in scripts));
  for (const key of added) scripts[key] = wanted[key]!;
  if (!added.length) return;
  const indent = /^\{\n(\s+)"/.exec(text)?.[1] ?? '  ';
  writeFileSync(path, JSON.stringify({ ...manifest, scripts }, null, indent) + '\n');
  io.stdout(`added scripts to ${display(io.cwd, path)}: ${added.join(', ')}\n`);
}

function kebab(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
}
