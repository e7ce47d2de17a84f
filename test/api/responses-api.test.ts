import { OpenAIProvider, Runner } from '@openai/agents';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as airline from '../../generated/airline/index.js';
import * as clinic from '../../generated/clinic-scheduling/index.js';
import * as supportDesk from '../../generated/support-desk/index.js';
import type { Agent as TopologyAgent, Edge, JsonSchema, Topology } from '../../src/model/types.js';
import { validateFile } from '../../src/validate.js';
import { newAirlineContext } from '../../topologies/airline/context.js';
import { functionCall, message, orphanedOutputs, startFakeResponsesApi, type FakeResponsesApi, type InputItem, type ResponsesRequest, type Turn } from '../helpers/fake-responses-api.js';
import { fromRoot } from '../helpers/paths.js';
import { strictSchemaProblems } from '../helpers/strict-schema.js';

// Every shipped topology, through the real `openai` client and the SDK's OpenAI Responses model, against
// a local fake of the Responses API: the recorded request bodies are what production would send.

let api: FakeResponsesApi;
let provider: OpenAIProvider;
beforeAll(async () => {
  api = await startFakeResponsesApi({ lifetimeMs: 120_000 });
  const client = new OpenAI({ baseURL: api.baseURL, apiKey: 'test', maxRetries: 0, timeout: 10_000 });
  provider = new OpenAIProvider({ openAIClient: client, useResponses: true });
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
});

const topologyOf = (name: string): Topology => {
  const result = validateFile(fromRoot('topologies', `${name}.yaml`));
  expect(result.ok).toBe(true);
  return result.topology!;
};

/** A scripted conversation: which agent each request must come from, and what the model answers. */
type Step = readonly [agentId: string, answer: Turn];
const script = (steps: readonly Step[]) => {
  api.script(steps.map(([, answer]) => answer));
  return steps.map(([agentId]) => agentId);
};
const say = (text: string): Turn => () => [message(text)];
const callTool = (name: string, args: object): Turn => () => [functionCall(name, args)];

const handoffToolName = (agent: TopologyAgent) => `transfer_to_${agent.name.replace(/\s/g, '_').replace(/[^a-zA-Z0-9]/g, '_')}`;
const asToolName = (agent: TopologyAgent) => agent.name.replace(/\s/g, '_').replace(/[^a-zA-Z0-9]/g, '_');
const textOf = (item: InputItem) => (typeof item.content === 'string' ? item.content : JSON.stringify(item.content ?? ''));

/** A request the SDK's default empty-object handoff parameters stand for. */
const NO_INPUT = { type: 'object', properties: {}, required: [], additionalProperties: false };

