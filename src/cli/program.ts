import { Command, CommanderError } from 'commander';
import { EXIT, processIo, usageProblem, type CliIo } from './io.js';
import { terminalText } from '../diagnostics/terminal-text.js';
import { VERSION } from '../version.js';

type Register = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

/**
 * Every command, in the order help lists them, with the module that registers it. A command's module
 * is loaded only when it is the one on the command line (all of them for help, `--version` and an
 * unknown command, so commander can list them and suggest one): a cold `validate` does not load the
 * code, or the Node built-ins, of the fifteen others.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ['validate', async () => (await import('./commands/validate.js')).registerValidate],
  ['compile', async () => (await import('./commands/compile.js')).registerCompile],
  ['watch', async () => (await import('./commands/watch.js')).registerWatch],
  ['render', async () => (await import('./commands/render.js')).registerRender],
  ['diff', async () => (await import('./commands/diff.js')).registerDiff],
  ['eval', async () => (await import('./commands/eval.js')).registerEval],
  ['run', async () => (await import('./commands/run.js')).registerRun],
  ['chat', async () => (await import('./commands/chat.js')).registerChat],
  ['routes', async () => (await import('./commands/routes.js')).registerRoutes],
  ['traffic', async () => (await import('./commands/traffic.js')).registerTraffic],
  ['init', async () => (await import('./commands/init.js')).registerInit],
  ['stubs', async () => (await import('./commands/stubs.js')).registerStubs],
  ['rules', async () => (await import('./commands/rules.js')).registerRules],
  ['lsp', async () => (await import('./commands/lsp.js')).registerLsp],
  ['preview', async () => (await import('./commands/preview.js')).registerPreview],
  ['import', async () => (await import('./commands/import.js')).registerImport],
];

/**
 * Build the `switchboard` program for `argv`: the command it names, or every command when it names
 * none. A factory, so tests can run commands in-process with their own IO. `setExit` receives each
 * command's exit code.
 */
export async function createProgram(io: CliIo, setExit: (code: number) => void, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('switchboard')
    .description('Validate, diagram and compile YAML agent topologies into @openai/agents code.')
    .version(VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const named = COMMANDS.find(([name]) => name === argv[0]);
  const registers = await Promise.all((named ? [named] : COMMANDS).map(([, load]) => load()));
  for (const register of registers) register(program, io, setExit);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/** Run the CLI with `argv` (without node and script) and resolve to the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  try {
    const program = await createProgram(io, (c) => (code = c), argv);
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
