/**
 * Where a chat's runs start and stop. Everything a run needs open (today a Runner; MCP servers when a
 * topology declares them) is opened by `withChatRuntime` before the first turn and closed in its
 * `finally`, also when the chat ends with an error or an interrupt.
 */
import type { ModelProvider } from '@openai/agents';
import type { RuntimeTopology } from '../eval/types.js';
import type { StartRun } from './conversation.js';

export interface ChatRuntimeOptions {
  /** SDK maxTurns for each run (default 10). */
  readonly maxTurns?: number;
}

export async function withChatRuntime<T>(topology: RuntimeTopology, modelProvider: ModelProvider, options: ChatRuntimeOptions, body: (startRun: StartRun) => Promise<T>): Promise<T> {
  const runner = new topology.sdk.Runner({ modelProvider, tracingDisabled: true });
  const startRun: StartRun = (agent, input, { signal, session }) =>
    runner.run(agent, input, {
      stream: true,
      signal,
      session,
      // As the generated run helper does: two tools or handoffs with one name fail before any model call.
      toolNameCollisionPolicy: 'error',
      ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),
    });
  try {
    return await body(startRun);
  } finally {
    // Nothing to close yet: the Runner holds no connections.
  }
}
