/**
 * Records and referral tools for the clinic-scheduling topology: deterministic, offline fakes.
 * Each export matches a tool's `parameters` schema in ../clinic-scheduling.yaml.
 */
import { findPatient, isIsoDate, stableCode, unknownPatient } from './patients.js';

export type RecordsRecipient = 'patient' | 'another-provider' | 'insurer' | 'legal-representative';
export type DeliveryMethod = 'patient-portal' | 'secure-email' | 'mail';

export interface RequestRecordsReleaseParams {
  patientId: string;
  recipient: RecordsRecipient;
  recipientName: string;
  deliveryMethod: DeliveryMethod;
  fromDate: string | null;
  toDate: string | null;
}

export interface ReferralStatusParams {
  patientId: string;
  referralId: string | null;
}

interface Referral {
  readonly referralId: string;
  readonly patientId: string;
  readonly specialty: string;
  readonly receivingProvider: string;
  readonly sentOn: string;
  readonly status: 'sent' | 'scheduled' | 'needs-insurance-approval' | 'denied';
  readonly nextStep: string;
}

/** Patients with a signed third-party release authorisation on file. */
const AUTHORISATIONS_ON_FILE: ReadonlySet<string> = new Set(['PT-118020']);

const REFERRALS: readonly Referral[] = [
  {
    referralId: 'REF-70021',
    patientId: 'PT-104233',
    specialty: 'Endocrinology',
    receivingProvider: 'Lakeside Diabetes Center',
    sentOn: '2026-11-10',
    status: 'scheduled',
    nextStep: 'Appointment on 2026-12-15 at 09:30; Lakeside will send a reminder.',
  },
  {
    referralId: 'REF-70048',
    patientId: 'PT-118020',
    specialty: 'Sleep medicine',
    receivingProvider: 'Northgate Sleep Clinic',
    sentOn: '2026-11-12',
    status: 'needs-insurance-approval',
    nextStep: 'Waiting for BlueLake to approve; usually 5 to 7 business days from the request.',
  },
  {
    referralId: 'REF-70063',
    patientId: 'PT-120577',
    specialty: 'Pediatric allergy',
    receivingProvider: "St. Brigid's Children's Hospital",
    sentOn: '2026-11-19',
    status: 'sent',
    nextStep: 'The hospital calls the family to book within 10 business days of receipt.',
  },
];

const DELIVERY_TIME: Readonly<Record<DeliveryMethod, string>> = {
  'patient-portal': 'within 2 business days of approval',
  'secure-email': 'within 3 business days of approval',
  mail: 'within 10 business days of approval',
};

export async function requestRecordsRelease(args: RequestRecordsReleaseParams, _context?: unknown): Promise<string> {
  const patient = findPatient(args.patientId);
  if (!patient) return unknownPatient(args.patientId);
  for (const [label, value] of [['fromDate', args.fromDate], ['toDate', args.toDate]] as const) {
    if (value !== null && !isIsoDate(value)) return `${label} must be a calendar date in YYYY-MM-DD form, or null.`;
  }
  if (args.fromDate !== null && args.toDate !== null && args.toDate < args.fromDate) {
    return 'toDate is before fromDate; ask the caller for the range again.';
  }
  if (args.deliveryMethod === 'patient-portal' && args.recipient !== 'patient') {
    return 'Only the patient can receive records through the patient portal. Choose secure email or mail for other recipients.';
  }
  const range = `${args.fromDate ?? 'start of chart'} to ${args.toDate ?? 'today'}`;
  const requestId = `ROI-${stableCode(`${patient.patientId}|${args.recipient}|${args.recipientName}|${range}`)}`;
  if (args.recipient !== 'patient' && !AUTHORISATIONS_ON_FILE.has(patient.patientId)) {
    return (
      `Request ${requestId} opened but on hold: releasing records to ${args.recipientName} needs the patient's signed authorisation. ` +
      'Tell the caller the form is in the patient portal under Records, or can be mailed.'
    );
  }
  return `Request ${requestId} submitted: records from ${range} for ${args.recipientName} by ${args.deliveryMethod}, ${DELIVERY_TIME[args.deliveryMethod]}.`;
}

export async function referralStatus(args: ReferralStatusParams, _context?: unknown): Promise<string> {
  const patient = findPatient(args.patientId);
  if (!patient) return unknownPatient(args.patientId);
  const wanted = args.referralId?.trim().toUpperCase() ?? null;
  const referrals = REFERRALS.filter((referral) => referral.patientId === patient.patientId && (wanted === null || referral.referralId === wanted));
  if (referrals.length === 0) {
    return wanted === null ? `${patient.name} has no open referrals.` : `No referral ${wanted} for ${patient.patientId}.`;
  }
  return JSON.stringify(referrals.map(({ patientId: _patientId, ...rest }) => rest));
}
