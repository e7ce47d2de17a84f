import type { Command } from 'commander';
import type { CliIo } from '../io.js';

export function registerLsp(program: Command, _io: CliIo, setExit: (code: number) => void): void {
  program
    .command('lsp')
    .description('Run the switchboard language server over stdio: diagnostics as you type, definitions, references, rename, completion and hover.')
    .option('--stdio', 'talk over stdin/stdout (the default and only transport; accepted because editors pass it)')
    .addHelpText('after', '\nEditors start it themselves; see docs/editors.md for VS Code and Neovim.')
    .action(async () => {
      const { startLanguageServer } = await import('../../lsp/server.js');
      await startLanguageServer({ input: process.stdin, output: process.stdout });
      setExit(0);
    });
}
