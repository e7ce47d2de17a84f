import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CliIo } from '../io.js';
import { exitAfterOutput } from './eval.js';
import type { RunCommandOptions, RunDeps } from './run-turn.js';

/** `switchboard run <topology> "<message>"`: one turn, printing handoffs and tool calls as they happen. */
export function registerRun(program: Command, io: CliIo, setExit: (code: number) => void, deps: RunDeps = {}): void {
  program
    .command('run')
    .description('Run one conversation turn through a topology, printing each handoff and tool call as it happens.')
    .argument('<topology>', 'the topology YAML file')
    .argument('<message>', "the caller's message")
    .option('--model <agent=model>', 'run an agent on another model (repeatable)', collectValues, [])
    .option('--max-turns <n>', 'SDK maxTurns (default 10)', atLeastOne)
    .option('--provider <module#export>', 'a ModelProvider module (default: OpenAI, using OPENAI_API_KEY)')
    .option('--record <cassette>', 'save every model request and response to a cassette file')
    .option('--replay <cassette>', 'serve every model response from a cassette: offline, no API key')
    .option('--retries <n>', 'retries per model call on rate limits and transient errors', wholeNumber)
    .option('--timeout <seconds>', 'time limit for the turn (0: none)', seconds, 120)
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured too)')
    .addHelpText('after', '\nTools run for real (approvals are not granted). Example:\n  switchboard run topologies/support-desk.yaml "I was charged twice for INV-1042"')
    .action(async (topology: string, message: string, options: RunCommandOptions) => {
      const { runCommand } = await import('./run-turn.js');
      let abandoned = false;
      const code = await runCommand(topology, message, options, io, { onAbandoned: () => (abandoned = true), ...deps });
      setExit(code);
      if (abandoned) exitAfterOutput(code);
    });
}

// Option parsers shared with `switchboard chat`.
export function collectValues(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function atLeastOne(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return Number(value);
}

export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}

export function seconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError(`expected a number of seconds, got "${value}"`);
  return Number(value);
}
