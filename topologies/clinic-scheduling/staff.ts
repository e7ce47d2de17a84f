/**
 * The shared human-escalation tool for the clinic-scheduling topology: files a task in an in-memory
 * staff queue. Matches the `escalate_to_staff` parameters in ../clinic-scheduling.yaml.
 */
import { stableCode } from './patients.js';

export type StaffQueue = 'nurse-line' | 'scheduling-desk' | 'pharmacy' | 'billing-office' | 'records-office';
export type StaffUrgency = 'routine' | 'same-day' | 'urgent';

export interface EscalateToStaffParams {
  patientId: string | null;
  queue: StaffQueue;
  urgency: StaffUrgency;
  reason: string;
  summary: string;
}

export interface StaffTask extends EscalateToStaffParams {
  readonly taskId: string;
}

/** Every task filed in this process, oldest first (tests read this). */
export const staffTasks: StaffTask[] = [];

const QUEUE_LABEL: Readonly<Record<StaffQueue, string>> = {
  'nurse-line': 'a nurse',
  'scheduling-desk': 'the scheduling desk',
  pharmacy: 'the clinic pharmacist',
  'billing-office': 'the billing office',
  'records-office': 'the records office',
};

const RESPONSE_TIME: Readonly<Record<StaffUrgency, string>> = {
  urgent: 'within 30 minutes',
  'same-day': 'before the end of today',
  routine: 'within 2 business days',
};

export async function escalateToStaff(args: EscalateToStaffParams, _context?: unknown): Promise<string> {
  const taskId = `TSK-${stableCode(`${args.queue}|${args.patientId ?? '-'}|${args.reason}|${args.summary}`)}`;
  staffTasks.push({ ...args, taskId });
  const verify = args.patientId === null ? ' The patient is not verified yet; staff will confirm identity on the call.' : '';
  return `Task ${taskId} filed for ${QUEUE_LABEL[args.queue]} (${args.urgency}). Tell the caller they will be called back ${RESPONSE_TIME[args.urgency]}.${verify}`;
}
