/**
 * Shared fake data and helpers for the clinic-scheduling tools (not a tool itself).
 */

export interface Patient {
  readonly patientId: string;
  readonly name: string;
  readonly memberId: string | null;
  readonly pharmacyId: string;
}

export const PATIENTS: readonly Patient[] = [
  { patientId: 'PT-104233', name: 'Maria Okafor', memberId: 'RHP123456789', pharmacyId: 'PH-0031' },
  { patientId: 'PT-118020', name: 'Daniel Brooks', memberId: 'BLU987654321', pharmacyId: 'PH-0107' },
  { patientId: 'PT-120577', name: 'Aiko Tanaka (minor)', memberId: null, pharmacyId: 'PH-0031' },
];

export function findPatient(patientId: string): Patient | undefined {
  const wanted = patientId.trim().toUpperCase();
  return PATIENTS.find((patient) => patient.patientId === wanted);
}

export function unknownPatient(patientId: string): string {
  return `No patient ${patientId} was found. Ask the caller to repeat the patient id (PT- and six digits) or their date of birth and escalate if it still does not match.`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in YYYY-MM-DD form. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A stable short code derived from the text (no randomness, no clock). */
export function stableCode(text: string): string {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  }
  return hash.toString(36).toUpperCase().padStart(7, '0').slice(0, 7);
}
