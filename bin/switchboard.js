#!/usr/bin/env node
import { runCli } from '../dist/cli/program.js';

process.exitCode = await runCli(process.argv.slice(2));
