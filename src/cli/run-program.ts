import { Command, CommanderError } from 'commander';
import { EXIT, usageProblem, type CliIo } from './io.js';
import { terminalText } from '../diagnostics/terminal-text.js';
import { VERSION } from '../version.js';

export type Register = (program: Command, io: CliIo, setExit: (code: number) => void) => void;
/** Commands by name, in the order help lists them, each with a function that loads its registration. */
export type CommandTable = ReadonlyArray<readonly [name: string, load: () => Promise<Register>]>;

/**
 * Build the `switchboard` program for `argv`: the command it names, or every command when it names
 * none. A factory, so tests can run commands in-process with their own IO. `setExit` receives each
 * command's exit code.
 */
export async function createProgram(io: CliIo, setExit: (code: number) => void, argv: readonly string[], commands: CommandTable): Promise<Command> {
  const program = new Command('switchboard')
    .description('Validate, diagram and compile YAML agent topologies into @openai/agents code.')
    .version(VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const named = commands.find(([name]) => name === argv[0]);
  const registers = await Promise.all((named ? [named] : commands).map(([, load]) => load()));
  for (const register of registers) register(program, io, setExit);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/** Run `commands` with `argv` (without node and script) and resolve to the exit code. Never throws. */
export async function runProgram(argv: readonly string[], commands: CommandTable, io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  try {
    const program = await createProgram(io, (c) => (code = c), argv, commands);
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
