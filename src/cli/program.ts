import { processIo, type CliIo } from './io.js';
import { runProgram, type CommandTable } from './run-program.js';

/**
 * Every command, in the order help lists them, with the module that registers it. A command's module
 * is loaded only when it is the one on the command line (all of them for help, `--version` and an
 * unknown command, so commander can list them and suggest one): a cold `validate` does not load the
 * code, or the Node built-ins, of the fifteen others.
 */
export const COMMANDS: CommandTable = [
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

/** Run the CLI with `argv` (without node and script) and resolve to the exit code. Never throws. */
export function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runProgram(argv, COMMANDS, io);
}
