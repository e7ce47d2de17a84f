import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { exitAfterOutput } from './eval.js';
import { atLeastOne, collectValues, seconds, wholeNumber } from './run.js';
import type { ChatCommandOptions, ChatDeps } from './chat-session.js';

/** `switchboard chat <topology>`: an interactive, multi-turn conversation in the terminal. */
export function registerChat(program: Command, io: CliIo, setExit: (code: number) => void, deps: ChatDeps = {}): void {
  program
    .command('chat')
    .description('Talk to a topology in the terminal: every handoff and tool call as it happens, y/n approvals, history kept across turns.')
    .argument('<topology>', 'the topology YAML file')
    .option('--model <agent=model>', 'run an agent on another model (repeatable)', collectValues, [])
    .option('--max-turns <n>', 'SDK maxTurns per message (default 10)', atLeastOne)
    .option('--provider <module#export>', 'a ModelProvider module (default: OpenAI, using OPENAI_API_KEY)')
    .option('--record <cassette>', 'save every model request and response to a cassette file')
    .option('--replay <cassette>', 'serve every model response from a cassette: offline, no API key')
    .option('--retries <n>', 'retries per model call on rate limits and transient errors', wholeNumber)
    .option('--timeout <seconds>', 'time limit for each turn (0: none)', seconds, 120)
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured too)')
    .addHelpText('after', '\nType /help in the chat for its commands. Lines piped on stdin are read as typed turns. Example:\n  switchboard chat topologies/support-desk.yaml')
    .action(async (topology: string, options: ChatCommandOptions) => {
      const { chatCommand } = await import('./chat-session.js');
      let abandoned = false;
      const code = await chatCommand(topology, options, io, { onAbandoned: () => (abandoned = true), ...deps });
      setExit(code);
      if (abandoned) exitAfterOutput(code);
    });
}
