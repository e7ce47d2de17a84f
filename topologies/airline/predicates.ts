import type { Agent, RunContext } from '@openai/agents';
import type { AirlineAgentContext } from './context.js';

/** Seat changes are offered only before boarding. */
export function canChangeSeat({ runContext }: { runContext: RunContext<AirlineAgentContext>; agent: Agent<any, any> }): boolean {
  return !runContext.context.boarded;
}
