import { describe, expect, test } from 'vitest';
import { EntryAmbiguityError, importPython, PythonImportError } from '../../../src/import/python/index.js';
import type { ImportResult } from '../../../src/import/types.js';
import { errorsOf, importFixture, outFileOf, validateImport } from './helpers.js';

type Doc = Record<string, any>;

function notesOf(result: ImportResult): string[] {
  return result.notes.map((n) => `${n.location.line}:${n.location.column} ${n.severity} ${n.message} -> ${n.action}`);
}

async function imported(fixture: string, entry?: string) {
  const result = await importFixture(fixture, entry);
  const validation = validateImport(result, outFileOf(fixture));
  return { result, doc: result.document as Doc, validation };
}

describe('support desk written for the Python SDK (triage, billing, tech, sales, human escalation)', () => {
  test('validates with no errors and keeps the star', async () => {
    const { doc, validation } = await imported('support_desk.py');
    expect(errorsOf(validation)).toEqual([]);
    expect(validation.diagnostics).toEqual([]);
    expect(doc.entry).toBe('triage_agent');
    expect(doc.policy).toBe('star');
    expect(Object.keys(doc.agents)).toEqual(['billing_agent', 'tech_agent', 'sales_agent', 'triage_agent']);
    expect(doc.agents.triage_agent).toEqual({
      name: 'Triage Agent',
      model: 'gpt-4o-mini',
      modelSettings: { temperature: 0, parallelToolCalls: false },
      instructions: 'Route each caller to the right specialist. Do not answer yourself.',
    });
    expect(doc.agents.billing_agent).toMatchObject({
      instructionsPrefix: 'recommended',
      instructions: 'You are the billing specialist.\nRefunds over 500 go to a human.',
      handoffDescription: 'Invoices, refunds and plan changes.',
      tools: ['lookup_invoice', 'issue_refund', 'escalate_to_human'],
    });
    expect(doc.agents.tech_agent.instructions).toBe('You are the technical support specialist. Ask for the call id first.');
    expect(doc.agents.sales_agent.tools).toEqual(['lookup_pricing']);
  });

  test('function tools get JSON Schemas from type hints and Google or Sphinx docstrings', async () => {
    const { doc } = await imported('support_desk.py');
    expect(doc.tools.issue_refund).toEqual({
      description: 'Refund part or all of an invoice.',
      parameters: {
        type: 'object',
        properties: {
          invoice_id: { type: 'string', description: 'The invoice to refund.' },
          amount: { type: 'number', description: 'Amount to refund, in the invoice currency.' },
          note: { type: ['string', 'null'], description: 'A note for the ledger.' },
        },
        required: ['invoice_id', 'amount', 'note'],
        additionalProperties: false,
      },
      needsApproval: true,
      implementation: 'support-desk.switchboard.ts#issueRefund',
    });
    // The RunContextWrapper parameter is not an argument the model fills in.
    expect(doc.tools.fetch_call_log.parameters.properties).toEqual({
      call_id: { type: 'string', description: 'Call id, e.g. CALL-7Q2XK9.' },
      include_events: { type: 'boolean', description: 'Whether to include the event timeline.' },
      tags: { type: 'array', items: { type: 'string' }, description: 'Labels to filter events by.' },
    });
    expect(doc.tools.lookup_pricing).toMatchObject({
      description: 'Price a plan from the price list.',
      parameters: { properties: { plan: { type: 'string', enum: ['starter', 'growth', 'scale'] }, seats: { type: 'integer' } }, required: ['plan', 'seats'] },
      implementation: 'support-desk.switchboard.ts#pricing',
    });
    expect(doc.tools.escalate_to_human.kind).toBe('human-escalation');
    expect(doc.tools.lookup_invoice.kind).toBeUndefined();
  });

  test('handoff(...) with a pydantic input_type, on_handoff and remove_all_tools; hand-backs appended in a loop', async () => {
    const { doc } = await imported('support_desk.py');
    expect(doc.schemas).toEqual({
      HandoffReason: {
        type: 'object',
        description: 'Why the caller is being handed off.',
        properties: { reason: { type: 'string', description: 'One sentence on what the caller needs.' }, urgency: { type: 'string', enum: ['low', 'normal', 'high'] } },
        required: ['reason', 'urgency'],
        additionalProperties: false,
      },
    });
    expect(doc.handoffs).toEqual([
      { from: 'triage_agent', to: 'billing_agent', toolName: 'transfer_to_billing_agent', input: 'HandoffReason', onHandoff: 'support-desk.switchboard.ts#logHandoff', filter: ['removeAllTools'] },
      { from: 'triage_agent', to: 'tech_agent', toolName: 'transfer_to_tech_support_agent', input: 'HandoffReason', onHandoff: 'support-desk.switchboard.ts#logHandoff', filter: ['removeAllTools'] },
      { from: 'triage_agent', to: 'sales_agent', toolName: 'transfer_to_sales', description: 'Prospects only.' },
      { from: 'billing_agent', to: 'triage_agent', handback: true, toolName: 'transfer_to_triage_agent' },
      { from: 'tech_agent', to: 'triage_agent', handback: true, toolName: 'transfer_to_triage_agent' },
      { from: 'sales_agent', to: 'triage_agent', handback: true, toolName: 'transfer_to_triage_agent' },
    ]);
  });

  test('the side module holds typed stubs that name the Python source, and notes say so', async () => {
    const { result } = await imported('support_desk.py');
    expect(result.sideModule.map((e) => `${e.kind} ${e.name}`)).toEqual(['schema HandoffReason', 'hook logHandoff', 'tool lookupInvoice', 'tool issueRefund', 'tool fetchCallLog', 'tool pricing', 'tool escalateToHuman']);
    const refund = result.sideModule.find((e) => e.name === 'issueRefund')!.code;
    expect(refund).toContain('  note: string | null;');
    expect(refund).toContain('export async function issueRefund(_args: IssueRefundParams): Promise<unknown> {');
    expect(refund).toContain('throw new Error("not implemented: port issue_refund from support_desk.py:29");');
    expect(result.sideModule.find((e) => e.name === 'logHandoff')!.code).toContain('(_context: unknown, _input: HandoffReason): Promise<void>');
    expect(notesOf(result)).toEqual([
      '1:1 info Python code cannot run in the generated TypeScript: the 7 exports of support-desk.switchboard.ts are typed stubs that throw "not implemented" -> port each of them to TypeScript: HandoffReason, logHandoff, lookupInvoice, issueRefund, fetchCallLog, pricing, escalateToHuman',
      '19:1 info tool lookup_invoice is Python code -> wrote a typed stub lookupInvoice in support-desk.switchboard.ts',
      '29:1 info tool issue_refund is Python code -> wrote a typed stub issueRefund in support-desk.switchboard.ts',
      '40:1 info tool fetch_call_log is Python code -> wrote a typed stub fetchCallLog in support-desk.switchboard.ts',
      '52:1 info tool lookup_pricing is Python code -> wrote a typed stub pricing in support-desk.switchboard.ts',
      '57:1 info tool escalate_to_human is Python code -> wrote a typed stub escalateToHuman in support-desk.switchboard.ts',
      '104:24 warning on_handoff log_handoff is Python code -> wrote a stub logHandoff in support-desk.switchboard.ts',
    ]);
    expect(result.comments?.['/agents/triage_agent']).toBe('from support_desk.py:95');
  });
});

