/**
 * A SIMULATED model provider for the support desk: deterministic keyword rules, no model, no network.
 *
 * It exists so that the shipped cassette (evals/support-desk.cassette.json) and baseline
 * (evals/support-desk.baseline.json) could be recorded without an API key, and the README's CI recipe
 * runs offline exactly as written. Its accuracy says nothing about any OpenAI model: re-record the
 * cassette and the baseline with a real key (`--record`, see docs/eval.md) before trusting the numbers.
 *
 * What it plays:
 * - the triage agent: routes the caller's last message by keyword (three deliberate mistakes on the
 *   shipped dataset, one of them a narrated handoff: it says it will connect the caller and does not);
 * - the specialists: billing looks invoices up, refunds up to 500 and escalates refunds over 500 to a
 *   human; tech fetches call logs; every specialist hands the caller back to triage when the caller
 *   pivots to something outside its domain;
 * - a simulated caller (`caller-model`): plays a persona towards a goal, then says goodbye.
 *
 *   switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml \
 *     --provider evals/support-desk.simulated-provider.ts#provider --record evals/support-desk.cassette.json
 */
import type { Model, ModelProvider, ModelRequest, ModelResponse } from '@openai/agents';

type Output = ModelResponse['output'];
type Route = 'billing' | 'tech' | 'sales';

const HANDOFF_TOOLS: Readonly<Record<Route, string>> = { billing: 'transfer_to_BillingAgent', tech: 'transfer_to_TechSupportAgent', sales: 'transfer_to_SalesAgent' };
const BACK_TO_TRIAGE = 'transfer_to_Triage_Agent';
export const REFUND_LIMIT = 500;

/** The route for a caller's words, `narrate` for the deliberate narrated handoff, or undefined to stay. */
export function simulatedRoute(text: string): Route | 'narrate' | undefined {
  // "Forget the refund, …": what the caller drops does not count.
  const t = text.toLowerCase().replace(/forget (?:about )?the \w+/g, '');
  if (/refund|money back/.test(t)) return 'billing';
  if (/log in to the dashboard/.test(t)) return 'narrate';
  if (/drop|webhook|fail|can't hear|echo|down for|log for call|call-[0-9a-z]{6}|salesforce|integration stopped|recording\.ready|outbound|se cortan|in progress|problem/.test(t)) return 'tech';
  if (/charg|invoice|inv-\d|bill us|credit card|vat|subscription|cancel|change my plan|plan down|existing customer|abgebucht|fatura/.test(t)) return 'billing';
  if (/demo|démonstration|price|pricing|cost|trial|something to read|not customers|before we (?:sign|buy)|switching|move to you|wat kost|seats/.test(t)) return 'sales';
  return undefined;
}

interface Item {
  readonly type?: string;
  readonly role?: string;
  readonly content?: unknown;
  readonly name?: string;
  readonly callId?: string;
  readonly arguments?: string;
}

function items(request: ModelRequest): Item[] {
  return typeof request.input === 'string' ? [{ type: 'message', role: 'user', content: request.input }] : (request.input as Item[]);
}

function textOf(item: Item): string {
  if (typeof item.content === 'string') return item.content;
  if (Array.isArray(item.content)) return item.content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join(' ');
  return '';
}

/** The caller's last message, and what happened after it (handoffs, tool calls and results). */
function lastTurn(request: ModelRequest): { text: string; after: Item[] } {
  const all = items(request);
  let index = -1;
  all.forEach((item, i) => {
    if (item.role === 'user') index = i;
  });
  return { text: index >= 0 ? textOf(all[index]!) : '', after: all.slice(index + 1) };
}

function say(text: string): Output[number] {
  return { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] } as Output[number];
}

let callCounter = 0;
function call(name: string, args: unknown): Output[number] {
  // Call ids are renumbered before hashing (cassette keys), so a counter is as good as a random id.
  return { type: 'function_call', callId: `call_sim_${++callCounter}`, name, arguments: JSON.stringify(args), status: 'completed' } as Output[number];
}

function usage(request: ModelRequest, output: Output) {
  // Deterministic token counts, roughly 4 characters a token.
  const input = Math.ceil(JSON.stringify([request.systemInstructions, request.input, request.tools, request.handoffs]).length / 4);
  const out = Math.ceil(JSON.stringify(output).length / 4);
  return { requests: 1, inputTokens: input, outputTokens: out, totalTokens: input + out } as unknown as ModelResponse['usage'];
}

