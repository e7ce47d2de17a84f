/**
 * How the chat shows itself: each event as terminal lines. Every model, tool and user string goes
 * through the terminal escaper, so a reply cannot move the cursor, retitle the window or clear the screen.
 */
import { terminalLine, terminalText } from '../diagnostics/terminal-text.js';
import { CHAT_COMMANDS } from './commands.js';
import type { AgentListing, AgentRef, ApprovalRequest, ChatEvent } from './conversation.js';

export interface ChatStyle {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

export const PLAIN_STYLE: ChatStyle = { bold: (s) => s, dim: (s) => s };

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const ANSI_STYLE: ChatStyle = { bold: ansi(1, 22), dim: ansi(2, 22) };

/** Tool arguments and results are shown on one line, shortened. */
const CLIP = 300;

export function agentLabel(agent: AgentRef, style: ChatStyle): string {
  return `${terminalLine(agent.name)}${agent.id !== agent.name ? style.dim(` (${terminalLine(agent.id)})`) : ''}`;
}

/** The lines (each ending in a line feed) that show one event. */
export function renderChatEvent(event: ChatEvent, style: ChatStyle = PLAIN_STYLE): string {
  const { bold, dim } = style;
  switch (event.type) {
    case 'handoff':
      return `→ ${bold('handoff')} ${agentLabel(event.from, style)} → ${agentLabel(event.to, style)}${event.reason ? `: ${terminalLine(event.reason)}` : ''}\n`;
    case 'tool_call':
      return `⚙ ${bold(terminalLine(event.tool))} ${dim(`by ${terminalLine(event.agent.name)}`)} ${terminalLine(clip(event.arguments))}\n`;
    case 'tool_result':
      return `  ${dim('↳')} ${terminalLine(clip(event.output))}\n`;
    case 'approval':
      return `  ${event.approved ? '✓ approved' : '✗ rejected'}: ${terminalLine(event.tool)}\n`;
    case 'reply':
      return `${bold(agentLabel(event.agent, style))}: ${terminalText(event.text)}\n`;
  }
}

/** The y/n question for a tool call that needs approval. */
export function approvalQuestion(request: ApprovalRequest, style: ChatStyle = PLAIN_STYLE): string {
  return `? ${style.bold(terminalLine(request.tool))} by ${terminalLine(request.agent.name)} needs approval: ${terminalLine(clip(request.arguments))}\n  approve? [y/n] `;
}

/** What an answer to the approval question means: true, false, or undefined to ask again. */
export function parseApproval(answer: string): boolean | undefined {
  const a = answer.trim().toLowerCase();
  if (a === 'y' || a === 'yes') return true;
  if (a === 'n' || a === 'no') return false;
  return undefined;
}

/** The prompt: who answers the next message. */
export function chatPrompt(active: AgentRef, style: ChatStyle = PLAIN_STYLE): string {
  return `${style.dim(`[${terminalLine(active.name)}]`)} > `;
}

export function renderAgents(listing: readonly AgentListing[], style: ChatStyle = PLAIN_STYLE): string {
  const width = Math.max(...listing.map((l) => terminalLine(l.agent.id).length));
  return listing
    .map((l) => {
      const marks = [l.entry ? 'entry' : '', l.active ? 'answers next' : ''].filter(Boolean).join(', ');
      return `${l.active ? '*' : ' '} ${terminalLine(l.agent.id).padEnd(width)}  ${terminalLine(l.agent.name)}${marks ? style.dim(`  (${marks})`) : ''}\n`;
    })
    .join('');
}

export function renderHelp(): string {
  const width = Math.max(...CHAT_COMMANDS.map((c) => c.name.length)) + 1;
  return [
    'Type a message for the agents, or a command:',
    ...CHAT_COMMANDS.map((c) => `  /${c.name.padEnd(width)} ${c.summary}`),
    'Keys: Ctrl-C cancels a running turn; at an empty prompt, press it twice (or Ctrl-D) to leave.',
    'Approvals: answer y or n. Start a message with // to send one that begins with /.',
    '',
  ].join('\n');
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > CLIP ? `${flat.slice(0, CLIP - 1)}…` : flat;
}
