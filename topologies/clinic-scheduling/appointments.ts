/**
 * Scheduling tools for the clinic-scheduling topology: deterministic, offline fakes.
 * Each export matches a tool's `parameters` schema in ../clinic-scheduling.yaml.
 */
import { findPatient, isIsoDate, stableCode, unknownPatient } from './patients.js';

export type Department = 'family-medicine' | 'pediatrics' | 'dermatology' | 'cardiology' | 'physiotherapy';
export type VisitType = 'in-person' | 'video';

export interface FindOpenSlotsParams {
  department: Department;
  visitType: VisitType;
  /** YYYY-MM-DD */
  fromDate: string;
  /** YYYY-MM-DD */
  toDate: string;
  clinicianId: string | null;
}

export interface BookAppointmentParams {
  patientId: string;
  slotId: string;
  visitReason: string;
}

export interface CancelAppointmentParams {
  patientId: string;
  appointmentId: string;
  reason: string | null;
}

interface Slot {
  readonly slotId: string;
  readonly department: Department;
  readonly clinicianId: string;
  readonly clinician: string;
  readonly date: string;
  readonly time: string;
  readonly visitTypes: readonly VisitType[];
}

interface Appointment {
  readonly appointmentId: string;
  readonly patientId: string;
  readonly date: string;
  readonly time: string;
  readonly clinician: string;
}

const ADDRESS = 'Riverside Family Clinic, 200 Mill Street, second floor';

const SLOTS: readonly Slot[] = [
  { slotId: 'SLOT-0101', department: 'family-medicine', clinicianId: 'DR-104', clinician: 'Dr. Amara Singh', date: '2026-12-01', time: '09:00', visitTypes: ['in-person', 'video'] },
  { slotId: 'SLOT-0102', department: 'family-medicine', clinicianId: 'DR-104', clinician: 'Dr. Amara Singh', date: '2026-12-01', time: '14:30', visitTypes: ['in-person'] },
  { slotId: 'SLOT-0103', department: 'family-medicine', clinicianId: 'DR-117', clinician: 'Dr. Luis Ortega', date: '2026-12-02', time: '10:15', visitTypes: ['video'] },
  { slotId: 'SLOT-0201', department: 'pediatrics', clinicianId: 'DR-122', clinician: 'Dr. Hannah Weiss', date: '2026-12-01', time: '08:30', visitTypes: ['in-person'] },
  { slotId: 'SLOT-0202', department: 'pediatrics', clinicianId: 'DR-122', clinician: 'Dr. Hannah Weiss', date: '2026-12-03', time: '15:00', visitTypes: ['in-person', 'video'] },
  { slotId: 'SLOT-0301', department: 'dermatology', clinicianId: 'DR-140', clinician: 'Dr. Kwame Mensah', date: '2026-12-08', time: '11:00', visitTypes: ['in-person'] },
  { slotId: 'SLOT-0401', department: 'cardiology', clinicianId: 'DR-151', clinician: 'Dr. Ingrid Larsen', date: '2026-12-10', time: '13:45', visitTypes: ['in-person'] },
  { slotId: 'SLOT-0501', department: 'physiotherapy', clinicianId: 'DR-163', clinician: 'Sam Rivera, PT', date: '2026-12-02', time: '16:00', visitTypes: ['in-person'] },
];

const APPOINTMENTS: readonly Appointment[] = [
  { appointmentId: 'APT-50012', patientId: 'PT-104233', date: '2026-12-04', time: '10:00', clinician: 'Dr. Amara Singh' },
  { appointmentId: 'APT-50031', patientId: 'PT-118020', date: '2026-12-09', time: '08:45', clinician: 'Dr. Ingrid Larsen' },
];

const MAX_SLOTS_RETURNED = 3;

export async function findOpenSlots(args: FindOpenSlotsParams, _context?: unknown): Promise<string> {
  if (!isIsoDate(args.fromDate) || !isIsoDate(args.toDate)) {
    return 'fromDate and toDate must be calendar dates in YYYY-MM-DD form. Ask the caller which days suit them.';
  }
  if (args.toDate < args.fromDate) {
    return 'toDate is before fromDate; ask the caller for the range again.';
  }
  const matches = SLOTS.filter(
    (slot) =>
      slot.department === args.department &&
      slot.visitTypes.includes(args.visitType) &&
      slot.date >= args.fromDate &&
      slot.date <= args.toDate &&
      (args.clinicianId === null || slot.clinicianId === args.clinicianId),
  );
  if (matches.length === 0) {
    return `No open ${args.visitType} ${args.department} slots between ${args.fromDate} and ${args.toDate}. Offer a wider range or any clinician.`;
  }
  return JSON.stringify({
    slots: matches.slice(0, MAX_SLOTS_RETURNED).map(({ slotId, clinician, date, time }) => ({ slotId, clinician, date, time })),
    more: Math.max(0, matches.length - MAX_SLOTS_RETURNED),
  });
}

export async function bookAppointment(args: BookAppointmentParams, _context?: unknown): Promise<string> {
  const patient = findPatient(args.patientId);
  if (!patient) return unknownPatient(args.patientId);
  const slot = SLOTS.find((candidate) => candidate.slotId === args.slotId.trim().toUpperCase());
  if (!slot) {
    return `Slot ${args.slotId} does not exist or was just taken. Search again with find_open_slots.`;
  }
  const appointmentId = `APT-${(parseInt(stableCode(`${patient.patientId}|${slot.slotId}`), 36) % 90000) + 10000}`;
  const where = slot.visitTypes.includes('in-person') ? ADDRESS : 'by video; a link is sent by text message an hour before';
  return (
    `Booked ${appointmentId} for ${patient.name} with ${slot.clinician} on ${slot.date} at ${slot.time}, ${where}. ` +
    'Ask the patient to arrive ten minutes early with their insurance card.'
  );
}

export async function cancelAppointment(args: CancelAppointmentParams, _context?: unknown): Promise<string> {
  const patient = findPatient(args.patientId);
  if (!patient) return unknownPatient(args.patientId);
  const appointment = APPOINTMENTS.find((candidate) => candidate.appointmentId === args.appointmentId.trim().toUpperCase());
  if (!appointment || appointment.patientId !== patient.patientId) {
    return `No appointment ${args.appointmentId} was found for ${patient.patientId}. Ask the caller to check the confirmation message.`;
  }
  return (
    `Cancelled ${appointment.appointmentId} with ${appointment.clinician} on ${appointment.date} at ${appointment.time}` +
    (args.reason ? ` (reason noted: ${args.reason}).` : '.') +
    ' Offer to book a new time.'
  );
}
