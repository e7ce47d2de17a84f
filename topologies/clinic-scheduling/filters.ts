/**
 * Custom handoff input filters for the clinic-scheduling topology.
 * Input filters run synchronously inside the SDK's handoff, so nothing here may be async.
 */
import type { AgentInputItem, HandoffInputData } from '@openai/agents';

export const PHONE_PLACEHOLDER = '[phone number removed]';

/**
 * Phone numbers as callers say or type them: optional +country code, optional (area code), then
 * groups separated by spaces, dots or dashes, 7 to 15 digits overall, e.g. "+1 (415) 555-0123",
 * "415.555.0123", "4155550123", "+44 20 7946 0958". Digits glued to letters (ids such as
 * PT-104233 or RHP123456789) and ISO dates (2026-11-20) do not match.
 */
const PHONE_NUMBER = /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-]?)?\d{3,4}[\s.-]?\d{3,4}(?![\w])/g;

function digitCount(text: string): number {
  let count = 0;
  for (const char of text) if (char >= '0' && char <= '9') count += 1;
  return count;
}

/** Replaces every phone number in `text`; returns the same string when there is none. */
export function redactPhoneNumbersInText(text: string): string {
  return text.replace(PHONE_NUMBER, (match) => {
    const digits = digitCount(match);
    return digits >= 7 && digits <= 15 ? PHONE_PLACEHOLDER : match;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text-bearing fields of message content parts: input_text/output_text, refusal, audio transcript. */
const TEXT_FIELDS = ['text', 'refusal', 'transcript'] as const;

function redactPart(part: unknown): unknown {
  if (typeof part === 'string') return redactPhoneNumbersInText(part);
  if (!isRecord(part)) return part;
  let changed: Record<string, unknown> | undefined;
  for (const field of TEXT_FIELDS) {
    const value = part[field];
    if (typeof value !== 'string') continue;
    const redacted = redactPhoneNumbersInText(value);
    if (redacted === value) continue;
    changed ??= { ...part };
    changed[field] = redacted;
  }
  return changed ?? part;
}

function redactContent(content: unknown): unknown {
  if (typeof content === 'string') return redactPhoneNumbersInText(content);
  if (!Array.isArray(content)) return content;
  let changed = false;
  const parts = content.map((part: unknown) => {
    const redacted = redactPart(part);
    if (redacted !== part) changed = true;
    return redacted;
  });
  return changed ? parts : content;
}

/** Redacts phone numbers in a message item's content; any other item (tool calls, reasoning...) is returned unchanged. */
function redactItem(item: AgentInputItem): AgentInputItem {
  const raw: unknown = item;
  if (!isRecord(raw) || !('content' in raw)) return item;
  const content = redactContent(raw.content);
  if (content === raw.content) return item;
  // Only the text inside `content` changed, so the item keeps its own shape.
  return { ...raw, content } as unknown as AgentInputItem;
}

/**
 * Removes phone numbers from the message text in the conversation history the handoff target sees
 * (the caller's turns live in `inputHistory`). Items that are not messages, and the run items of the
 * current turn, are passed through untouched. Never mutates its input.
 */
export function redactPhoneNumbers(data: HandoffInputData): HandoffInputData {
  const history = data.inputHistory;
  if (typeof history === 'string') {
    return { ...data, inputHistory: redactPhoneNumbersInText(history) };
  }
  if (!Array.isArray(history)) return data;
  return { ...data, inputHistory: history.map(redactItem) };
}
