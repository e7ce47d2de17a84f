/**
 * `switchboard chat <topology>`: the terminal around src/chat. Reads lines with readline (a real
 * terminal, or lines piped on stdin for scripts), asks approvals y/n, and maps Ctrl-C: during a turn
 * it cancels the turn; at an empty prompt, a second Ctrl-C (or Ctrl-D, or /quit) leaves with exit 0.
 */
import { createInterface, type Interface } from 'node:readline';
import { Conversation, type ApprovalRequest } from '../../chat/conversation.js';
import { parseChatInput } from '../../chat/commands.js';
import { ANSI_STYLE, approvalQuestion, chatPrompt, parseApproval, PLAIN_STYLE, renderAgents, renderChatEvent, renderHelp } from '../../chat/render.js';
import { ChatStartError, withChatRuntime } from '../../chat/runtime.js';
import { streamingProvider } from '../../chat/streaming-provider.js';
import { terminalLine } from '../../diagnostics/terminal-text.js';
import { captureProvider, newTrace } from '../../eval/capture.js';
import { applyModels } from '../../eval/overrides.js';
import { describeError } from '../../eval/runner.js';
import { realClock } from '../../eval/types.js';
import { addUsage, ZERO_USAGE } from '../../eval/usage.js';
import { EXIT, UsageError, useColor, type CliIo } from '../io.js';
import { checkOutputPaths, checkTopology, loadRuntimeAndProvider, modelCalls, modelOverrides, prepareCassette, providerPath } from './eval-setup.js';

export interface ChatCommandOptions {
  readonly model?: readonly string[];
  readonly maxTurns?: number;
  readonly provider?: string;
  readonly record?: string;
  readonly replay?: string;
  readonly retries?: number;
  /** Time limit for each turn in seconds (0: none). */
  readonly timeout?: number;
  readonly root?: string;
  readonly color?: boolean;
}

export interface ChatDeps {
  /** Where typed lines come from (default: process.stdin). */
  readonly input?: NodeJS.ReadableStream;
  /** Whether `input` is a terminal (default: process.stdin.isTTY). */
  readonly inputIsTTY?: boolean;
  /** Called when a cancelled turn's model call ignored the abort signal and is still running at the end. */
  readonly onAbandoned?: () => void;
}

export async function chatCommand(topologyPath: string, options: ChatCommandOptions, io: CliIo, deps: ChatDeps = {}): Promise<number> {
  checkOutputPaths(
    io,
    [
      { flag: 'topology', path: topologyPath },
      { flag: '--replay', path: options.replay },
      { flag: '--provider', path: providerPath(options.provider) },
    ],
    [{ flag: '--record', path: options.record }],
  );
  const checked = checkTopology(topologyPath, io, { ...(options.root ? { root: options.root } : {}), ...(options.color !== undefined ? { color: options.color } : {}) });
  if (typeof checked === 'number') return checked;
  const overrides = modelOverrides(options.model, checked.topology!.agents.map((a) => a.id));
  const { replay } = prepareCassette(options, io);
  const { runtime: topology, provider: userProvider } = await loadRuntimeAndProvider(checked, options, io);
  const MemorySession = topology.sdk.MemorySession;
  if (!MemorySession) throw new UsageError("the project's @openai/agents does not export MemorySession; chat needs @openai/agents 0.20");
  const calls = modelCalls(options, io, topology, { replay, provider: userProvider }, { clock: realClock });
  const trace = newTrace();
  const provider = streamingProvider(captureProvider({ call: calls.call, sdk: topology.sdk, context: { repeat: 0 }, trace, stopAfterRouting: false }));
  const style = useColor(io, options.color) ? ANSI_STYLE : PLAIN_STYLE;
  const restore = applyModels(topology.agents, overrides);
  let code: number = EXIT.ok;
  try {
    code = await withChatRuntime(topology, provider, options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}, async (startRun) => {
      const conversation = new Conversation({ agents: topology.agents, entryId: topology.entryId, startRun, newSession: () => new MemorySession() });
      const exit = await converse(conversation, io, deps, style, options.timeout ?? 120);
      if (conversation.runsStillRunning > 0) {
        io.stderr(`switchboard: ${conversation.runsStillRunning} cancelled turn(s) still have a model call running that ignored the abort signal; not waiting for them.\n`);
        deps.onAbandoned?.();
      }
      return exit;
    });
  } catch (error) {
    if (!(error instanceof ChatStartError)) throw error;
    io.stderr(`switchboard: cannot start the chat: ${terminalLine(error.message)}\n`);
    code = EXIT.findings;
  } finally {
    restore();
  }
  const usage = trace.calls.reduce((sum, c) => addUsage(sum, c.usage), ZERO_USAGE);
  io.stderr(style.dim(`${trace.calls.length} model call${trace.calls.length === 1 ? '' : 's'}, ${usage.inputTokens} input + ${usage.outputTokens} output tokens\n`));
  const saved = calls.save();
  if (saved !== undefined) io.stderr(`switchboard: recorded ${saved} request(s) to ${terminalLine(options.record!)}.\n`);
  return code;
}

