/**
 * A chat with a compiled topology as a state machine: who answers next, the session (history across
 * turns), and one turn at a time through the SDK's streamed run, paused for approvals and resumed.
 * No terminal and no SDK values here: the caller supplies how a run starts (`startRun`), how a session
 * is made, how events are shown and how an approval is decided.
 */
import type { RunState, RunStreamEvent, Session, StreamedRunResult } from '@openai/agents';
import { handoffReason } from '../eval/capture.js';
import type { AnyAgent } from '../eval/types.js';

export interface AgentRef {
  /** The agent's id in the YAML. */
  readonly id: string;
  /** Its SDK name (what the model sees). */
  readonly name: string;
}

export type ChatEvent =
  | { readonly type: 'handoff'; readonly from: AgentRef; readonly to: AgentRef; readonly reason?: string }
  | { readonly type: 'tool_call'; readonly agent: AgentRef; readonly tool: string; readonly arguments: string }
  | { readonly type: 'tool_result'; readonly agent: AgentRef; readonly tool: string; readonly output: string }
  | { readonly type: 'approval'; readonly agent: AgentRef; readonly tool: string; readonly approved: boolean }
  | { readonly type: 'reply'; readonly agent: AgentRef; readonly text: string };

export interface ApprovalRequest {
  readonly agent: AgentRef;
  readonly tool: string;
  /** The call's raw JSON arguments. */
  readonly arguments: string;
}

export interface TurnHandlers {
  /** Aborting it cancels the turn: the conversation is left as it was before the turn. */
  readonly signal: AbortSignal;
  readonly onEvent: (event: ChatEvent) => void;
  /** Approve (true) or reject (false) a tool call; undefined when the question was cancelled. */
  readonly decide: (request: ApprovalRequest, signal: AbortSignal) => Promise<boolean | undefined>;
}

export type TurnOutcome =
  | { readonly status: 'completed'; readonly agent: AgentRef }
  | { readonly status: 'aborted' }
  | { readonly status: 'failed'; readonly error: unknown };

type AnyRunState = RunState<any, AnyAgent>;

/** A handoff the model asked for, shown once the run switches agents. */
interface PendingHandoffs {
  requested?: { readonly from: AnyAgent; readonly reason: string | undefined } | undefined;
}
type AnyStreamedResult = StreamedRunResult<any, AnyAgent>;

/** Start (or, given a paused run's state, resume) one streamed SDK run. */
export type StartRun = (agent: AnyAgent, input: string | AnyRunState, options: { readonly signal: AbortSignal; readonly session: Session }) => Promise<AnyStreamedResult>;

export interface ConversationOptions {
  /** Every agent by its YAML id. */
  readonly agents: Readonly<Record<string, AnyAgent>>;
  readonly entryId: string;
  readonly startRun: StartRun;
  /** A new, empty session (the SDK's MemorySession). */
  readonly newSession: () => Session;
}

export interface AgentListing {
  readonly agent: AgentRef;
  readonly entry: boolean;
  /** Whether this agent answers the next message. */
  readonly active: boolean;
}

export class Conversation {
  private readonly options: ConversationOptions;
  private readonly ids = new Map<AnyAgent, string>();
  private activeAgent: AnyAgent;
  private currentSession: Session;
  private completedTurns = 0;
  private windingDown = 0;

  constructor(options: ConversationOptions) {
    this.options = options;
    for (const [id, agent] of Object.entries(options.agents)) this.ids.set(agent, id);
    const entry = options.agents[options.entryId];
    if (!entry) throw new Error(`internal: the entry agent ${options.entryId} is not among the agents`);
    this.activeAgent = entry;
    this.currentSession = options.newSession();
  }

  /** The agent that answers the next message: the one that answered last, the entry agent at first. */
  get active(): AgentRef {
    return this.ref(this.activeAgent);
  }

  get session(): Session {
    return this.currentSession;
  }

  /** Turns completed since the start or the last reset. */
  get turns(): number {
    return this.completedTurns;
  }

  /** Cancelled runs the SDK has not finished winding down (a model call that ignores the abort signal). */
  get runsStillRunning(): number {
    return this.windingDown;
  }

  agents(): AgentListing[] {
    return Object.entries(this.options.agents).map(([id, agent]) => ({ agent: this.ref(agent), entry: id === this.options.entryId, active: agent === this.activeAgent }));
  }

  /** `/reset`: a new session, and the entry agent answers next. */
  reset(): void {
    this.currentSession = this.options.newSession();
    this.activeAgent = this.options.agents[this.options.entryId]!;
    this.completedTurns = 0;
  }

