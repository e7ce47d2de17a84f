/**
 * Billing tools for the support-desk topology: deterministic, offline fakes backed by in-memory data.
 * Each export matches a tool's `parameters` schema in ../support-desk.yaml.
 */

export type Currency = 'USD' | 'EUR' | 'GBP';
export type Plan = 'starter' | 'growth' | 'scale' | 'enterprise';

export interface LookupInvoiceParams {
  invoiceId: string;
}

export interface IssueRefundParams {
  invoiceId: string;
  amount: number;
  currency: Currency;
  reason: string;
}

export interface ChangePlanParams {
  accountId: string;
  newPlan: Plan;
  /** ISO date (YYYY-MM-DD); null for the next billing cycle. */
  effectiveDate: string | null;
}

interface Invoice {
  readonly invoiceId: string;
  readonly accountId: string;
  readonly issuedOn: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly status: 'paid' | 'open' | 'overdue';
  readonly refunded: number;
  readonly lines: readonly string[];
}

interface Account {
  readonly accountId: string;
  readonly company: string;
  readonly plan: Plan;
  readonly nextCycleStarts: string;
}

/** Refunds above this amount (in the invoice currency) must go to a human. */
export const REFUND_LIMIT = 500;

const INVOICES: readonly Invoice[] = [
  {
    invoiceId: 'INV-1042',
    accountId: 'ACC-20417',
    issuedOn: '2026-10-01',
    amount: 249.0,
    currency: 'USD',
    status: 'paid',
    refunded: 0,
    lines: ['Growth plan, 10 seats, October', 'Call minutes overage 1,200 min'],
  },
  {
    invoiceId: 'INV-1043',
    accountId: 'ACC-20417',
    issuedOn: '2026-11-01',
    amount: 1890.0,
    currency: 'USD',
    status: 'paid',
    refunded: 0,
    lines: ['Growth plan, 10 seats, November', 'Call minutes overage 48,000 min (disputed)'],
  },
  {
    invoiceId: 'INV-2210',
    accountId: 'ACC-31008',
    issuedOn: '2026-11-01',
    amount: 89.0,
    currency: 'EUR',
    status: 'open',
    refunded: 0,
    lines: ['Starter plan, 3 seats, November'],
  },
  {
    invoiceId: 'INV-3305',
    accountId: 'ACC-40552',
    issuedOn: '2026-09-15',
    amount: 620.0,
    currency: 'GBP',
    status: 'overdue',
    refunded: 120.0,
    lines: ['Scale plan, 25 seats, September'],
  },
];

const ACCOUNTS: readonly Account[] = [
  { accountId: 'ACC-20417', company: 'Northwind Clinics', plan: 'growth', nextCycleStarts: '2026-12-01' },
  { accountId: 'ACC-31008', company: 'Blue Harbor Realty', plan: 'starter', nextCycleStarts: '2026-12-01' },
  { accountId: 'ACC-40552', company: 'Fenwick & Daughters', plan: 'scale', nextCycleStarts: '2026-12-15' },
];

const PLAN_ORDER: readonly Plan[] = ['starter', 'growth', 'scale', 'enterprise'];

function findInvoice(invoiceId: string): Invoice | undefined {
  const wanted = invoiceId.trim().toUpperCase();
  return INVOICES.find((invoice) => invoice.invoiceId === wanted);
}

function money(amount: number, currency: Currency): string {
  return `${amount.toFixed(2)} ${currency}`;
}

export async function lookupInvoice(args: LookupInvoiceParams, _context?: unknown): Promise<string> {
  const invoice = findInvoice(args.invoiceId);
  if (!invoice) {
    return `No invoice ${args.invoiceId} was found. Ask the caller to read the id again; it looks like INV-1042.`;
  }
  return JSON.stringify({
    invoiceId: invoice.invoiceId,
    accountId: invoice.accountId,
    issuedOn: invoice.issuedOn,
    amount: invoice.amount,
    currency: invoice.currency,
    status: invoice.status,
    alreadyRefunded: invoice.refunded,
    refundable: Math.max(0, invoice.amount - invoice.refunded),
    lines: invoice.lines,
  });
}

export async function issueRefund(args: IssueRefundParams, _context?: unknown): Promise<string> {
  const invoice = findInvoice(args.invoiceId);
  if (!invoice) {
    return `Refund not issued: no invoice ${args.invoiceId} exists.`;
  }
  if (args.currency !== invoice.currency) {
    return `Refund not issued: invoice ${invoice.invoiceId} is in ${invoice.currency}, not ${args.currency}. Retry in ${invoice.currency}.`;
  }
  if (!(args.amount > 0)) {
    return 'Refund not issued: the amount must be greater than zero.';
  }
  if (args.amount > REFUND_LIMIT) {
    return (
      `Refund not issued: ${money(args.amount, args.currency)} is over the ${REFUND_LIMIT} ${args.currency} limit for agents. ` +
      'Do not retry or split the refund. Escalate to a human with escalate_to_human and tell the caller a person will review it.'
    );
  }
  const refundable = invoice.amount - invoice.refunded;
  if (args.amount > refundable) {
    return `Refund not issued: only ${money(refundable, invoice.currency)} of invoice ${invoice.invoiceId} is still refundable.`;
  }
  const amountCents = Math.round(args.amount * 100);
  const refundId = `RF-${invoice.invoiceId.slice(4)}-${amountCents}`;
  return `Refund ${refundId} of ${money(args.amount, args.currency)} on invoice ${invoice.invoiceId} submitted. It reaches the original payment method in 5 to 10 business days.`;
}

export async function changePlan(args: ChangePlanParams, _context?: unknown): Promise<string> {
  const account = ACCOUNTS.find((candidate) => candidate.accountId === args.accountId.trim().toUpperCase());
  if (!account) {
    return `No account ${args.accountId} was found. Ask the caller for the account id on their invoice.`;
  }
  if (account.plan === args.newPlan) {
    return `Account ${account.accountId} is already on the ${account.plan} plan; nothing changed.`;
  }
  if (args.effectiveDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(args.effectiveDate)) {
    return `Plan not changed: effectiveDate must be YYYY-MM-DD or null, got "${args.effectiveDate}".`;
  }
  if (args.newPlan === 'enterprise') {
    return 'Plan not changed: enterprise plans need a signed contract. Escalate to a human so an account manager can call back.';
  }
  const effective = args.effectiveDate ?? account.nextCycleStarts;
  const direction = PLAN_ORDER.indexOf(args.newPlan) > PLAN_ORDER.indexOf(account.plan) ? 'upgrade' : 'downgrade';
  return `Scheduled ${direction} of ${account.company} (${account.accountId}) from ${account.plan} to ${args.newPlan}, effective ${effective}.`;
}
