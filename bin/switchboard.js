#!/usr/bin/env node
// The bundled CLI (npm run build writes it); the library API is dist/index.js. `validate`, the
// command CI and editors start most often, has a one-file bundle of its own that starts faster.
const argv = process.argv.slice(2);
const { runCli } = await import(argv[0] === 'validate' ? '../dist/bundle/validate.js' : '../dist/bundle/program.js');

process.exitCode = await runCli(argv);
