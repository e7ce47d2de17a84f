import { Agent, MemorySession, Runner, tool, Usage } from '@openai/agents';
import type { ModelRequest } from '@openai/agents';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseChatInput } from '../../src/chat/commands.js';
import { Conversation, type ApprovalRequest, type ChatEvent } from '../../src/chat/conversation.js';
import { renderAgents, renderChatEvent } from '../../src/chat/render.js';
import { withChatRuntime } from '../../src/chat/runtime.js';
import { streamingProvider } from '../../src/chat/streaming-provider.js';
import { call, ScriptedModelProvider, say, type ScriptStep } from '../helpers/scripted-model.js';

// src/chat against the real SDK (streamed runs, MemorySession, approvals), driven by a scripted model.

function desk() {
  const refunds: number[] = [];
  const lookupInvoice = tool({ name: 'lookup_invoice', description: 'Look an invoice up.', parameters: z.object({ invoiceId: z.string() }), execute: async ({ invoiceId }) => `${invoiceId}: 249.00 USD, paid` });
  const issueRefund = tool({
    name: 'issue_refund',
    description: 'Refund an invoice.',
    parameters: z.object({ invoiceId: z.string(), amount: z.number() }),
    needsApproval: true,
    execute: async ({ amount }) => (refunds.push(amount), `refunded ${amount}`),
  });
  const triage = new Agent({ name: 'Triage Agent', instructions: 'Route.' });
  const billing = new Agent({ name: 'BillingAgent', instructions: 'Bill.', tools: [lookupInvoice, issueRefund] });
  triage.handoffs.push(billing);
  billing.handoffs.push(triage);
  return { agents: { triage, billing }, refunds };
}

/** The caller messages a model request carries, oldest first: what the session kept. */
function userMessages(request: ModelRequest): string[] {
  if (typeof request.input === 'string') return [request.input];
  return request.input.filter((i) => (i as { role?: string }).role === 'user').map((i) => String((i as { content: unknown }).content));
}

function lastOutput(request: ModelRequest): string {
  const items = typeof request.input === 'string' ? [] : request.input;
  return JSON.stringify(items[items.length - 1]);
}

async function chat(steps: ScriptStep[], body: (conversation: Conversation, turn: (text: string, answers?: boolean[]) => Promise<{ events: string[]; outcome: unknown; asked: ApprovalRequest[] }>) => Promise<void>) {
  const model = new ScriptedModelProvider(steps);
  const { agents, refunds } = desk();
  const topology = { name: 'desk', entryId: 'triage', agents, sdk: { Runner, Usage, MemorySession } };
  await withChatRuntime(topology, streamingProvider(model), {}, async (startRun) => {
    const conversation = new Conversation({ agents, entryId: 'triage', startRun, newSession: () => new MemorySession() });
    await body(conversation, async (text, answers = []) => {
      const events: ChatEvent[] = [];
      const asked: ApprovalRequest[] = [];
      const outcome = await conversation.send(text, {
        signal: new AbortController().signal,
        onEvent: (e) => events.push(e),
        decide: async (request) => (asked.push(request), answers.shift()),
      });
      return { events: events.map((e) => renderChatEvent(e).trimEnd()), outcome, asked };
    });
  });
  return { model, refunds };
}

