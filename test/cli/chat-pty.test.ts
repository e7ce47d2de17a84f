/**
 * `switchboard chat` under a real pseudo-terminal: the built CLI, the support desk compiled and run
 * offline with a scripted provider, driven by keystrokes (Enter, y, Ctrl-C, Ctrl-D) as a person types
 * them. Every wait is bounded; the terminal is killed after each test.
 */
import { spawn, type IPty } from '@lydell/node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const PROVIDER = 'test/fixtures/chat/scripted-desk.ts#provider';
const WAIT_MS = 30_000;

interface Terminal {
  readonly pty: IPty;
  /** Everything shown so far, with cursor and colour escapes removed. */
  screen(): string;
  /** Wait until `text` appears after what earlier waits consumed; returns the output up to it. */
  waitFor(text: string): Promise<string>;
  readonly exited: Promise<number>;
}

let running: IPty | undefined;

afterEach(() => {
  try {
    running?.kill();
  } catch {
    // Already gone.
  }
  running = undefined;
});

function start(args: string[]): Terminal {
  const pty = spawn(process.execPath, ['bin/switchboard.js', ...args], {
    cwd: repoRoot,
    cols: 200,
    rows: 50,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', OPENAI_API_KEY: '', TERM: 'xterm' } as Record<string, string>,
  });
  running = pty;
  let raw = '';
  let consumed = 0;
  const listeners = new Set<() => void>();
  pty.onData((data) => {
    raw += data;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
  const screen = () => raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  const waitFor = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const shown = screen();
        const at = shown.indexOf(text, consumed);
        if (at === -1) return;
        const upTo = shown.slice(consumed, at + text.length);
        consumed = at + text.length;
        done();
        resolve(upTo);
      };
      const timer = setTimeout(() => (done(), reject(new Error(`timed out waiting for ${JSON.stringify(text)}; the screen shows:\n${screen().slice(consumed)}`))), WAIT_MS);
      const done = () => (clearTimeout(timer), listeners.delete(check));
      listeners.add(check);
      check();
    });
  return { pty, screen, waitFor, exited };
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_r, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), WAIT_MS))]);
}

describe('switchboard chat in a terminal', () => {
  it('holds a multi-turn offline conversation: handoff, tool call, approval, Ctrl-C mid-turn, /agents, hand-back, Ctrl-C twice to leave', async () => {
    const t = start(['chat', 'topologies/support-desk.yaml', '--provider', PROVIDER]);
    await t.waitFor('[Triage Agent] > ');

    t.pty.write('I was charged twice on INV-1042\r');
    const first = await t.waitFor('[BillingAgent] > ');
    expect(first).toContain('→ handoff Triage Agent (triage) → BillingAgent (billing): Billing question: I was charged twice on INV-1042\n');
    expect(first).toContain('⚙ lookup_invoice by BillingAgent {"invoiceId":"INV-1042"}\n');
    expect(first).toContain('BillingAgent (billing): I found INV-1042: 249.00 USD, paid. Shall I refund the overage of 49.00 USD?\n');

    t.pty.write('yes please refund it\r');
    const question = await t.waitFor('approve? [y/n] ');
    expect(question).toContain('? issue_refund by BillingAgent needs approval: {"invoiceId":"INV-1042","amount":49,"currency":"USD","reason":"Charged twice for call minutes"}');
    t.pty.write('y\r');
    const refunded = await t.waitFor('[BillingAgent] > ');
    expect(refunded).toContain('  ✓ approved: issue_refund\n');
    expect(refunded).toContain('BillingAgent (billing): Done: Refund RF-1042-4900 of 49.00 USD on invoice INV-1042 submitted.');

    // Ctrl-C while the model is working cancels the turn and returns to the same agent's prompt.
    t.pty.write('hold on a moment\r');
    await t.waitFor('(scripted model: waiting until the turn is cancelled)');
    t.pty.write('\x03');
    const cancelled = await t.waitFor('[BillingAgent] > ');
    expect(cancelled).toContain('^C: turn cancelled; the conversation is as it was before it.\n');

    t.pty.write('/agents\r');
    const agents = await t.waitFor('[BillingAgent] > ');
    expect(agents).toContain('  triage   Triage Agent  (entry)\n* billing  BillingAgent  (answers next)\n  tech     TechSupportAgent\n  sales    SalesAgent\n');

    // Hand-back: billing returns the caller to triage, who answers from the history.
    t.pty.write("thanks, that's all\r");
    const back = await t.waitFor('[Triage Agent] > ');
    expect(back).toContain('→ handoff BillingAgent (billing) → Triage Agent (triage)\n');
    expect(back).toContain('Triage Agent (triage): Welcome back. Is there anything else I can help with?\n');

    // At an empty prompt: the first Ctrl-C explains, the second leaves.
    t.pty.write('\x03');
    await t.waitFor('(To leave, press Ctrl-C again or Ctrl-D, or type /quit.)');
    t.pty.write('\x03');
    expect(await within(t.exited, 'the chat to exit after a second Ctrl-C')).toBe(0);
    expect(t.screen()).toMatch(/\d+ model calls, \d+ input \+ \d+ output tokens/);
    expect(t.screen()).not.toMatch(/\n\s+at /);
  });

  it('drops a half-typed line on Ctrl-C, shows /help, resets with /reset and leaves with /quit (and Ctrl-D)', async () => {
    const t = start(['chat', 'topologies/support-desk.yaml', '--provider', PROVIDER]);
    await t.waitFor('[Triage Agent] > ');
    t.pty.write('half a thou');
    await t.waitFor('half a thou');
    t.pty.write('\x03');
    await t.waitFor('^C\n[Triage Agent] > ');
    t.pty.write('/help\r');
    const help = await t.waitFor('[Triage Agent] > ');
    expect(help).toContain('  /reset   start a new session');
    expect(help).toContain('Keys: Ctrl-C cancels a running turn');
    t.pty.write('about invoice INV-1042\r');
    await t.waitFor('[BillingAgent] > ');
    t.pty.write('/reset\r');
    const reset = await t.waitFor('[Triage Agent] > ');
    expect(reset).toContain('New session: the history is cleared and Triage Agent answers next.');
    t.pty.write('/quit\r');
    expect(await within(t.exited, 'the chat to exit on /quit')).toBe(0);

    const d = start(['chat', 'topologies/support-desk.yaml', '--provider', PROVIDER]);
    await d.waitFor('[Triage Agent] > ');
    d.pty.write('\x04');
    expect(await within(d.exited, 'the chat to exit on Ctrl-D')).toBe(0);
  });
});
