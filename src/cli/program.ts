import { Command, CommanderError } from 'commander';
import { registerValidate } from './commands/validate.js';
import { registerRules } from './commands/rules.js';
import { registerCompile } from './commands/compile.js';
import { registerRender } from './commands/render.js';
import { registerDiff } from './commands/diff.js';
import { registerInit } from './commands/init.js';
import { registerWatch } from './commands/watch.js';
import { registerEval } from './commands/eval.js';
import { registerRun } from './commands/run.js';
import { registerChat } from './commands/chat.js';
import { registerRoutes } from './commands/routes.js';
import { registerTraffic } from './commands/traffic.js';
import { registerLsp } from './commands/lsp.js';
import { registerPreview } from './commands/preview.js';
import { registerStubs } from './commands/stubs.js';
import { registerImport } from './commands/import.js';
import { EXIT, processIo, usageProblem, type CliIo } from './io.js';
import { terminalText } from '../diagnostics/terminal-text.js';
import { VERSION } from '../version.js';

/**
 * Build the `switchboard` program. A factory, so tests can run commands in-process with their own IO.
 * `setExit` receives each command's exit code.
 */
export function createProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('switchboard')
    .description('Validate, diagram and compile YAML agent topologies into @openai/agents code.')
    .version(VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  registerValidate(program, io, setExit);
  registerCompile(program, io, setExit);
  registerWatch(program, io, setExit);
  registerRender(program, io, setExit);
  registerDiff(program, io, setExit);
  registerEval(program, io, setExit);
  registerRun(program, io, setExit);
  registerChat(program, io, setExit);
  registerRoutes(program, io, setExit);
  registerTraffic(program, io, setExit);
  registerInit(program, io, setExit);
  registerStubs(program, io, setExit);
  registerRules(program, io);
  registerLsp(program, io, setExit);
  registerPreview(program, io, setExit);
  registerImport(program, io, setExit);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/** Run the CLI with `argv` (without node and script) and resolve to the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = createProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every other commander error is bad usage, already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // Messages quote file names and values the user gave: escaped, they cannot drive the terminal.
    const problem = usageProblem(error);
    if (problem !== undefined) {
      io.stderr(`switchboard: ${terminalText(problem)}\n`);
      return EXIT.usage;
    }
    io.stderr(`switchboard: internal error: ${terminalText(String((error as Error)?.message ?? error))}\n`);
    if (io.env.SWITCHBOARD_DEBUG) io.stderr(`${(error as Error)?.stack ?? ''}\n`);
    else io.stderr('This is a bug in switchboard. Set SWITCHBOARD_DEBUG=1 to print the stack trace, and please report it.\n');
    return EXIT.usage;
  }
}
