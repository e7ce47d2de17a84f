import type { RunContext } from '@openai/agents';
import type { AirlineAgentContext } from './context.js';

/**
 * On the handoff to seat booking the SDK example picks the caller's flight. It draws a random number;
 * this one derives it from the confirmation number (or uses FLT-123) so runs are reproducible.
 */
export function onSeatBookingHandoff(context: RunContext<AirlineAgentContext>, _input: undefined): void {
  const state = context.context;
  state.flightNumber ??= state.confirmationNumber ? `FLT-${state.confirmationNumber.replace(/\D/g, '').padEnd(3, '0').slice(0, 3)}` : 'FLT-123';
}
