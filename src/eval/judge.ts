/**
 * LLM-as-judge for handoff reasons: does the reason the entry agent gave justify the route it took?
 * A 1–5 score and a one-line rationale, reported beside the structural score and never mixed into it.
 * The judge is not told the expected route: it grades the reason, not the routing.
 */
import type { Message } from './dataset.js';
import type { ModelRequest, OutputItem } from './types.js';

export interface Judgement {
  readonly score: 1 | 2 | 3 | 4 | 5;
  readonly rationale: string;
}

export interface JudgeSubject {
  readonly input: string | readonly Message[];
  /** The specialist chosen: id, the name the model saw and its handoff description. */
  readonly route: RouteInfo;
  /** Every specialist the entry could have chosen, for context. */
  readonly routes: readonly RouteInfo[];
  readonly reason: string;
}

export interface RouteInfo {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
}

export const JUDGE_INSTRUCTIONS = [
  'You review routing decisions made by the triage agent of a customer support line.',
  "The triage agent read the caller's words, chose a specialist to hand the caller to, and wrote a one-sentence reason.",
  'Rate how well the REASON justifies handing THIS caller to THIS specialist, from 1 to 5:',
  "5 = accurate, grounded in what the caller said, and clearly within the specialist's remit.",
  '4 = justified, with minor vagueness.',
  '3 = plausible but generic, or only partly supported by what the caller said.',
  '2 = weak: it misreads the caller or barely fits the remit.',
  '1 = the reason does not justify the route, or contradicts the caller.',
  'Grade the reason, not whether you would have chosen the same route.',
  'Reply with JSON only: {"score": <1-5>, "rationale": "<one line>"}.',
].join('\n');

const JUDGE_OUTPUT = {
  type: 'json_schema',
  name: 'routing_judgement',
  strict: true,
  schema: {
    type: 'object',
    properties: {
      score: { type: 'integer', description: '1 (does not justify the route) to 5 (clearly justifies it)' },
      rationale: { type: 'string', description: 'One line explaining the score.' },
    },
    required: ['score', 'rationale'],
    additionalProperties: false,
  },
} as const;

function conversation(input: string | readonly Message[]): string {
  if (typeof input === 'string') return `caller: ${input}`;
  return input.map((m) => `${m.role === 'user' ? 'caller' : 'agent'}: ${m.content}`).join('\n');
}

function describe(route: RouteInfo): string {
  return `${route.name} (${route.id})${route.description ? `: ${route.description}` : ''}`;
}

/** The model request that asks the judge for a verdict. Deterministic, so it records and replays. */
export function judgeRequest(subject: JudgeSubject): ModelRequest {
  const text = [
    'Conversation so far:',
    conversation(subject.input),
    '',
    'Specialists the triage agent could choose:',
    ...subject.routes.map((r) => `- ${describe(r)}`),
    '',
    `Chosen specialist: ${describe(subject.route)}`,
    `Reason given: ${JSON.stringify(subject.reason)}`,
  ].join('\n');
  return {
    systemInstructions: JUDGE_INSTRUCTIONS,
    input: [{ type: 'message', role: 'user', content: text }],
    modelSettings: { temperature: 0 },
    tools: [],
    handoffs: [],
    outputType: JUDGE_OUTPUT as unknown as ModelRequest['outputType'],
    tracing: false,
  };
}

export class JudgeFormatError extends Error {
  override readonly name = 'JudgeFormatError';
}

/** Read the judge's reply: a JSON object (possibly inside a code fence) with score 1–5 and a rationale. */
export function parseJudgement(output: readonly OutputItem[]): Judgement {
  const text = output
    .flatMap((item) => {
      const message = item as { type?: unknown; content?: unknown };
      if (message.type !== 'message' || !Array.isArray(message.content)) return [];
      return message.content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : ''));
    })
    .join('');
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end < start) throw new JudgeFormatError(`the judge did not reply with JSON: ${JSON.stringify(text.slice(0, 120))}`);
  let data: { score?: unknown; rationale?: unknown };
  try {
    data = JSON.parse(text.slice(start, end + 1)) as typeof data;
  } catch {
    throw new JudgeFormatError(`the judge's reply is not valid JSON: ${JSON.stringify(text.slice(start, start + 120))}`);
  }
  const score = typeof data.score === 'string' ? Number(data.score) : data.score;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
    throw new JudgeFormatError(`the judge's score must be an integer from 1 to 5, got ${JSON.stringify(data.score)}`);
  }
  const rationale = typeof data.rationale === 'string' ? data.rationale.replace(/\s+/g, ' ').trim() : '';
  return { score: score as Judgement['score'], rationale: rationale.length > 200 ? `${rationale.slice(0, 199)}…` : rationale };
}
