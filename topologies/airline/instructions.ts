import type { Agent, RunContext } from '@openai/agents';
import type { AirlineAgentContext } from './context.js';

/** Seat-booking instructions built per run, so the agent knows what the conversation already established. */
export function seatBookingInstructions(runContext: RunContext<AirlineAgentContext>, _agent: Agent<AirlineAgentContext, any>): string {
  const { confirmationNumber, flightNumber } = runContext.context;
  return [
    'You are a seat booking agent. If you are speaking to a customer, you probably were transferred to from the triage agent.',
    'Use the following routine to support the customer.',
    '# Routine',
    confirmationNumber ? `1. The confirmation number is ${confirmationNumber}; confirm it with the customer.` : '1. Ask for their confirmation number.',
    '2. Ask the customer what their desired seat number is.',
    '3. Use the update seat tool to update the seat on the flight.',
    flightNumber ? `The customer's flight is ${flightNumber}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
