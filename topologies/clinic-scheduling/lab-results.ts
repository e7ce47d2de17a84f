/**
 * The lab-results tool for the clinic-scheduling topology: a deterministic, offline fake.
 * Values are returned only for results a clinician has released.
 */
import { findPatient, unknownPatient } from './patients.js';

export interface GetLabResultsParams {
  patientId: string;
  orderId: string | null;
}

interface LabOrder {
  readonly orderId: string;
  readonly patientId: string;
  readonly test: string;
  readonly collectedOn: string;
  readonly status: 'released' | 'awaiting-review' | 'in-lab';
  readonly expectedBy: string;
  readonly result?: string;
  readonly clinicianNote?: string;
  readonly followUpNeeded?: boolean;
}

const LAB_ORDERS: readonly LabOrder[] = [
  {
    orderId: 'LAB-300871',
    patientId: 'PT-104233',
    test: 'Lipid panel',
    collectedOn: '2026-11-18',
    status: 'released',
    expectedBy: '2026-11-21',
    result: 'Total cholesterol 212 mg/dL, LDL 131 mg/dL, HDL 52 mg/dL, triglycerides 145 mg/dL',
    clinicianNote: 'Slightly high LDL. Keep taking atorvastatin; we will recheck in six months.',
    followUpNeeded: false,
  },
  {
    orderId: 'LAB-300872',
    patientId: 'PT-104233',
    test: 'HbA1c',
    collectedOn: '2026-11-18',
    status: 'awaiting-review',
    expectedBy: '2026-11-28',
  },
  {
    orderId: 'LAB-300940',
    patientId: 'PT-118020',
    test: 'Thyroid panel (TSH, free T4)',
    collectedOn: '2026-11-20',
    status: 'released',
    expectedBy: '2026-11-24',
    result: 'TSH 6.8 mIU/L, free T4 0.8 ng/dL',
    clinicianNote: 'Please book a follow-up visit to discuss these results.',
    followUpNeeded: true,
  },
  {
    orderId: 'LAB-301002',
    patientId: 'PT-120577',
    test: 'Throat culture',
    collectedOn: '2026-11-24',
    status: 'in-lab',
    expectedBy: '2026-11-27',
  },
];

export async function getLabResults(args: GetLabResultsParams, _context?: unknown): Promise<string> {
  const patient = findPatient(args.patientId);
  if (!patient) return unknownPatient(args.patientId);
  const wanted = args.orderId?.trim().toUpperCase() ?? null;
  const orders = LAB_ORDERS.filter((order) => order.patientId === patient.patientId && (wanted === null || order.orderId === wanted));
  if (orders.length === 0) {
    return wanted === null ? `No recent lab orders for ${patient.name}.` : `No lab order ${wanted} for ${patient.patientId}.`;
  }
  return JSON.stringify(
    orders.map((order) =>
      order.status === 'released'
        ? {
            orderId: order.orderId,
            test: order.test,
            collectedOn: order.collectedOn,
            status: order.status,
            result: order.result ?? null,
            clinicianNote: order.clinicianNote ?? null,
            followUpNeeded: order.followUpNeeded ?? false,
          }
        : {
            orderId: order.orderId,
            test: order.test,
            collectedOn: order.collectedOn,
            status: order.status,
            expectedBy: order.expectedBy,
            note: 'Not released yet: do not share or guess any values.',
          },
    ),
  );
}