describe('Conversation', () => {
  it('holds a multi-turn conversation: handoff, tool call, approval, hand-back, history across turns, /reset', async () => {
    const { model, refunds } = await chat(
      [
        () => [call('transfer_to_BillingAgent', { reason: 'charged twice' })],
        () => [call('lookup_invoice', { invoiceId: 'INV-1042' })],
        () => [say('INV-1042 is 249.00 USD. Refund 49?')],
        // Turn 2 goes to billing, who answered last, and sees turn 1.
        (request) => (expect(userMessages(request)).toEqual(['I was charged twice on INV-1042', 'yes, refund 49']), [call('issue_refund', { invoiceId: 'INV-1042', amount: 49 })]),
        (request) => (expect(lastOutput(request)).toContain('refunded 49'), [say('Refunded 49.00 USD.')]),
        // Turn 3: a second refund, rejected; then the hand-back to triage.
        () => [call('issue_refund', { invoiceId: 'INV-1042', amount: 10 })],
        (request) => (expect(lastOutput(request)).toContain('not approved'), [call('transfer_to_Triage_Agent', {})]),
        () => [say('Anything else?')],
        // After /reset: a new session, triage first, no history.
        (request) => (expect(userMessages(request)).toEqual(['hello again']), [say('Hello! How can I help?')]),
      ],
      async (conversation, turn) => {
        expect(conversation.active).toEqual({ id: 'triage', name: 'Triage Agent' });
        const first = await turn('I was charged twice on INV-1042');
        expect(first.events).toEqual([
          '→ handoff Triage Agent (triage) → BillingAgent (billing): charged twice',
          '⚙ lookup_invoice by BillingAgent {"invoiceId":"INV-1042"}',
          '  ↳ INV-1042: 249.00 USD, paid',
          'BillingAgent (billing): INV-1042 is 249.00 USD. Refund 49?',
        ]);
        expect(first.outcome).toEqual({ status: 'completed', agent: { id: 'billing', name: 'BillingAgent' } });
        expect(renderAgents(conversation.agents())).toBe('  triage   Triage Agent  (entry)\n* billing  BillingAgent  (answers next)\n');

        const second = await turn('yes, refund 49', [true]);
        expect(second.asked).toEqual([{ agent: { id: 'billing', name: 'BillingAgent' }, tool: 'issue_refund', arguments: '{"invoiceId":"INV-1042","amount":49}' }]);
        expect(second.events).toEqual([
          '⚙ issue_refund by BillingAgent {"invoiceId":"INV-1042","amount":49}',
          '  ✓ approved: issue_refund',
          '  ↳ refunded 49',
          'BillingAgent (billing): Refunded 49.00 USD.',
        ]);

        const third = await turn('and refund 10 more', [false]);
        expect(third.events).toEqual([
          '⚙ issue_refund by BillingAgent {"invoiceId":"INV-1042","amount":10}',
          '  ✗ rejected: issue_refund',
          '  ↳ Tool execution was not approved.',
          '→ handoff BillingAgent (billing) → Triage Agent (triage)',
          'Triage Agent (triage): Anything else?',
        ]);
        expect(conversation.active.id).toBe('triage');
        expect(conversation.turns).toBe(3);
        const history = await conversation.session.getItems();
        expect(history.filter((i) => (i as { role?: string }).role === 'user')).toHaveLength(3);

        conversation.reset();
        expect(conversation.turns).toBe(0);
        expect(await conversation.session.getItems()).toEqual([]);
        const after = await turn('hello again');
        expect(after.events).toEqual(['Triage Agent (triage): Hello! How can I help?']);
      },
    );
    expect(refunds).toEqual([49]);
    expect(model.remaining).toBe(0);
    expect(model.requests.map((r) => r.request.handoffs.map((h) => h.toolName))[0]).toEqual(['transfer_to_BillingAgent']);
  });

  it('leaves the conversation as it was when a turn is cancelled, at an approval or mid-call, or fails', async () => {
    const { refunds } = await chat(
      [
        () => [say('Hi.')],
        () => [call('transfer_to_BillingAgent', { reason: 'refund' })],
        () => [call('issue_refund', { invoiceId: 'INV-1', amount: 5 })],
        () => {
          throw new Error('the model is down');
        },
        (request) => (expect(userMessages(request)).toEqual(['hello', 'still there?']), [say('Yes.')]),
      ],
      async (conversation, turn) => {
        await turn('hello');
        const before = await conversation.session.getItems();
        // The approval question is cancelled (Ctrl-C): nothing of the turn stays, triage still answers.
        const cancelled = await turn('refund INV-1', [/* no answer: cancelled */]);
        expect(cancelled.outcome).toEqual({ status: 'aborted' });
        expect(cancelled.asked).toHaveLength(1);
        expect(await conversation.session.getItems()).toEqual(before);
        expect(conversation.active.id).toBe('triage');

        const failed = await turn('what about now');
        expect(failed.outcome).toMatchObject({ status: 'failed' });
        expect(await conversation.session.getItems()).toEqual(before);

        const next = await turn('still there?');
        expect(next.events).toEqual(['Triage Agent (triage): Yes.']);
      },
    );
    expect(refunds).toEqual([]);
  });

  it('cancels a turn whose model call hangs, without waiting for it', async () => {
    const hanging = { getModel: () => ({ getResponse: () => new Promise<never>(() => {}), getStreamedResponse: () => { throw new Error('not used'); } }) };
    const { agents } = desk();
    const topology = { name: 'desk', entryId: 'triage', agents, sdk: { Runner, Usage, MemorySession } };
    await withChatRuntime(topology, streamingProvider(hanging), {}, async (startRun) => {
      const conversation = new Conversation({ agents, entryId: 'triage', startRun, newSession: () => new MemorySession() });
      const controller = new AbortController();
      const sent = conversation.send('hello', { signal: controller.signal, onEvent: () => {}, decide: async () => true });
      setTimeout(() => controller.abort(), 20);
      expect(await sent).toEqual({ status: 'aborted' });
      expect(await conversation.session.getItems()).toEqual([]);
      // The model call ignores the signal: the chat stops waiting, and says so at the end.
      expect(conversation.runsStillRunning).toBe(1);
    });
  });
});

describe('parseChatInput', () => {
  it('tells messages from commands', () => {
    expect(parseChatInput('  ')).toEqual({ kind: 'empty' });
    expect(parseChatInput(' hi there ')).toEqual({ kind: 'message', text: 'hi there' });
    expect(parseChatInput('/RESET')).toEqual({ kind: 'command', name: 'reset' });
    expect(parseChatInput('/exit')).toEqual({ kind: 'command', name: 'quit' });
    expect(parseChatInput('/agents now')).toEqual({ kind: 'command', name: 'agents' });
    expect(parseChatInput('/nope')).toEqual({ kind: 'unknown-command', name: 'nope' });
    expect(parseChatInput('//etc/hosts is broken')).toEqual({ kind: 'message', text: '/etc/hosts is broken' });
  });

  it('escapes model text for the terminal', () => {
    const line = renderChatEvent({ type: 'reply', agent: { id: 'x', name: 'X\u001b]0;pwned\u0007' }, text: 'two\nlines \u001b[2J' });
    expect(line).toBe('X\\u001b]0;pwned\\u0007 (x): two\nlines \\u001b[2J\n');
  });
});

describe('src/chat', () => {
  it('is a library: it imports nothing from src/cli and only types from the SDK (its values come from the compiled topology)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { fromRoot } = await import('../helpers/paths.js');
    for (const name of readdirSync(fromRoot('src/chat'))) {
      const text = readFileSync(fromRoot('src/chat', name), 'utf8');
      expect(text, name).not.toMatch(/from\s+['"][./]*\/cli\//);
      expect(text, name).not.toMatch(/^import (?!type )[^;]*from '@openai\/agents/m);
    }
  });
});
