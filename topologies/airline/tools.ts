import type { RunContext } from '@openai/agents';
import type { AirlineAgentContext } from './context.js';

export interface FaqLookupParams {
  question: string;
}

const FAQ: readonly [RegExp, string][] = [
  [/bag|luggage|carry/i, 'You are allowed to bring one bag on the plane. It must be under 50 pounds and 22 inches x 14 inches x 9 inches.'],
  [/seat|plane|aircraft/i, 'There are 120 seats on the plane. There are 22 business class seats and 98 economy seats. Exit rows are rows 4 and 16. Rows 5-8 are Economy Plus, with extra legroom.'],
  [/wifi|internet/i, 'We have free wifi on the plane, join Airline-Wifi.'],
];

/** The SDK example's FAQ lookup: canned answers, no model knowledge. */
export async function faqLookup(args: FaqLookupParams): Promise<string> {
  return FAQ.find(([pattern]) => pattern.test(args.question))?.[1] ?? "I'm sorry, I don't know the answer to that question.";
}

export interface UpdateSeatParams {
  confirmation_number: string;
  new_seat: string;
}

/** Records the new seat in the run context, as the SDK example does. */
export async function updateSeat(args: UpdateSeatParams, context?: RunContext<AirlineAgentContext>): Promise<string> {
  if (!context) throw new Error('update_seat needs the run context');
  const state = context.context;
  if (!state.flightNumber) return 'No flight is selected yet; hand the customer back to triage.';
  state.confirmationNumber = args.confirmation_number;
  state.seatNumber = args.new_seat;
  return `Updated seat to ${args.new_seat} for confirmation number ${args.confirmation_number} on flight ${state.flightNumber}.`;
}

export interface FlightStatusParams {
  flight_number: string;
}

const STATUS: Record<string, { status: 'on time' | 'delayed' | 'cancelled'; gate: string | null }> = {
  'FLT-123': { status: 'on time', gate: 'B12' },
  'FLT-456': { status: 'delayed', gate: null },
};

export async function flightStatus(args: FlightStatusParams): Promise<string> {
  const found = STATUS[args.flight_number];
  return found ? JSON.stringify({ flight_number: args.flight_number, ...found }) : `No flight ${args.flight_number} today.`;
}