/** The prompt loop. Resolves with the exit code: 0, or 1 when a turn failed (a script can tell). */
async function converse(conversation: Conversation, io: CliIo, deps: ChatDeps, style: typeof PLAIN_STYLE, timeoutSeconds: number): Promise<number> {
  const input = deps.input ?? process.stdin;
  const terminal = deps.inputIsTTY ?? Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, ...(terminal ? { output: process.stdout, terminal: true } : { terminal: false }) });
  const reader = new LineReader(rl, io, terminal);
  let turn: AbortController | undefined;
  let interruptedOnce = false;
  let failed = false;
  const onInterrupt = () => {
    if (turn && !turn.signal.aborted) {
      turn.abort();
      return;
    }
    if (terminal && rl.line.length > 0) {
      // As in a shell: Ctrl-C on a half-typed line drops the line.
      rl.write(null, { ctrl: true, name: 'e' });
      rl.write(null, { ctrl: true, name: 'u' });
      io.stdout('^C\n');
      interruptedOnce = false;
      rl.prompt();
      return;
    }
    if (interruptedOnce) {
      io.stdout('\n');
      reader.end();
      return;
    }
    interruptedOnce = true;
    io.stdout(`\n${style.dim('(To leave, press Ctrl-C again or Ctrl-D, or type /quit.)')}\n`);
    if (terminal) rl.prompt();
  };
  rl.on('SIGINT', onInterrupt);
  process.on('SIGINT', onInterrupt);
  io.stdout(style.dim(`Chatting with ${terminalLine(conversation.active.name)}. /help for commands, /quit to leave.\n`));
  try {
    for (;;) {
      const line = await reader.read(chatPrompt(conversation.active, style));
      if (line === undefined) break;
      interruptedOnce = false;
      const parsed = parseChatInput(line);
      if (parsed.kind === 'empty') continue;
      if (parsed.kind === 'unknown-command') {
        io.stdout(`unknown command /${terminalLine(parsed.name)}; /help lists the commands\n`);
        continue;
      }
      if (parsed.kind === 'command') {
        if (parsed.name === 'quit') break;
        if (parsed.name === 'help') io.stdout(renderHelp());
        if (parsed.name === 'agents') io.stdout(renderAgents(conversation.agents(), style));
        if (parsed.name === 'reset') {
          conversation.reset();
          io.stdout(style.dim(`New session: the history is cleared and ${terminalLine(conversation.active.name)} answers next.\n`));
        }
        continue;
      }
      turn = new AbortController();
      let timedOut = false;
      const timer = timeoutSeconds > 0 ? setTimeout(() => ((timedOut = true), turn?.abort()), timeoutSeconds * 1000) : undefined;
      try {
        const outcome = await conversation.send(parsed.text, {
          signal: turn.signal,
          onEvent: (event) => io.stdout(renderChatEvent(event, style)),
          decide: (request, signal) => ask(reader, request, signal, style),
        });
        if (outcome.status === 'aborted') {
          io.stdout(`${timedOut ? `the turn took longer than ${timeoutSeconds} s` : '^C'}: turn cancelled; the conversation is as it was before it.\n`);
        } else if (outcome.status === 'failed') {
          failed = true;
          io.stderr(`switchboard: the turn failed: ${terminalLine(describeError(outcome.error).message)}\n`);
          io.stdout('The conversation is as it was before that turn.\n');
        }
      } finally {
        clearTimeout(timer);
        turn = undefined;
      }
    }
  } finally {
    rl.off('SIGINT', onInterrupt);
    process.off('SIGINT', onInterrupt);
    rl.close();
  }
  return failed ? EXIT.findings : EXIT.ok;
}

/** Ask y/n until answered; undefined when the turn was cancelled or input ended. */
async function ask(reader: LineReader, request: ApprovalRequest, signal: AbortSignal, style: typeof PLAIN_STYLE): Promise<boolean | undefined> {
  let question = approvalQuestion(request, style);
  for (;;) {
    const answer = await reader.read(question, signal);
    if (answer === undefined) return undefined;
    const approved = parseApproval(answer);
    if (approved !== undefined) return approved;
    question = '  please answer y or n: ';
  }
}

/**
 * Lines from readline, one `read` at a time. Lines that arrive while nobody reads (typed ahead, or a
 * whole pipe read at once) wait in order. Piped lines are echoed after the prompt, so a transcript
 * reads like the conversation.
 */
class LineReader {
  private readonly queued: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;

  constructor(
    private readonly rl: Interface,
    private readonly io: CliIo,
    private readonly terminal: boolean,
  ) {
    rl.on('line', (line) => {
      if (this.waiting) this.settle(line);
      else this.queued.push(line);
    });
    rl.on('close', () => this.end());
  }

  /** No more lines: the pending and every later read get undefined. */
  end(): void {
    this.ended = true;
    this.settle(undefined);
  }

  read(prompt: string, signal?: AbortSignal): Promise<string | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (this.terminal) {
      this.rl.setPrompt(prompt);
      this.rl.prompt(true);
    } else this.io.stdout(prompt);
    const queued = this.queued.shift();
    if (queued !== undefined || this.ended) return Promise.resolve(this.echo(queued));
    return new Promise((resolve) => {
      const onAbort = () => {
        if (this.terminal) this.io.stdout('\n');
        this.settle(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting = (line) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.echo(line));
      };
    });
  }

  private settle(line: string | undefined): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(line);
  }

  private echo(line: string | undefined): string | undefined {
    if (!this.terminal) this.io.stdout(line === undefined ? '\n' : `${terminalLine(line)}\n`);
    return line;
  }
}