function respond(model: string, request: ModelRequest): Output {
  if (model === 'caller-model') return callerTurn(request);
  const offered = new Set(request.handoffs.map((h) => h.toolName));
  const tools = new Set(request.tools.map((t) => (t as { name?: string }).name));
  const { text, after } = lastTurn(request);
  const calledAfter = (name: string) => after.some((i) => i.type === 'function_call' && i.name === name);
  const resultAfter = after.some((i) => i.type === 'function_call_result');

  if (offered.has(HANDOFF_TOOLS.billing)) {
    // Triage. Handed back after the specialist dealt with it: wrap up; handed back on a pivot: route again.
    const route = simulatedRoute(text);
    const handedBackFrom = [...after].reverse().find((i) => i.type === 'function_call' && i.name?.startsWith('transfer_to_') && i.name !== BACK_TO_TRIAGE)?.name;
    if (calledAfter(BACK_TO_TRIAGE) && (route === undefined || route === 'narrate' || HANDOFF_TOOLS[route] === handedBackFrom)) return [say('Is there anything else I can help you with today?')];
    if (route === 'narrate') return [say("I'm sorry about that. Let me connect you with our technical team, they can look at your login.")];
    if (!route) return [say(/bye|that's everything|thanks a lot/i.test(text) ? 'Thanks for calling, goodbye!' : 'Could you tell me a little more about what you need?')];
    return [call(HANDOFF_TOOLS[route], { reason: `Caller needs ${route}: ${text.slice(0, 80)}` })];
  }

  const domain: Route | undefined = tools.has('lookup_invoice') ? 'billing' : tools.has('fetch_call_log') ? 'tech' : tools.has('lookup_pricing') ? 'sales' : undefined;
  if (!domain) return [say('Let me look into that for you.')];
  const route = simulatedRoute(text);
  // A pivot: the caller now wants something this specialist does not handle.
  if (route && route !== 'narrate' && route !== domain && !resultAfter && offered.has(BACK_TO_TRIAGE)) return [call(BACK_TO_TRIAGE, {})];
  if (/that's all|nothing else|bye/i.test(text) && offered.has(BACK_TO_TRIAGE) && !resultAfter) return [call(BACK_TO_TRIAGE, {})];

  if (domain === 'billing') {
    const invoice = /INV-\d{4,}/i.exec(text)?.[0]?.toUpperCase();
    if (invoice && !calledAfter('lookup_invoice')) return [call('lookup_invoice', { invoiceId: invoice })];
    const amount = /(?:\$|usd\s?)(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s?(?:dollars|usd)/i.exec(text);
    if (/refund|money back/i.test(text) && amount && invoice) {
      const value = Number(amount[1] ?? amount[2]);
      if (value > REFUND_LIMIT && !calledAfter('escalate_to_human')) {
        return [call('escalate_to_human', { reason: `Refund of ${value} USD on ${invoice} is over the ${REFUND_LIMIT} limit.`, urgency: 'normal', summary: `Caller asks for a refund of ${value} USD on ${invoice}: ${text.slice(0, 120)}`, callbackNumber: null })];
      }
      if (value <= REFUND_LIMIT && !calledAfter('issue_refund')) return [call('issue_refund', { invoiceId: invoice, amount: value, currency: 'USD', reason: text.slice(0, 120) })];
    }
    if (calledAfter('escalate_to_human')) return [say('That refund is over what I can approve, so I have passed it to a colleague who will join this call shortly.')];
    if (calledAfter('issue_refund')) return [say('I have submitted that refund; it waits for an operator to approve it.')];
    if (invoice) return [say(`I have invoice ${invoice} in front of me. What would you like to do with it?`)];
    return [say('Could you read me the invoice number? It looks like INV-1042.')];
  }
  if (domain === 'tech') {
    const callId = /CALL-[0-9A-Z]{6}/i.exec(text)?.[0]?.toUpperCase();
    if (callId && !calledAfter('fetch_call_log')) return [call('fetch_call_log', { callId, includeEvents: false })];
    if (callId) return [say(`I can see call ${callId}. It ended when the far side hung up.`)];
    return [say('Could you give me the call id? It looks like CALL-7Q2XK9.')];
  }
  return [say('I can give you a quote. How many seats do you need?')];
}

/**
 * The simulated caller: its goal is a `;`-separated list of things to say, one a turn; once the agent
 * has answered the last one it says [done]. (The agent's words reach it as `user` messages.)
 */
function callerTurn(request: ModelRequest): Output {
  const goal = /Goal: (.*)/.exec(String(request.systemInstructions ?? ''))?.[1] ?? '';
  const steps = goal.split(/\s*;\s*/).filter((s) => s !== '');
  const answered = items(request).filter((i) => i.role === 'user').length;
  return [say(steps[answered] ?? '[done]')];
}

export function createSimulatedProvider(): ModelProvider {
  return {
    getModel(name?: string): Model {
      const model = name ?? '';
      return {
        async getResponse(request: ModelRequest) {
          const output = respond(model, request);
          return { output, usage: usage(request, output) };
        },
        async *getStreamedResponse() {
          throw new Error('the simulated provider does not stream');
        },
      };
    },
  };
}

/** For `--provider evals/support-desk.simulated-provider.ts#provider`. */
export const provider = createSimulatedProvider();
