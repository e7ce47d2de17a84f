/**
 * Prescription tools for the clinic-scheduling topology: deterministic, offline fakes.
 * Each export matches a tool's `parameters` schema in ../clinic-scheduling.yaml.
 */
import { findPatient, stableCode, unknownPatient } from './patients.js';

export interface LookupPrescriptionsParams {
  patientId: string;
  medicationName: string | null;
}

export interface RequestRefillParams {
  patientId: string;
  prescriptionId: string;
  pharmacyId: string | null;
}

interface Prescription {
  readonly prescriptionId: string;
  readonly patientId: string;
  readonly medication: string;
  readonly aliases: readonly string[];
  readonly dose: string;
  readonly refillsLeft: number;
  readonly controlled: boolean;
  readonly prescriber: string;
}

const PRESCRIPTIONS: readonly Prescription[] = [
  { prescriptionId: 'RX-880213', patientId: 'PT-104233', medication: 'Lisinopril', aliases: ['zestril', 'prinivil'], dose: '10 mg once daily', refillsLeft: 3, controlled: false, prescriber: 'Dr. Amara Singh' },
  { prescriptionId: 'RX-880214', patientId: 'PT-104233', medication: 'Atorvastatin', aliases: ['lipitor'], dose: '20 mg at night', refillsLeft: 0, controlled: false, prescriber: 'Dr. Amara Singh' },
  { prescriptionId: 'RX-880390', patientId: 'PT-118020', medication: 'Zolpidem', aliases: ['ambien'], dose: '5 mg at bedtime as needed', refillsLeft: 1, controlled: true, prescriber: 'Dr. Luis Ortega' },
  { prescriptionId: 'RX-880455', patientId: 'PT-120577', medication: 'Albuterol inhaler', aliases: ['albuterol', 'ventolin', 'proair'], dose: '2 puffs every 4-6 hours as needed', refillsLeft: 2, controlled: false, prescriber: 'Dr. Hannah Weiss' },
];

const PHARMACIES: Readonly<Record<string, string>> = {
  'PH-0031': 'Mill Street Pharmacy',
  'PH-0107': 'Harbor Drugs, Quay Road',
  'PH-0250': 'CityCare Pharmacy, Central Station',
};

function matchesName(prescription: Prescription, name: string): boolean {
  const wanted = name.trim().toLowerCase();
  return [prescription.medication.toLowerCase(), ...prescription.aliases].some((candidate) => candidate.includes(wanted) || wanted.includes(candidate));
}

export async function lookupPrescriptions(args: LookupPrescriptionsParams, _context?: unknown): Promise<string> {
  const patient = findPatient(args.patientId);
  if (!patient) return unknownPatient(args.patientId);
  const medicationName = args.medicationName;
  const found = PRESCRIPTIONS.filter(
    (prescription) => prescription.patientId === patient.patientId && (medicationName === null || matchesName(prescription, medicationName)),
  );
  if (found.length === 0) {
    return medicationName === null
      ? `${patient.name} has no active prescriptions on file.`
      : `No active prescription for "${medicationName}" on file for ${patient.name}. Check the spelling with the caller, or escalate to the pharmacy queue.`;
  }
  return JSON.stringify(
    found.map(({ prescriptionId, medication, dose, refillsLeft, controlled, prescriber }) => ({ prescriptionId, medication, dose, refillsLeft, controlled, prescriber })),
  );
}

export async function requestRefill(args: RequestRefillParams, _context?: unknown): Promise<string> {
  const patient = findPatient(args.patientId);
  if (!patient) return unknownPatient(args.patientId);
  const prescription = PRESCRIPTIONS.find(
    (candidate) => candidate.prescriptionId === args.prescriptionId.trim().toUpperCase() && candidate.patientId === patient.patientId,
  );
  if (!prescription) {
    return `No prescription ${args.prescriptionId} for ${patient.patientId}. Use lookup_prescriptions to find the right id.`;
  }
  if (prescription.controlled) {
    return `Refill not requested: ${prescription.medication} is a controlled substance and needs ${prescription.prescriber} to authorise it. Escalate to the pharmacy queue.`;
  }
  if (prescription.refillsLeft < 1) {
    return `Refill not requested: ${prescription.medication} has no refills left, so ${prescription.prescriber} must review it. Escalate to the pharmacy queue (routine unless the patient runs out within two days).`;
  }
  const pharmacyId = args.pharmacyId ?? patient.pharmacyId;
  const pharmacy = PHARMACIES[pharmacyId];
  if (!pharmacy) {
    return `Refill not requested: pharmacy ${pharmacyId} is not in our directory. Ask the caller for the pharmacy name and escalate to the pharmacy queue.`;
  }
  const requestId = `RFL-${stableCode(`${prescription.prescriptionId}|${pharmacyId}`)}`;
  return (
    `Refill ${requestId} for ${prescription.medication} ${prescription.dose} sent to ${pharmacy}. ` +
    `${prescription.refillsLeft - 1} refills remain after this one. Pharmacies usually have it ready within one business day.`
  );
}