  /** One turn: the message goes to the active agent; the run is followed through handoffs, tools and approvals. */
  async send(text: string, handlers: TurnHandlers): Promise<TurnOutcome> {
    const session = this.currentSession;
    // An aborted or failed turn must not leave half of itself (the message, a dangling tool call) in the history.
    const before = await session.getItems();
    const rollback = async () => {
      await session.clearSession();
      if (before.length > 0) await session.addItems(before);
    };
    let input: string | AnyRunState = text;
    try {
      for (;;) {
        if (handlers.signal.aborted) return (await rollback(), { status: 'aborted' });
        const result = await this.options.startRun(this.activeAgent, input, { signal: handlers.signal, session });
        const drained = await this.drain(result, handlers);
        if (drained === 'aborted' || result.cancelled) return (await rollback(), { status: 'aborted' });
        const interruptions = result.interruptions;
        if (interruptions.length === 0) {
          this.activeAgent = (result.lastAgent as AnyAgent | undefined) ?? this.activeAgent;
          this.completedTurns++;
          return { status: 'completed', agent: this.active };
        }
        for (const item of interruptions) {
          const agent = this.ref(item.agent as AnyAgent);
          const tool = String((item.rawItem as { name?: unknown }).name ?? 'tool');
          const args = (item.rawItem as { arguments?: unknown }).arguments;
          const approved = await handlers.decide({ agent, tool, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) }, handlers.signal);
          if (approved === undefined || handlers.signal.aborted) return (await rollback(), { status: 'aborted' });
          if (approved) result.state.approve(item);
          else result.state.reject(item);
          handlers.onEvent({ type: 'approval', agent, tool, approved });
        }
        input = result.state as AnyRunState;
      }
    } catch (error) {
      await rollback();
      if (handlers.signal.aborted) return { status: 'aborted' };
      return { status: 'failed', error };
    }
  }

  /** Show the run's items as they arrive; stop waiting as soon as the turn is aborted. */
  private async drain(result: AnyStreamedResult, handlers: TurnHandlers): Promise<'done' | 'aborted'> {
    const { signal } = handlers;
    let onAbort = () => {};
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const iterator = result[Symbol.asyncIterator]();
    const pending: PendingHandoffs = {};
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), aborted]);
        if (next === 'aborted') {
          // Let the SDK wind the run down on its own (it sees the same signal); do not wait for it.
          void iterator.return?.().catch(() => {});
          this.windingDown++;
          void result.completed.catch(() => {}).finally(() => this.windingDown--);
          return 'aborted';
        }
        if (next.done) break;
        this.show(next.value, pending, handlers.onEvent);
      }
      const completed = await Promise.race([result.completed.then(() => 'done' as const), aborted]);
      return completed;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Turn one SDK stream event into what the chat shows. A handoff whose input filter strips tool items
   * (removeAllTools) never reaches the stream as `handoff_occurred`; the agent change that follows its
   * `handoff_requested` stands in for it.
   */
  private show(event: RunStreamEvent, pending: PendingHandoffs, onEvent: (event: ChatEvent) => void): void {
    if (event.type === 'agent_updated_stream_event') {
      const handoff = pending.requested;
      pending.requested = undefined;
      if (handoff) onEvent({ type: 'handoff', from: this.ref(handoff.from), to: this.ref(event.agent as AnyAgent), ...(handoff.reason !== undefined ? { reason: handoff.reason } : {}) });
      return;
    }
    if (event.type !== 'run_item_stream_event') return;
    const item = event.item as unknown as { agent?: AnyAgent; rawItem?: Record<string, unknown>; output?: unknown; sourceAgent?: AnyAgent; targetAgent?: AnyAgent; content?: string };
    const raw = item.rawItem ?? {};
    switch (event.name) {
      case 'handoff_requested':
        if (item.agent) pending.requested = { from: item.agent, reason: typeof raw.arguments === 'string' ? handoffReason(raw.arguments) : undefined };
        return;
      case 'handoff_occurred': {
        const handoff = pending.requested;
        pending.requested = undefined;
        if (!item.sourceAgent || !item.targetAgent) return;
        const reason = handoff?.reason;
        onEvent({ type: 'handoff', from: this.ref(item.sourceAgent), to: this.ref(item.targetAgent), ...(reason !== undefined ? { reason } : {}) });
        return;
      }
      case 'tool_called':
        if (raw.type !== 'function_call' && typeof raw.name !== 'string') return;
        onEvent({ type: 'tool_call', agent: this.ref(item.agent!), tool: String(raw.name ?? raw.type), arguments: typeof raw.arguments === 'string' ? raw.arguments : JSON.stringify(raw.arguments ?? {}) });
        return;
      case 'tool_output':
        onEvent({ type: 'tool_result', agent: this.ref(item.agent!), tool: String(raw.name ?? raw.type), output: typeof item.output === 'string' ? item.output : JSON.stringify(item.output) });
        return;
      case 'message_output_created':
        onEvent({ type: 'reply', agent: this.ref(item.agent!), text: item.content ?? '' });
        return;
      default:
        return;
    }
  }

  private ref(agent: AnyAgent): AgentRef {
    return { id: this.ids.get(agent) ?? agent.name, name: agent.name };
  }
}