/** Checks every recorded request against the topology and against what the API accepts. */
function checkRequests(topology: Topology, expectedAgents: readonly string[], callerMessage: string, generatedAgents: Record<string, { instructions: unknown }>) {
  expect(api.remaining).toBe(0);
  expect(api.requests.map((r) => agentOf(topology, r))).toEqual(expectedAgents);
  const agents = new Map(topology.agents.map((a) => [a.id, a]));
  const schemaOf = (edge: Edge): JsonSchema | undefined => (edge.input?.kind === 'named' ? topology.schemas.find((s) => s.name === (edge.input as { name: string }).name)?.schema : edge.input?.schema);
  api.requests.forEach((request, index) => {
    const where = `request #${index + 1} (${expectedAgents[index]})`;
    const agent = agents.get(expectedAgents[index]!)!;

    // What the API would reject: an orphaned tool output, a strict schema outside the subset.
    expect(orphanedOutputs(request.input), where).toEqual([]);
    for (const tool of request.tools) if (tool.strict) expect(strictSchemaProblems(tool.parameters), `${where}: ${tool.name}`).toEqual([]);
    const format = (request.raw.text as { format?: { type: string; strict?: boolean; schema?: unknown } } | undefined)?.format;
    if (format?.type === 'json_schema' && format.strict) expect(strictSchemaProblems(format.schema), `${where}: output`).toEqual([]);

    // The caller's own words reach every agent of the main run (a delegate gets only its tool input).
    const delegated = topology.edges.some((e) => e.kind === 'delegate' && e.to.value === agent.id);
    if (!delegated) expect(request.input.some((item) => item.role === 'user' && textOf(item).includes(callerMessage)), `${where}: caller's message`).toBe(true);

    // Model, settings and instructions as declared.
    expect(request.model, where).toBe(agent.model?.value);
    const settings = agent.modelSettings as Record<string, unknown>;
    if ('temperature' in settings) expect(request.raw.temperature, where).toBe(settings.temperature);
    if ('maxTokens' in settings) expect(request.raw.max_output_tokens, where).toBe(settings.maxTokens);
    if ('parallelToolCalls' in settings) expect(request.raw.parallel_tool_calls, where).toBe(settings.parallelToolCalls);
    if ('reasoning' in settings) expect(request.raw.reasoning, where).toEqual(settings.reasoning);
    const declared = generatedAgents[agent.id]!.instructions;
    if (typeof declared === 'string') expect(request.instructions, where).toBe(declared);
    else expect(request.instructions, where).toEqual(expect.any(String));
    if (agent.instructions?.kind === 'inline') expect(request.instructions, where).toContain(agent.instructions.text.trim());

    // Tools: the agent's own, exactly as declared; handoff and delegate tools for its outgoing edges.
    const sent = new Map(request.tools.map((t) => [t.name, t]));
    const edges = topology.edges.filter((e) => e.from.value === agent.id);
    const expectedNames = [
      ...agent.tools.map((t) => t.value),
      ...edges.map((e) => e.toolName?.value ?? (e.kind === 'delegate' ? asToolName(agents.get(e.to.value)!) : handoffToolName(agents.get(e.to.value)!))),
    ];
    expect([...sent.keys()].sort(), where).toEqual([...expectedNames].sort());
    for (const ref of agent.tools) {
      const declaredTool = topology.tools.find((t) => t.id === ref.value)!;
      expect(sent.get(declaredTool.id), `${where}: ${declaredTool.id}`).toMatchObject({
        type: 'function',
        description: declaredTool.description,
        strict: declaredTool.strict,
        parameters: declaredTool.strict ? declaredTool.parameters : { ...declaredTool.parameters, additionalProperties: true },
      });
    }
    for (const edge of edges) {
      const target = agents.get(edge.to.value)!;
      const tool = sent.get(edge.toolName?.value ?? (edge.kind === 'delegate' ? asToolName(target) : handoffToolName(target)))!;
      expect(tool.strict, `${where}: ${tool.name}`).toBe(true);
      if (edge.kind === 'delegate') {
        expect(tool.description).toBe(edge.description?.value ?? target.handoffDescription?.value);
        continue;
      }
      expect(tool.description, `${where}: ${tool.name}`).toContain(target.name);
      const specific = edge.description?.value ?? target.handoffDescription?.value;
      if (specific) expect(tool.description).toContain(specific);
      expect(tool.parameters, `${where}: ${tool.name}`).toEqual(schemaOf(edge) ?? NO_INPUT);
    }
  });
}

/** The agent a request came from, told apart by its instructions' first line. */
function agentOf(topology: Topology, request: ResponsesRequest): string {
  const firstLine = (text: string) => text.trim().split('\n')[0]!;
  const byInstructions = topology.agents.filter((a) => a.instructions?.kind === 'inline' && request.instructions?.includes(firstLine(a.instructions.text)));
  if (byInstructions.length === 1) return byInstructions[0]!.id;
  const byTools = topology.agents.filter((a) => a.tools.length > 0 && a.tools.every((t) => request.tools.some((s) => s.name === t.value)));
  return byTools.length === 1 ? byTools[0]!.id : `? (${request.tools.map((t) => t.name).join(', ')})`;
}

const lastToolOutput = (request: ResponsesRequest) => {
  const outputs = request.input.filter((item) => item.type === 'function_call_output');
  return JSON.stringify(outputs[outputs.length - 1]?.output);
};

