/**
 * The human-escalation tool for the support-desk topology: files a ticket in an in-memory queue.
 * Matches the `escalate_to_human` parameters in ../support-desk.yaml.
 */

export type Urgency = 'low' | 'normal' | 'high' | 'critical';

export interface EscalateToHumanParams {
  reason: string;
  urgency: Urgency;
  summary: string;
  /** E.164 callback number, or null to keep the caller on the line. */
  callbackNumber: string | null;
}

export interface Escalation extends EscalateToHumanParams {
  readonly ticketId: string;
}

/** Every escalation filed in this process, oldest first (tests read this). */
export const escalations: Escalation[] = [];

const EXPECTED_WAIT: Readonly<Record<Urgency, string>> = {
  critical: 'under 2 minutes',
  high: 'under 10 minutes',
  normal: 'within the hour',
  low: 'within one business day',
};

/** A stable short code derived from the text (no randomness). */
function stableCode(text: string): string {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  }
  return hash.toString(36).toUpperCase().padStart(7, '0').slice(0, 7);
}

export async function escalateToHuman(args: EscalateToHumanParams, _context?: unknown): Promise<string> {
  const ticketId = `HUM-${stableCode(`${args.urgency}|${args.reason}|${args.summary}`)}`;
  escalations.push({ ...args, ticketId });
  const wait = EXPECTED_WAIT[args.urgency];
  return args.callbackNumber === null
    ? `Ticket ${ticketId} filed (${args.urgency}). Tell the caller a person will join this call ${wait}; stay on the line.`
    : `Ticket ${ticketId} filed (${args.urgency}). Tell the caller a person will call back on ${args.callbackNumber} ${wait}.`;
}
