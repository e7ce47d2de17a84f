/**
 * Insurance tools for the clinic-scheduling topology: deterministic, offline fakes.
 * Each export matches a tool's `parameters` schema in ../clinic-scheduling.yaml.
 */
import { isIsoDate } from './patients.js';

export interface CheckCoverageParams {
  memberId: string;
  serviceCode: string;
  /** YYYY-MM-DD */
  dateOfService: string;
}

export interface EstimateCostParams {
  memberId: string;
  serviceCode: string;
  inNetwork: boolean;
}

interface HealthPlan {
  readonly planName: string;
  readonly activeFrom: string;
  readonly activeTo: string;
  readonly deductibleRemaining: number;
  readonly coinsurance: number;
  readonly outOfNetworkCoinsurance: number;
  readonly officeVisitCopay: number;
  readonly excluded: readonly string[];
  readonly priorAuth: readonly string[];
}

interface Service {
  readonly name: string;
  readonly allowedAmount: number;
  readonly officeVisit: boolean;
}

const PLANS: Readonly<Record<string, HealthPlan>> = {
  RHP123456789: {
    planName: 'Riverside Health Partners PPO',
    activeFrom: '2026-01-01',
    activeTo: '2026-12-31',
    deductibleRemaining: 150,
    coinsurance: 0.2,
    outOfNetworkCoinsurance: 0.4,
    officeVisitCopay: 25,
    excluded: ['17110'],
    priorAuth: ['93306'],
  },
  BLU987654321: {
    planName: 'BlueLake Bronze HMO',
    activeFrom: '2026-03-01',
    activeTo: '2027-02-28',
    deductibleRemaining: 1800,
    coinsurance: 0.3,
    outOfNetworkCoinsurance: 1,
    officeVisitCopay: 45,
    excluded: [],
    priorAuth: ['93306', '97110'],
  },
};

const SERVICES: Readonly<Record<string, Service>> = {
  '99213': { name: 'Office visit, established patient', allowedAmount: 120, officeVisit: true },
  '99395': { name: 'Preventive check-up, age 18-39', allowedAmount: 210, officeVisit: true },
  '80053': { name: 'Comprehensive metabolic panel', allowedAmount: 48, officeVisit: false },
  '93306': { name: 'Echocardiogram', allowedAmount: 980, officeVisit: false },
  '97110': { name: 'Physiotherapy, therapeutic exercise', allowedAmount: 95, officeVisit: false },
  '17110': { name: 'Wart removal', allowedAmount: 160, officeVisit: false },
};

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export async function checkCoverage(args: CheckCoverageParams, _context?: unknown): Promise<string> {
  const plan = PLANS[args.memberId.trim().toUpperCase()];
  if (!plan) {
    return `Member ${args.memberId} was not found with any plan we bill. Ask the caller to read the member id from the card again.`;
  }
  const service = SERVICES[args.serviceCode];
  if (!service) {
    return `Procedure code ${args.serviceCode} is not in our fee schedule. Ask the clinician's office for the code, or escalate to the billing office.`;
  }
  if (!isIsoDate(args.dateOfService)) {
    return 'dateOfService must be a calendar date in YYYY-MM-DD form.';
  }
  if (args.dateOfService < plan.activeFrom || args.dateOfService > plan.activeTo) {
    return `${plan.planName} is active from ${plan.activeFrom} to ${plan.activeTo}; ${args.dateOfService} is outside it, so the service would not be covered.`;
  }
  return JSON.stringify({
    plan: plan.planName,
    service: service.name,
    covered: !plan.excluded.includes(args.serviceCode),
    priorAuthorizationRequired: plan.priorAuth.includes(args.serviceCode),
  });
}

export async function estimateCost(args: EstimateCostParams, _context?: unknown): Promise<string> {
  const plan = PLANS[args.memberId.trim().toUpperCase()];
  if (!plan) return `Member ${args.memberId} was not found with any plan we bill.`;
  const service = SERVICES[args.serviceCode];
  if (!service) return `Procedure code ${args.serviceCode} is not in our fee schedule.`;
  if (plan.excluded.includes(args.serviceCode)) {
    return `${service.name} is excluded by ${plan.planName}; the patient would pay the full ${service.allowedAmount.toFixed(2)} USD.`;
  }
  let patientPays: number;
  let basis: string;
  if (args.inNetwork && service.officeVisit) {
    patientPays = plan.officeVisitCopay;
    basis = 'flat office-visit copay';
  } else {
    const rate = args.inNetwork ? plan.coinsurance : plan.outOfNetworkCoinsurance;
    const deductiblePart = Math.min(plan.deductibleRemaining, service.allowedAmount);
    patientPays = deductiblePart + (service.allowedAmount - deductiblePart) * rate;
    basis = `remaining deductible first, then ${Math.round(rate * 100)}% coinsurance`;
  }
  return JSON.stringify({
    plan: plan.planName,
    service: service.name,
    allowedAmount: service.allowedAmount,
    estimatedPatientCost: round2(patientPays),
    currency: 'USD',
    basis,
    note: 'Estimate only; the plan decides the final amount after the claim.',
  });
}
