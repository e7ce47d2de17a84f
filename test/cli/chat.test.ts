import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerChat } from '../../src/cli/commands/chat.js';
import { UsageError, type CliIo } from '../../src/cli/io.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

// `switchboard chat` in-process with lines piped on stdin (how scripts use it); the terminal itself
// is tested under a real pty in chat-pty.test.ts.

const TOPOLOGY = 'topologies/support-desk.yaml';
const PROVIDER = 'test/fixtures/chat/scripted-desk.ts#provider';
const CASSETTE = 'docs/examples/support-desk.chat.cassette.json';
const TURNS = readFileSync(fromRoot('docs/examples/support-desk.chat.txt'), 'utf8');

async function chat(argv: string[], lines: string, topology = TOPOLOGY) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: repoRoot, env: {}, isTTY: false };
  let code = 0;
  const program = new Command('switchboard').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerChat(program, io, (c) => (code = c), { input: Readable.from([lines]), inputIsTTY: false });
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync(['chat', topology, ...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof UsageError) {
      stderr += `switchboard: ${error.message}\n`;
      code = 2;
    } else throw error;
  }
  return { code, stdout, stderr };
}

describe('switchboard chat, piped', () => {
  it('reads turns from stdin, echoes them, and replays the docs cassette offline into the same transcript', async () => {
    const live = await chat(['--provider', PROVIDER], TURNS);
    expect(live.code).toBe(0);
    expect(live.stdout.split('\n').slice(0, 4)).toEqual([
      'Chatting with Triage Agent. /help for commands, /quit to leave.',
      '[Triage Agent] > I was charged twice on INV-1042',
      '→ handoff Triage Agent (triage) → BillingAgent (billing): Billing question: I was charged twice on INV-1042',
      '⚙ lookup_invoice by BillingAgent {"invoiceId":"INV-1042"}',
    ]);
    expect(live.stdout).toContain('  approve? [y/n] y\n  ✓ approved: issue_refund\n');
    expect(live.stdout).toContain('→ handoff BillingAgent (billing) → Triage Agent (triage)\nTriage Agent (triage): Welcome back.');
    expect(live.stdout).toMatch(/\[Triage Agent\] > \n$/);
    expect(live.stderr).toBe('7 model calls, 700 input + 70 output tokens\n');

    const replayed = await chat(['--replay', CASSETTE], TURNS);
    expect(replayed).toEqual(live);
  });

  it('fails a turn it has no recording for with exit 1 and no stack trace, and keeps going', async () => {
    const r = await chat(['--replay', CASSETTE], 'something never recorded\n/agents\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^switchboard: the turn failed: .*request not in cassette docs\/examples\/support-desk\.chat\.cassette\.json/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toContain('The conversation is as it was before that turn.\n[Triage Agent] > /agents\n* triage ');
  });

  it('rejects bad usage with exit 2', async () => {
    expect(await chat(['--replay', CASSETTE, '--provider', PROVIDER], '')).toMatchObject({ code: 2, stderr: 'switchboard: --replay serves every response from the cassette; drop --provider\n' });
    expect(await chat([], '')).toMatchObject({ code: 2, stderr: expect.stringContaining('no model provider') });
    expect(await chat(['--model', 'nobody=gpt-4o', '--provider', PROVIDER], '')).toMatchObject({ code: 2 });
  });

  it("opens the topology's MCP servers once for the chat: a billing tool served over MCP answers, and the filter hides the server's other tools", async () => {
    const r = await chat(['--provider', 'test/fixtures/chat/scripted-mcp-desk.ts#provider'], 'INV-1042 was charged 900 USD, I dispute it\n/quit\n', 'topologies/support-desk-mcp.yaml');
    expect(r.stderr).not.toMatch(/cannot start|failed/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('⚙ escalate_to_human by BillingAgent {"reason":"Disputed charge above the refund limit"');
    // The helpdesk server's answer reached the model; billing saw escalate_to_human but not the server's other tools.
    expect(r.stdout).toMatch(/BillingAgent \(billing\): A human will call back\. Helpdesk said: .+ \(my tools: change_plan, escalate_to_human, issue_refund, lookup_invoice\)/);
  });

  it('says so and exits 1 when an MCP server cannot be connected, before any turn runs', async () => {
    const r = await chat(['--provider', 'test/fixtures/chat/scripted-mcp-desk.ts#provider'], 'hello\n', 'test/fixtures/mcp/unreachable-stdio.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^switchboard: cannot start the chat: cannot connect MCP server "ghost": /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
