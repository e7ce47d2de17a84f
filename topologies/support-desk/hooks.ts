/**
 * Handoff hooks for the support-desk topology.
 */

export interface HandoffLogEntry {
  readonly reason: string;
}

/** Every handoff triage made in this process, oldest first, with the parsed reason (tests read this). */
export const handoffLog: HandoffLogEntry[] = [];

/** `onHandoff` for triage -> specialist edges: records the parsed HandoffReason. No output. */
export function logHandoff(_context: unknown, input: { reason: string }): void {
  handoffLog.push({ reason: input.reason });
}
