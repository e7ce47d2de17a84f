/**
 * Sales tools for the support-desk topology: deterministic, offline fakes.
 * Each export matches a tool's `parameters` schema in ../support-desk.yaml.
 */

export type Plan = 'starter' | 'growth' | 'scale' | 'enterprise';
export type BillingCycle = 'monthly' | 'annual';
export type OnePagerTopic = 'pricing' | 'security' | 'integrations' | 'voice-quality';

export interface LookupPricingParams {
  plan: Plan;
  seats: number;
  billingCycle: BillingCycle;
}

export interface BookDemoParams {
  contactName: string;
  email: string;
  company: string;
  /** ISO date YYYY-MM-DD. */
  preferredDate: string;
  timeSlot: 'morning' | 'afternoon';
  /** IANA time zone, e.g. Europe/Berlin. */
  timezone: string;
  notes: string | null;
}

export interface SendOnePagerParams {
  email: string;
  topic: OnePagerTopic;
}

interface PriceListEntry {
  /** USD per seat per month, billed monthly. */
  readonly perSeatMonthly: number;
  readonly minSeats: number;
  readonly maxSeats: number;
  readonly includedMinutesPerSeat: number;
}

const PRICE_LIST: Readonly<Record<Exclude<Plan, 'enterprise'>, PriceListEntry>> = {
  starter: { perSeatMonthly: 19, minSeats: 1, maxSeats: 10, includedMinutesPerSeat: 500 },
  growth: { perSeatMonthly: 29, minSeats: 3, maxSeats: 100, includedMinutesPerSeat: 1500 },
  scale: { perSeatMonthly: 45, minSeats: 20, maxSeats: 1000, includedMinutesPerSeat: 4000 },
};

/** Annual billing discount. */
const ANNUAL_DISCOUNT = 0.15;

const ONE_PAGERS: Readonly<Record<OnePagerTopic, string>> = {
  pricing: 'Plans and pricing at a glance',
  security: 'Security, compliance and data residency',
  integrations: 'CRM, helpdesk and webhook integrations',
  'voice-quality': 'How we keep calls clear: codecs, regions and monitoring',
};

/** Demo slots already taken, as `date/slot`. */
const BOOKED_SLOTS: ReadonlySet<string> = new Set(['2026-12-02/morning', '2026-12-03/afternoon']);

function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

function weekday(isoDate: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return undefined;
  const time = Date.parse(`${isoDate}T12:00:00Z`);
  return Number.isNaN(time) ? undefined : new Date(time).getUTCDay();
}

/** A stable short code derived from the text (no randomness). */
function stableCode(text: string): string {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  }
  return hash.toString(36).toUpperCase().padStart(7, '0').slice(0, 7);
}

export async function lookupPricing(args: LookupPricingParams, _context?: unknown): Promise<string> {
  if (!Number.isInteger(args.seats) || args.seats < 1) {
    return 'Seats must be a whole number of at least 1.';
  }
  if (args.plan === 'enterprise') {
    return 'Enterprise pricing is quoted per contract (volume minutes, SSO, dedicated support). Offer a demo to get a quote.';
  }
  const entry = PRICE_LIST[args.plan];
  if (args.seats < entry.minSeats || args.seats > entry.maxSeats) {
    return `The ${args.plan} plan is for ${entry.minSeats} to ${entry.maxSeats} seats; ${args.seats} seats does not fit. Suggest another plan.`;
  }
  const perSeat = args.billingCycle === 'annual' ? entry.perSeatMonthly * (1 - ANNUAL_DISCOUNT) : entry.perSeatMonthly;
  const monthly = Math.round(perSeat * args.seats * 100) / 100;
  return JSON.stringify({
    plan: args.plan,
    seats: args.seats,
    billingCycle: args.billingCycle,
    currency: 'USD',
    perSeatPerMonth: Math.round(perSeat * 100) / 100,
    totalPerMonth: monthly,
    totalPerYear: Math.round(monthly * 12 * 100) / 100,
    includedMinutesPerMonth: entry.includedMinutesPerSeat * args.seats,
  });
}

export async function bookDemo(args: BookDemoParams, _context?: unknown): Promise<string> {
  if (!looksLikeEmail(args.email)) {
    return `Demo not booked: "${args.email}" is not a valid email address. Ask the caller to spell it.`;
  }
  const day = weekday(args.preferredDate);
  if (day === undefined) {
    return `Demo not booked: "${args.preferredDate}" is not a date in YYYY-MM-DD form.`;
  }
  if (day === 0 || day === 6) {
    return `Demo not booked: ${args.preferredDate} is a weekend. Demos run Monday to Friday.`;
  }
  if (BOOKED_SLOTS.has(`${args.preferredDate}/${args.timeSlot}`)) {
    const other = args.timeSlot === 'morning' ? 'afternoon' : 'morning';
    return `Demo not booked: the ${args.timeSlot} of ${args.preferredDate} is full. The ${other} of that day is free.`;
  }
  const bookingId = `DEMO-${stableCode(`${args.email}|${args.preferredDate}|${args.timeSlot}`)}`;
  const window = args.timeSlot === 'morning' ? '9:00 to 12:00' : '13:00 to 17:00';
  return (
    `Demo ${bookingId} booked for ${args.contactName} of ${args.company} on ${args.preferredDate}, ` +
    `${window} ${args.timezone}. A solutions engineer will send the exact time and invite to ${args.email}.` +
    (args.notes ? ` Notes passed on: ${args.notes}` : '')
  );
}

export async function sendOnePager(args: SendOnePagerParams, _context?: unknown): Promise<string> {
  if (!looksLikeEmail(args.email)) {
    return `Not sent: "${args.email}" is not a valid email address. Ask the caller to spell it.`;
  }
  return `Sent "${ONE_PAGERS[args.topic]}" to ${args.email}.`;
}