describe('the SDK’s own Python examples', () => {
  test('customer_service: run context, recommended prefix, hand-backs appended after construction', async () => {
    const { doc, result, validation } = await imported('sdk-examples/customer_service.py');
    expect(errorsOf(validation)).toEqual([]);
    expect(doc.entry).toBe('triage_agent');
    expect(doc.context).toBe('customer-service.switchboard.ts#AirlineAgentContext');
    expect(doc.agents.faq_agent).toMatchObject({ name: 'FAQ Agent', instructionsPrefix: 'recommended', tools: ['faq_lookup_tool'] });
    expect(doc.agents.faq_agent.instructions).toMatch(/^You are an FAQ agent\. .*\n# Routine\n1\. Identify/s);
    expect(doc.agents.triage_agent.instructions).toBe('You are a helpful triaging agent. You can use your tools to delegate questions to other appropriate agents.');
    expect(doc.tools.update_seat.parameters).toEqual({
      type: 'object',
      properties: { confirmation_number: { type: 'string', description: 'The confirmation number for the flight.' }, new_seat: { type: 'string', description: 'The new seat to update to.' } },
      required: ['confirmation_number', 'new_seat'],
      additionalProperties: false,
    });
    expect(doc.tools.faq_lookup_tool.description).toBe('Lookup frequently asked questions.');
    expect(doc.handoffs).toEqual([
      { from: 'triage_agent', to: 'faq_agent', toolName: 'transfer_to_faq_agent' },
      { from: 'triage_agent', to: 'seat_booking_agent', toolName: 'transfer_to_seat_booking_agent', onHandoff: 'customer-service.switchboard.ts#onSeatBookingHandoff' },
      { from: 'faq_agent', to: 'triage_agent', handback: true, toolName: 'transfer_to_triage_agent' },
      { from: 'seat_booking_agent', to: 'triage_agent', handback: true, toolName: 'transfer_to_triage_agent' },
    ]);
    expect(result.sideModule.find((e) => e.name === 'AirlineAgentContext')!.code).toContain('passenger_name?: string | null;');
  });

  test('routing: the entry comes through a local alias of Runner.run_streamed; missing handoff descriptions are lowered to warnings with notes', async () => {
    const { doc, result, validation } = await imported('sdk-examples/routing.py');
    expect(errorsOf(validation)).toEqual([]);
    expect(doc.entry).toBe('triage_agent');
    expect(doc.rules).toEqual({ 'handoff-description': 'warning' });
    expect(doc.handoffs).toEqual([
      { from: 'triage_agent', to: 'french_agent' },
      { from: 'triage_agent', to: 'spanish_agent' },
      { from: 'triage_agent', to: 'english_agent' },
    ]);
    expect(notesOf(result)).toEqual([
      '15:16 warning agent french_agent is a handoff target without a handoff_description -> lowered the rule handoff-description to a warning: add handoffDescription so triage can route to it',
      '20:17 warning agent spanish_agent is a handoff target without a handoff_description -> lowered the rule handoff-description to a warning: add handoffDescription so triage can route to it',
      '25:17 warning agent english_agent is a handoff target without a handoff_description -> lowered the rule handoff-description to a warning: add handoffDescription so triage can route to it',
    ]);
  });

  test('message_filter: two starting agents are ambiguous; with an entry, the user filter becomes a custom step', async () => {
    const error = await importFixture('sdk-examples/message_filter.py').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntryAmbiguityError);
    expect(error).toMatchObject({
      kind: 'entry-ambiguous',
      candidates: [
        { agent: 'first_agent', location: { file: 'sdk-examples/message_filter.py', line: 77, column: 24 } },
        { agent: 'second_agent', location: { file: 'sdk-examples/message_filter.py', line: 91, column: 24 } },
      ],
    });
    expect((error as Error).message).toBe('sdk-examples/message_filter.py: runs start from 2 different agents (first_agent at message_filter.py:77, second_agent at message_filter.py:91); choose one with --entry');

    const { doc, result, validation } = await imported('sdk-examples/message_filter.py', 'second_agent');
    expect(errorsOf(validation)).toEqual([]);
    expect(doc.entry).toBe('second_agent');
    expect(doc.handoffs).toEqual([{ from: 'second_agent', to: 'spanish_agent', toolName: 'transfer_to_spanish_assistant', filter: [{ implementation: 'message-filter.switchboard.ts#spanishHandoffMessageFilter' }] }]);
    expect(doc.tools.random_number_tool).toMatchObject({ description: 'Return a random integer between 0 and the given maximum.', parameters: { properties: { max: { type: 'integer' } } } });
    expect(result.sideModuleImports).toEqual(['import type { HandoffInputData } from "@openai/agents";']);
    expect(notesOf(result).filter((n) => n.includes('warning'))).toEqual([
      '52:15 warning agent first_agent is not reachable from the entry second_agent (a run may start from it separately) -> kept it and lowered the rule reachable to a warning: import again with --entry to make it the hub',
      '69:51 warning input_filter spanish_handoff_message_filter is Python code -> wrote a stub spanishHandoffMessageFilter in message-filter.switchboard.ts',
    ]);
  });

  test('agents_as_tools: as_tool(...) becomes delegate edges', async () => {
    const { doc, validation } = await imported('sdk-examples/agents_as_tools.py', 'orchestrator_agent');
    expect(errorsOf(validation)).toEqual([]);
    expect(doc.handoffs).toEqual([
      { kind: 'delegate', from: 'orchestrator_agent', to: 'spanish_agent', toolName: 'translate_to_spanish', description: "Translate the user's message to Spanish" },
      { kind: 'delegate', from: 'orchestrator_agent', to: 'french_agent', toolName: 'translate_to_french', description: "Translate the user's message to French" },
      { kind: 'delegate', from: 'orchestrator_agent', to: 'italian_agent', toolName: 'translate_to_italian', description: "Translate the user's message to Italian" },
    ]);
    expect(doc.agents.orchestrator_agent.instructions).toBe(
      'You are a translation agent. You use the tools given to you to translate.If asked for multiple translations, you call the relevant tools in order.You never translate on your own, you always use the provided tools.',
    );
  });
});

