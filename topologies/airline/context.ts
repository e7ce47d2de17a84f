/**
 * The run context of the airline topology: what the agents learn about the caller during the
 * conversation. Tools, hooks, the enabled predicate and the dynamic instructions read and write it.
 */
export interface AirlineAgentContext {
  passengerName: string | null;
  confirmationNumber: string | null;
  seatNumber: string | null;
  flightNumber: string | null;
  /** Seats cannot change once the passenger has boarded. */
  boarded: boolean;
}

export function newAirlineContext(overrides: Partial<AirlineAgentContext> = {}): AirlineAgentContext {
  return { passengerName: null, confirmationNumber: null, seatNumber: null, flightNumber: null, boarded: false, ...overrides };
}
