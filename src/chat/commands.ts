/** What one line typed at the chat prompt means: a message for the agents, or a slash command. */

export type ChatCommandName = 'reset' | 'agents' | 'quit' | 'help';

export type ChatInput =
  | { readonly kind: 'empty' }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'command'; readonly name: ChatCommandName }
  | { readonly kind: 'unknown-command'; readonly name: string };

export const CHAT_COMMANDS: readonly { readonly name: ChatCommandName; readonly summary: string }[] = [
  { name: 'agents', summary: 'list the agents and show who answers next' },
  { name: 'reset', summary: 'start a new session: forget the conversation, back to the entry agent' },
  { name: 'help', summary: 'show the commands and keys' },
  { name: 'quit', summary: 'leave the chat (also Ctrl-D, or Ctrl-C twice at an empty prompt)' },
];

const ALIASES: Readonly<Record<string, ChatCommandName>> = { exit: 'quit', q: 'quit', '?': 'help' };

export function parseChatInput(line: string): ChatInput {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  // `//text` sends a message that starts with a slash.
  if (text.startsWith('//')) return { kind: 'message', text: text.slice(1) };
  if (!text.startsWith('/')) return { kind: 'message', text };
  const name = text.slice(1).split(/\s/, 1)[0]!.toLowerCase();
  const known = CHAT_COMMANDS.find((c) => c.name === name)?.name ?? ALIASES[name];
  return known ? { kind: 'command', name: known } : { kind: 'unknown-command', name };
}