describe('dynamic code is never dropped silently', () => {
  test('agents built in loops, computed names and lists, Python callables: exact notes', async () => {
    const { result, doc, validation } = await imported('dynamic.py');
    expect(errorsOf(validation)).toEqual([]);
    expect(notesOf(result)).toEqual([
      '1:1 info Python code cannot run in the generated TypeScript: the 6 exports of dynamic.switchboard.ts are typed stubs that throw "not implemented" -> port each of them to TypeScript: buildPrompt, stripHistory, onlyBusinessHours, noSecrets, nestHandoffHistory, lookup',
      '8:1 info tool lookup is Python code -> wrote a typed stub lookup in dynamic.switchboard.ts',
      '30:16 warning an Agent is built in a comprehension; only agents assigned to a module-level variable can be imported -> not imported: declare it in the topology by hand',
      '33:10 warning Agent helper: the name is computed ("helper_" + PERSONA) -> named it helper',
      '34:18 warning Agent helper: instructions come from the Python function build_prompt -> wrote a stub buildPrompt in dynamic.switchboard.ts',
      '36:20 warning Agent helper: the tool WebSearchTool() is not a @function_tool defined in this file -> not carried over (hosted, MCP and imported tools need declaring by hand)',
      '43:18 warning Agent router: the f-string interpolation {today} has no static value -> kept it as literal text in the instructions',
      '44:11 warning router.tools is computed (binary operator), not a list literal -> not carried over: list the items in the topology by hand',
      '45:23 warning input_guardrail no_secrets is Python code -> wrote a stub noSecrets in dynamic.switchboard.ts',
      '46:44 warning input_filter strip_history is Python code -> wrote a stub stripHistory in dynamic.switchboard.ts',
      '46:70 warning is_enabled only_business_hours is Python code -> wrote a stub onlyBusinessHours in dynamic.switchboard.ts',
      '46:92 warning router.handoffs: the unpacked list *translators cannot be followed -> not carried over',
      '49:21 warning a second handoff from router to helper -> kept the first one',
      '56:13 warning agent archivist is not reachable from the entry router (a run may start from it separately) -> kept it and lowered the rule reachable to a warning: import again with --entry to make it the hub',
      '59:44 warning input_filter handoff_filters.nest_handoff_history: the JavaScript SDK has no nest_handoff_history -> wrote a stub nestHandoffHistory in dynamic.switchboard.ts',
      '62:16 warning router.clone(...) makes a copy of an agent, which the importer does not follow -> not imported: declare the copy in the topology by hand',
    ]);
    expect(doc.agents.router.instructions).toBe('You are a careful assistant. Today is {today}.');
    expect(doc.agents.helper.instructions).toEqual({ implementation: 'dynamic.switchboard.ts#buildPrompt' });
    expect(doc.agents.router.inputGuardrails).toEqual(['dynamic.switchboard.ts#noSecrets']);
    // `router.handoffs += [helper]` after construction is followed, and found to repeat the first edge.
    expect(doc.handoffs).toEqual([
      { from: 'router', to: 'helper', filter: [{ implementation: 'dynamic.switchboard.ts#stripHistory' }], enabled: 'dynamic.switchboard.ts#onlyBusinessHours' },
      // The SDK-only filter becomes a custom step; the Python default tool name is kept.
      { from: 'archivist', to: 'router', handback: true, toolName: 'transfer_to_router', filter: [{ implementation: 'dynamic.switchboard.ts#nestHandoffHistory' }] },
    ]);
  });

  test('a syntax error names its position; no agent, no Runner call and an unknown --entry are user errors', async () => {
    const syntax = await importPython('x = Agent(name="a"\n', 'bad.py', { outFile: 'bad.yaml' }).catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(PythonImportError);
    expect((syntax as Error).message).toMatch(/^bad\.py:1:\d+: Python syntax error/);
    await expect(importPython('print("hi")\n', 'none.py', { outFile: 'none.yaml' })).rejects.toThrow('none.py: no Agent(...) assigned to a module-level variable was found, so there is nothing to import');
    const two = 'from agents import Agent\na = Agent(name="A")\nb = Agent(name="B")\n';
    await expect(importPython(two, 'two.py', { outFile: 'two.yaml' })).rejects.toMatchObject({
      kind: 'entry-missing',
      candidates: [
        { agent: 'a', location: { file: 'two.py', line: 2, column: 1 } },
        { agent: 'b', location: { file: 'two.py', line: 3, column: 1 } },
      ],
    });
    expect(((await importPython(two, 'two.py', { outFile: 'two.yaml', entry: 'B' })).document as Doc).entry).toBe('b');
    await expect(importPython(two, 'two.py', { outFile: 'two.yaml', entry: 'c' })).rejects.toThrow('--entry c: no agent of two.py has that id, variable or name; candidates: a, b');
  });
});