describe('generated code against a fake Responses API, through the real openai client', () => {
  it('support-desk: triage → billing (tool) → back to triage → tech (invalid, then valid tool call)', async () => {
    const topology = topologyOf('support-desk');
    const caller = 'Why is invoice INV-1042 so high? Also my webhooks fail.';
    const webhook = { webhookUrl: 'https://hooks.example.com/calls', eventType: 'call.ended', windowStart: '2026-11-20T09:00:00Z', windowEnd: '2026-11-20T17:00:00Z' };
    const expected = script([
      ['triage', callTool('transfer_to_BillingAgent', { reason: 'Caller asks about invoice INV-1042.' })],
      ['billing', callTool('lookup_invoice', { invoiceId: 'INV-1042' })],
      ['billing', callTool('transfer_to_Triage_Agent', {})],
      ['triage', callTool('transfer_to_TechSupportAgent', { reason: 'Webhooks fail.' })],
      ['tech', callTool('run_webhook_diagnostic', { ...webhook, windowStart: 'yesterday' })],
      [
        'tech',
        (request) => {
          expect(lastToolOutput(request)).toContain('arguments.windowStart must be a valid date-time');
          return [functionCall('run_webhook_diagnostic', webhook)];
        },
      ],
      ['tech', say('Your webhook endpoint returned 500 errors; please check its logs.')],
    ]);
    const result = await supportDesk.runSupportDesk(caller, { modelProvider: provider, tracingDisabled: true });
    expect(result.finalOutput).toBe('Your webhook endpoint returned 500 errors; please check its logs.');
    checkRequests(topology, expected, caller, supportDesk.agents);
    // Spot checks of exact bodies, independent of the checker above.
    const billing = api.requests[1]!;
    expect(billing.tools.find((t) => t.name === 'lookup_invoice')).toEqual({
      type: 'function',
      name: 'lookup_invoice',
      description: 'Look up one invoice by id and return its amount, currency, status and what has already been refunded.',
      parameters: {
        type: 'object',
        properties: { invoiceId: { type: 'string', pattern: '^INV-[0-9]{4,}$', description: 'Invoice id as printed on the invoice, e.g. INV-1042.' } },
        required: ['invoiceId'],
        additionalProperties: false,
      },
      strict: true,
    });
    expect(api.requests[0]!.tools.find((t) => t.name === 'transfer_to_BillingAgent')?.parameters).toMatchObject({ required: ['reason'], additionalProperties: false });
    // removeAllTools on triage → billing: billing sees the caller's message and no tool traffic.
    expect(billing.input.map((item) => item.type ?? item.role)).toEqual(['user']);
    expect(api.requests.map((r) => r.model)).toEqual(['gpt-4o-mini', 'gpt-4o', 'gpt-4o', 'gpt-4o-mini', 'gpt-4o', 'gpt-4o', 'gpt-4o']);
  });

  it('clinic-scheduling: front desk → appointments → back → prescriptions (several tools) → back', async () => {
    const topology = topologyOf('clinic-scheduling');
    const caller = 'Hi, this is PT-104233. I need a dermatology appointment and a refill of my lisinopril.';
    const patientId = 'PT-104233';
    const expected = script([
      ['frontdesk', callTool('transfer_to_AppointmentsAgent', { reason: 'Wants a dermatology appointment.', patientId, callerIsPatient: true })],
      ['appointments', callTool('find_open_slots', { department: 'dermatology', visitType: 'in-person', fromDate: '2026-12-07', toDate: '2026-12-11', clinicianId: null })],
      ['appointments', callTool('transfer_to_Front_Desk', {})],
      ['frontdesk', callTool('transfer_to_PrescriptionsAgent', { requestType: 'refill', medication: 'lisinopril', patientId, reason: 'Refill of lisinopril.' })],
      ['prescriptions', callTool('lookup_prescriptions', { patientId, medicationName: 'lisinopril' })],
      ['prescriptions', callTool('lookup_prescriptions', { patientId, medicationName: null })],
      ['prescriptions', callTool('lookup_prescriptions', { patientId, medicationName: 'Lisinopril' })],
      ['prescriptions', callTool('lookup_prescriptions', { patientId, medicationName: 'lisinopril 10 mg' })],
      ['prescriptions', callTool('transfer_to_Front_Desk', {})],
      ['frontdesk', say('Is there anything else I can help you with?')],
    ]);
    const result = await clinic.runClinicScheduling(caller, { modelProvider: provider, tracingDisabled: true });
    expect(result.finalOutput).toBe('Is there anything else I can help you with?');
    checkRequests(topology, expected, caller, clinic.agents);
    expect(api.requests[0]!.tools.find((t) => t.name === 'transfer_to_medical_records')?.description).toContain('Medical-records copies and chart transfers.');
  });

  // keepLast: 12 on the hand-back from prescriptions must cut at call/output pairs and keep the caller's
  // message. Seven parallel lookups make the history long enough that a cut by item count splits a pair.
  it('clinic-scheduling: a long prescriptions turn hands back through keepLast without orphaning a tool output', async () => {
    const topology = topologyOf('clinic-scheduling');
    const caller = 'Hi, this is PT-104233. Which of my prescriptions can be refilled?';
    const patientId = 'PT-104233';
    const medications = ['lisinopril', 'metformin', 'atorvastatin', 'levothyroxine', 'amlodipine', 'omeprazole', 'sertraline'];
    const expected = script([
      ['frontdesk', callTool('transfer_to_PrescriptionsAgent', { requestType: 'refill', medication: null, patientId, reason: 'Refill question.' })],
      ['prescriptions', () => medications.map((medicationName) => functionCall('lookup_prescriptions', { patientId, medicationName }))],
      ['prescriptions', callTool('transfer_to_Front_Desk', {})],
      ['frontdesk', say('Is there anything else I can help you with?')],
    ]);
    const result = await clinic.runClinicScheduling(caller, { modelProvider: provider, tracingDisabled: true });
    expect(result.finalOutput).toBe('Is there anything else I can help you with?');
    checkRequests(topology, expected, caller, clinic.agents);
  });

  it('airline: triage asks flight status as a tool (structured output), books a seat, goes back, asks the FAQ', async () => {
    const topology = topologyOf('airline');
    const caller = 'What is the status of my flight? I also want to change my seat and ask about bags.';
    const expected = script([
      ['triage', callTool('Flight_Status_Agent', { input: 'What is the status of FLT-123?' })],
      ['flight_status', callTool('get_flight_status', { flight_number: 'FLT-123' })],
      ['flight_status', say(JSON.stringify({ flight_number: 'FLT-123', status: 'on time', gate: 'B12' }))],
      ['triage', callTool('transfer_to_Seat_Booking_Agent', {})],
      ['seat_booking', callTool('update_seat', { confirmation_number: 'ABC123', new_seat: '14C' })],
      ['seat_booking', callTool('transfer_to_Triage_Agent', {})],
      ['triage', callTool('transfer_to_FAQ_Agent', {})],
      ['faq', callTool('faq_lookup_tool', { question: 'How many bags can I bring?' })],
      ['faq', say('You can bring one carry-on bag.')],
    ]);
    const context = newAirlineContext({ passengerName: 'Ada', confirmationNumber: 'ABC123' });
    const result = await airline.runAirline(caller, { modelProvider: provider, tracingDisabled: true, context });
    expect(result.finalOutput).toBe('You can bring one carry-on bag.');
    checkRequests(topology, expected, caller, airline.agents);
    const format = api.requests[1]!.raw.text as { format: { type: string; name: string; strict: boolean } };
    expect(format.format).toMatchObject({ type: 'json_schema', name: 'FlightStatus', strict: true });
  });

  it('streams over server-sent events when the run streams', async () => {
    const topology = topologyOf('support-desk');
    const caller = 'My invoice INV-1042 looks wrong.';
    const expected = script([
      ['triage', callTool('transfer_to_BillingAgent', { reason: 'Invoice question.' })],
      ['billing', callTool('lookup_invoice', { invoiceId: 'INV-1042' })],
      ['billing', say('Invoice INV-1042 is paid in full.')],
    ]);
    const runner = new Runner({ modelProvider: provider, tracingDisabled: true });
    const stream = await runner.run(supportDesk.entryAgent, caller, { stream: true });
    for await (const event of stream) void event;
    await stream.completed;
    expect(stream.finalOutput).toBe('Invoice INV-1042 is paid in full.');
    expect(api.requests.every((r) => r.stream)).toBe(true);
    checkRequests(topology, expected, caller, supportDesk.agents);
  });
});

