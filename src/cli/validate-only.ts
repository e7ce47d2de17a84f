import { registerValidate } from './commands/validate.js';
import { processIo, type CliIo } from './io.js';
import { runProgram } from './run-program.js';

/**
 * `switchboard validate`, and nothing else, as the entry of its own one-file bundle
 * (dist/bundle/validate.js; bin/switchboard.js picks it when the first argument is `validate`).
 * Node's ES module loader pays per file: the same code split over the shared chunks of the full
 * CLI (about 20 files) took ~9 ms longer to start, an eighth of a cold `validate`.
 */
export function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runProgram(argv, [['validate', async () => registerValidate]], io);
}
