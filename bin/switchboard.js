#!/usr/bin/env node
// The bundled CLI (npm run build writes it); the library API is dist/index.js.
import { runCli } from '../dist/bundle/program.js';

process.exitCode = await runCli(process.argv.slice(2));
