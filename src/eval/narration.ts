/**
 * Narrated handoffs: the entry tells the caller it is transferring them ("I'll connect you with
 * billing") but makes no handoff call, so the caller stays put. Read from the reply text only when no
 * handoff was made; it is its own class in reports, beside (not instead of) the `stay` route taken.
 */
const NARRATION = [
  /\b(?:i(?:'|’)ll|i will|i(?:'|’)m going to|let me|i am going to|i(?:'|’)m|i am)\s+(?:now\s+)?(?:transfer|transferring|connect|connecting|route|routing|forward|forwarding|hand|handing|pass|passing|put|putting|escalate|escalating)\b/i,
  /\b(?:transferring|connecting|routing|forwarding|handing)\s+you\b/i,
  /\b(?:transfer|connect|route|forward|hand|pass)\s+you\s+(?:to|over|off|on|along|through)\b/i,
  /\bone moment while i\b/i,
];

export function isNarratedHandoff(reply: string | undefined): boolean {
  if (!reply) return false;
  return NARRATION.some((pattern) => pattern.test(reply));
}
