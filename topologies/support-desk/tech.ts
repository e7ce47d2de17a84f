/**
 * Technical-support tools for the support-desk topology: deterministic, offline fakes.
 * Each export matches a tool's `parameters` schema in ../support-desk.yaml.
 */

export type WebhookEventType = 'call.started' | 'call.ended' | 'recording.ready' | 'transcript.ready';

export interface FetchCallLogParams {
  callId: string;
  includeEvents: boolean;
}

export interface RunWebhookDiagnosticParams {
  webhookUrl: string;
  eventType: WebhookEventType;
  /** ISO 8601 date-time. */
  windowStart: string;
  /** ISO 8601 date-time, after windowStart. */
  windowEnd: string;
}

interface CallLog {
  readonly callId: string;
  readonly accountId: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly status: 'completed' | 'failed' | 'dropped';
  readonly hangupCause: string;
  readonly region: string;
  readonly events: readonly string[];
}

interface WebhookDelivery {
  readonly host: string;
  readonly eventType: WebhookEventType;
  readonly at: string;
  readonly httpStatus: number;
  readonly latencyMs: number;
}

const CALL_LOGS: readonly CallLog[] = [
  {
    callId: 'CALL-7Q2XK9',
    accountId: 'ACC-20417',
    startedAt: '2026-11-20T14:02:11Z',
    durationSeconds: 42,
    status: 'dropped',
    hangupCause: 'MEDIA_TIMEOUT: no RTP received from the caller for 20 s',
    region: 'us-east',
    events: [
      '14:02:11 inbound call answered',
      '14:02:30 RTP packet loss 38%',
      '14:02:33 no RTP from caller',
      '14:02:53 media timeout, call torn down',
    ],
  },
  {
    callId: 'CALL-A41B07',
    accountId: 'ACC-31008',
    startedAt: '2026-11-21T09:15:00Z',
    durationSeconds: 0,
    status: 'failed',
    hangupCause: 'SIP 403 Forbidden: outbound caller id not verified',
    region: 'eu-west',
    events: ['09:15:00 outbound call requested', '09:15:00 carrier rejected: caller id not verified'],
  },
  {
    callId: 'CALL-Z9M3P2',
    accountId: 'ACC-40552',
    startedAt: '2026-11-22T17:40:05Z',
    durationSeconds: 611,
    status: 'completed',
    hangupCause: 'NORMAL_CLEARING: caller hung up',
    region: 'eu-west',
    events: ['17:40:05 inbound call answered', '17:50:16 caller hung up', '17:50:19 recording.ready webhook sent'],
  },
];

const DELIVERIES: readonly WebhookDelivery[] = [
  { host: 'hooks.northwind.example', eventType: 'call.ended', at: '2026-11-20T10:00:00Z', httpStatus: 200, latencyMs: 180 },
  { host: 'hooks.northwind.example', eventType: 'call.ended', at: '2026-11-20T12:30:00Z', httpStatus: 504, latencyMs: 10000 },
  { host: 'hooks.northwind.example', eventType: 'call.ended', at: '2026-11-20T14:03:00Z', httpStatus: 504, latencyMs: 10000 },
  { host: 'hooks.northwind.example', eventType: 'recording.ready', at: '2026-11-20T14:05:00Z', httpStatus: 200, latencyMs: 240 },
  { host: 'api.blueharbor.example', eventType: 'call.started', at: '2026-11-21T09:15:00Z', httpStatus: 401, latencyMs: 95 },
  { host: 'api.blueharbor.example', eventType: 'call.started', at: '2026-11-21T11:00:00Z', httpStatus: 401, latencyMs: 90 },
  { host: 'crm.fenwick.example', eventType: 'recording.ready', at: '2026-11-22T17:50:19Z', httpStatus: 200, latencyMs: 310 },
  { host: 'crm.fenwick.example', eventType: 'transcript.ready', at: '2026-11-22T17:52:40Z', httpStatus: 200, latencyMs: 330 },
];

const STATUS_ADVICE: Readonly<Record<number, string>> = {
  401: 'The endpoint rejected our signature or credentials: check the webhook secret configured on the endpoint.',
  403: 'The endpoint refused the request: check firewall or IP allow-list rules for our webhook addresses.',
  404: 'The URL path does not exist on the endpoint: check the configured webhook URL.',
  500: 'The endpoint crashed while handling the event: check the customer server logs.',
  504: 'The endpoint did not answer within our 10 second timeout: it must acknowledge quickly and process asynchronously.',
};

function hostOf(url: string): string | undefined {
  const match = /^https:\/\/([^/\s:]+)/i.exec(url.trim());
  return match?.[1]?.toLowerCase();
}

export async function fetchCallLog(args: FetchCallLogParams, _context?: unknown): Promise<string> {
  const log = CALL_LOGS.find((candidate) => candidate.callId === args.callId.trim().toUpperCase());
  if (!log) {
    return `No call ${args.callId} was found. Call ids look like CALL-7Q2XK9; ask the caller to check the call history page.`;
  }
  const { events, ...summary } = log;
  return JSON.stringify(args.includeEvents ? { ...summary, events } : summary);
}

export async function runWebhookDiagnostic(args: RunWebhookDiagnosticParams, _context?: unknown): Promise<string> {
  const host = hostOf(args.webhookUrl);
  if (!host) {
    return `Cannot test ${args.webhookUrl}: webhook URLs must start with https://.`;
  }
  const start = Date.parse(args.windowStart);
  const end = Date.parse(args.windowEnd);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return 'Cannot run the diagnostic: windowStart and windowEnd must be ISO 8601 date-times, e.g. 2026-11-20T09:00:00Z.';
  }
  if (end <= start) {
    return 'Cannot run the diagnostic: windowEnd must be after windowStart.';
  }
  const inWindow = DELIVERIES.filter((delivery) => {
    const at = Date.parse(delivery.at);
    return delivery.host === host && delivery.eventType === args.eventType && at >= start && at <= end;
  });
  if (inWindow.length === 0) {
    return `No ${args.eventType} deliveries to ${host} between ${args.windowStart} and ${args.windowEnd}. Check that the event is subscribed for this URL.`;
  }
  const failures = inWindow.filter((delivery) => delivery.httpStatus >= 300);
  const firstFailure = failures[0];
  return JSON.stringify({
    host,
    eventType: args.eventType,
    attempted: inWindow.length,
    failed: failures.length,
    failureStatuses: [...new Set(failures.map((delivery) => delivery.httpStatus))],
    averageLatencyMs: Math.round(inWindow.reduce((sum, delivery) => sum + delivery.latencyMs, 0) / inWindow.length),
    advice: firstFailure
      ? (STATUS_ADVICE[firstFailure.httpStatus] ?? `The endpoint answered HTTP ${firstFailure.httpStatus}.`)
      : 'All deliveries in the window succeeded.',
  });
}
