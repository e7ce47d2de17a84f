import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { display, requireInputFile } from '../inputs.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { readTextFileSafely } from '../../source/read-file.js';
import { makeDirectories } from '../../emit/write-output.js';
import { terminalLine, terminalText } from '../../diagnostics/terminal-text.js';
import { LIMITS } from '../../source/load-yaml.js';

interface ImportFlags {
  out?: string;
  entry?: string;
  force?: boolean;
  quiet?: boolean;
}

export function registerImport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('import')
    .description('Turn existing @openai/agents wiring (.ts, .js, .mjs; .py when available) into a topology YAML plus a side module that re-exports your code.')
    .argument('<file>', 'the source file that builds the agents')
    .option('-o, --out <file.yaml>', 'the topology to write (default: <file>.yaml next to the source)')
    .option('--entry <agent>', 'the entry agent (id, variable or name), when the source runs several or none')
    .option('--force', 'overwrite the output files if they exist')
    .option('-q, --quiet', 'print only problems')
    .addHelpText('after', '\nExamples:\n  switchboard import src/agents.ts --out topologies/support.yaml\n  switchboard import examples/handoffs.ts --entry secondAgent')
    .action(async (file: string, flags: ImportFlags) => setExit(await importCommand(file, flags, io)));
}

async function importCommand(file: string, flags: ImportFlags, io: CliIo): Promise<number> {
  const { importSource, settleImport, IMPORT_EXTENSIONS, ImporterUnavailableError } = await import('../../import/index.js');
  const source = requireInputFile(file, io.cwd, 'give one source file to import');
  if (!IMPORT_EXTENSIONS.includes(extname(source).toLowerCase() as never)) throw new UsageError(`cannot import ${display(io.cwd, source)}: switchboard import reads ${IMPORT_EXTENSIONS.join(', ')} files`);
  const out = resolve(io.cwd, flags.out ?? join(dirname(source), `${basename(source, extname(source))}.yaml`));
  if (!/\.ya?ml$/i.test(out)) throw new UsageError(`--out must name a .yaml or .yml file, not ${display(io.cwd, out)}`);
  const read = readTextFileSafely(source, { maxBytes: LIMITS.maxFileBytes });
  if (!read.ok) {
    io.stderr(`switchboard: ${terminalLine(display(io.cwd, source))} ${terminalText(read.message)}; nothing was written\n`);
    return EXIT.findings;
  }
  const { ImportEntryError, ImportSourceError } = await import('../../import/errors.js');
  let result;
  try {
    result = await importSource(read.text, source, { outFile: out, ...(flags.entry !== undefined ? { entry: flags.entry } : {}) });
  } catch (error) {
    if (error instanceof ImportEntryError) {
      const lines = error.ambiguity.candidates.map((c) => `  ${terminalLine(c.agent)}  ${terminalLine(display(io.cwd, resolve(io.cwd, c.location.file)))}:${c.location.line}:${c.location.column}\n`);
      io.stderr(`switchboard: ${terminalText(error.message)}; nothing was written. Candidates:\n${lines.join('')}`);
      return EXIT.findings;
    }
    if (error instanceof ImportSourceError) {
      const at = error.location ? `${terminalLine(display(io.cwd, source))}:${error.location.line}:${error.location.column}: ` : '';
      io.stderr(`switchboard: ${at}${terminalText(error.message)}; nothing was written\n`);
      return EXIT.findings;
    }
    if (error instanceof ImporterUnavailableError) {
      io.stderr(`switchboard: ${terminalText(error.message)}; nothing was written\n`);
      return EXIT.findings;
    }
    throw error;
  }
  const settled = settleImport(result, out);
  result = settled.result;
  const { files } = settled;
  const taken = files.filter((f) => existsSync(f.path));
  if (taken.length && !flags.force) {
    io.stderr(`switchboard: import would overwrite existing files; nothing was written (pass --force to overwrite):\n${taken.map((f) => `  ${terminalLine(display(io.cwd, f.path))}\n`).join('')}`);
    return EXIT.findings;
  }
  const validation = { ...settled.validation, file: display(io.cwd, out), diagnostics: settled.validation.diagnostics.map((d) => ({ ...d, file: display(io.cwd, out) })) };
  for (const f of files) {
    makeDirectories(dirname(f.path));
    writeFileSync(f.path, f.contents);
    if (!flags.quiet) io.stdout(`wrote ${terminalLine(display(io.cwd, f.path))}\n`);
  }
  for (const note of result.notes) {
    const where = `${terminalLine(display(io.cwd, resolve(io.cwd, note.location.file)))}:${note.location.line}:${note.location.column}`;
    if (note.severity === 'info' && flags.quiet) continue;
    io.stderr(`${where}: ${note.severity}: ${terminalText(note.message)}${note.action ? ` — ${terminalText(note.action)}` : ''}\n`);
  }
  const errors = validation.diagnostics.filter((d) => d.severity === 'error');
  const warnings = validation.diagnostics.filter((d) => d.severity === 'warning');
  if (validation.diagnostics.length) {
    const { formatDiagnostics } = await import('../../diagnostics/format.js');
    const { RULES } = await import('../../rules/index.js');
    const { VERSION } = await import('../../version.js');
    io.stderr(formatDiagnostics('pretty', { diagnostics: validation.diagnostics, sources: new Map([[validation.file, files[0]!.contents]]), rules: RULES, filesChecked: 1, color: false, toolVersion: VERSION }));
  }
  if (!flags.quiet) io.stdout(`imported ${Object.keys(result.document.agents as object).length} agents; ${errors.length} errors, ${warnings.length} warnings from validate; ${result.notes.length} import notes\n`);
  return errors.length ? EXIT.findings : EXIT.ok;
}
