/**
 * Handoff hooks for the clinic-scheduling topology. They record what the front desk passed on, in
 * memory, so tests can assert on the parsed handoff input. No output.
 */

/** The `CallerContext` schema. */
export interface CallerContext {
  reason: string;
  patientId: string | null;
  callerIsPatient: boolean;
}

/** The inline input of the front desk -> prescriptions edge. */
export interface PrescriptionRequest {
  requestType: 'refill' | 'pharmacy-change' | 'prescription-question';
  medication: string | null;
  patientId: string | null;
  reason: string;
}

export type RoutingLogEntry =
  | { readonly kind: 'caller-context'; readonly input: CallerContext }
  | { readonly kind: 'prescription-request'; readonly input: PrescriptionRequest };

/** Every routing decision the front desk made in this process, oldest first. */
export const routingLog: RoutingLogEntry[] = [];

/** `onHandoff` for edges whose input is `CallerContext`. */
export function recordRouting(_context: unknown, input: CallerContext): void {
  routingLog.push({ kind: 'caller-context', input: { ...input } });
}

/** `onHandoff` for the front desk -> prescriptions edge. */
export function recordPrescriptionRequest(_context: unknown, input: PrescriptionRequest): void {
  routingLog.push({ kind: 'prescription-request', input: { ...input } });
}
