import { dirname } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { terminalLine, terminalText } from '../../diagnostics/terminal-text.js';
import { makeDirectories } from '../../emit/write-output.js';
import { LIMITS } from '../../source/load-yaml.js';
import { readTextFileSafely } from '../../source/read-file.js';
import { validateFile } from '../../validate.js';
import { display, expandInputs } from '../inputs.js';
import { EXIT, type CliIo } from '../io.js';
import { writeInPlace } from './fix.js';
import { reportResults } from './validate.js';

export function registerStubs(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('stubs')
    .description('Write typed stubs for the tool, hook, filter and guardrail exports a topology names but its modules lack; never overwrites.')
    .argument('<topology>', 'the topology YAML file')
    .option('--dry-run', 'print what would be written; write nothing')
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .addHelpText('after', '\nExamples:\n  switchboard stubs topologies/support-desk.yaml\n  switchboard stubs topologies/support-desk.yaml --dry-run')
    .action(async (path: string, flags: { dryRun?: boolean; root?: string }) => setExit(await stubsCommand(path, flags, io)));
}

async function stubsCommand(path: string, flags: { dryRun?: boolean; root?: string }, io: CliIo): Promise<number> {
  const { config } = loadConfig(io.cwd);
  const [input] = expandInputs([path], io.cwd);
  const root = flags.root ?? config.root;
  const result = validateFile(input!.absolutePath, { displayPath: input!.displayPath, ...(root ? { root } : {}), ...(config.rules ? { ruleSettings: config.rules } : {}) });
  // Stubs are typed from the declarations, so those must be sound; rule findings (missing exports!) are expected.
  const blocking = result.diagnostics.filter((d) => /^(?:yaml|source|schema)\//.test(d.ruleId));
  if (!result.topology || !result.files || blocking.length) {
    reportResults([{ ...result, diagnostics: blocking }], { format: 'pretty', quiet: true }, io);
    io.stderr('switchboard: fix these problems first; no stubs were written\n');
    return EXIT.findings;
  }
  const { planStubs } = await import('../../init/stubs.js');
  const plan = planStubs(result.topology, result.files, (file) => {
    const read = readTextFileSafely(file, { maxBytes: LIMITS.maxFileBytes });
    return read.ok ? read.text : undefined;
  });
  for (const skipped of plan.skipped) io.stderr(`switchboard: skipped ${terminalText(skipped)}\n`);
  if (plan.files.length === 0) {
    io.stdout(plan.skipped.length ? 'Nothing written.\n' : 'Nothing to write: every referenced export exists.\n');
    return EXIT.ok;
  }
  for (const file of plan.files) {
    if (!flags.dryRun) {
      if (file.create) {
        makeDirectories(dirname(file.absolutePath), io.cwd);
        writeFileSync(file.absolutePath, file.text, { flag: 'wx' }); // never over a file that appeared meanwhile
      } else {
        writeInPlace(file.absolutePath, file.text);
      }
    }
    const verb = flags.dryRun ? (file.create ? 'would create' : 'would append to') : file.create ? 'created' : 'appended to';
    io.stdout(`${verb} ${terminalLine(display(io.cwd, file.absolutePath))}\n`);
    for (const e of file.exports) io.stdout(`  ${terminalLine(e.name)}  ${terminalText(e.purpose)}\n`);
  }
  return EXIT.ok;
}
