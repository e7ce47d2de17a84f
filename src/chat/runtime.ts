/**
 * Where a chat's runs start and stop. Everything a run needs open (today a Runner; MCP servers when a
 * topology declares them) is opened by `withChatRuntime` before the first turn and closed in its
 * `finally`, also when the chat ends with an error or an interrupt.
 */
import type { ModelProvider } from '@openai/agents';
import type { RuntimeTopology } from '../eval/types.js';
import type { StartRun } from './conversation.js';

/** The chat could not start (an MCP server did not connect); no turn has run. */
export class ChatStartError extends Error {
  override readonly name = 'ChatStartError';
}

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
  // One connection for the whole conversation (every turn may call the servers' tools), closed at the
  // end whatever happens. A failure to connect is the caller's to report: no turn has run yet.
  let mcp;
  try {
    mcp = await topology.openMcpServers?.();
  } catch (error) {
    throw new ChatStartError(error instanceof Error ? error.message : String(error));
  }
  try {
    return await body(startRun);
  } finally {
    await mcp?.close();
  }
}