// The checker must itself reject what the API rejects, or a green run would prove nothing.
describe('the request checks', () => {
  it('find orphaned tool outputs', () => {
    expect(orphanedOutputs([{ type: 'function_call', call_id: 'a' }, { type: 'function_call_output', call_id: 'a' }])).toEqual([]);
    expect(orphanedOutputs([{ role: 'user', content: 'hi' }, { type: 'function_call_output', call_id: 'b' }])).toEqual(['b']);
  });

  it('find schemas outside the strict-mode subset', () => {
    const ok = { type: 'object', properties: { a: { type: ['string', 'null'], format: 'date' } }, required: ['a'], additionalProperties: false };
    expect(strictSchemaProblems(ok)).toEqual([]);
    expect(strictSchemaProblems({ ...ok, required: [] })).toEqual(['/required must list "a"']);
    expect(strictSchemaProblems({ ...ok, additionalProperties: true })).toEqual(['/additionalProperties must be false']);
    expect(strictSchemaProblems({ ...ok, properties: { a: { type: 'string', format: 'uri', minLength: 1 } } })).toEqual([
      '/properties/a/minLength is not supported in strict mode',
      '/properties/a/format "uri" is not supported in strict mode',
    ]);
    expect(strictSchemaProblems({ anyOf: [ok] })).toEqual(['(root) must be a schema of type object, not anyOf']);
    const nested = (depth: number): object => (depth === 0 ? { type: 'string' } : { type: 'object', properties: { x: nested(depth - 1) }, required: ['x'], additionalProperties: false });
    expect(strictSchemaProblems(nested(10))).toEqual([]);
    expect(strictSchemaProblems(nested(11))).toEqual([`${'/properties/x'.repeat(10)} nests deeper than 10 levels`]);
  });

  it('the fake answers an orphaned tool output with 400, as the real API does', async () => {
    const client = new OpenAI({ baseURL: api.baseURL, apiKey: 'test', maxRetries: 0 });
    api.script([]);
    await expect(client.responses.create({ model: 'gpt-4o', input: [{ type: 'function_call_output', call_id: 'call_x', output: 'x' }] })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('No tool call found for function call output with call_id call_x'),
    });
  });
});

