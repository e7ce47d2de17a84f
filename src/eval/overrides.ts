/**
 * `--model agent=model` and `--compare agent=model`: which model each agent runs on. Overrides are
 * applied by setting `agent.model` on the imported SDK agents (plain, mutable objects) for the
 * duration of one setting, and restored afterwards. Cloning would not work: handoffs point at the
 * original agent objects.
 */
import { didYouMean, listNames } from '../diagnostics/suggest.js';
import { DEFAULT_MODEL_LABEL } from './capture.js';
import type { AnyAgent } from './types.js';

export type ModelOverrides = Readonly<Record<string, string>>;

export class OverrideError extends Error {
  override readonly name = 'OverrideError';
}

/** Parse `agent=model`. */
export function parseAssignment(text: string, flag = '--model'): [agent: string, model: string] {
  const eq = text.indexOf('=');
  const agent = eq === -1 ? '' : text.slice(0, eq).trim();
  const model = eq === -1 ? '' : text.slice(eq + 1).trim();
  if (agent === '' || model === '') throw new OverrideError(`${flag} expects <agent>=<model>, e.g. triage=gpt-4.1-mini; got "${text}"`);
  return [agent, model];
}

/** Check every overridden agent id exists (did-you-mean otherwise). */
export function checkOverrides(overrides: ModelOverrides, agentIds: readonly string[], flag: string): void {
  for (const id of Object.keys(overrides)) {
    if (agentIds.includes(id)) continue;
    const suggestion = didYouMean(id, agentIds);
    throw new OverrideError(`${flag}: unknown agent \`${id}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''} (agents: ${listNames(agentIds)})`);
  }
}

/** Set the overrides on the agents; returns a function that restores the previous models. */
export function applyModels(agents: Readonly<Record<string, AnyAgent>>, overrides: ModelOverrides): () => void {
  const previous: [AnyAgent, AnyAgent['model']][] = [];
  for (const [id, model] of Object.entries(overrides)) {
    const agent = agents[id];
    if (!agent) continue;
    previous.push([agent, agent.model]);
    agent.model = model;
  }
  return () => {
    for (const [agent, model] of previous.reverse()) agent.model = model;
  };
}

/** The model each agent runs on, by id (`(default)` for the SDK default, `(custom)` for a Model object). */
export function effectiveModels(agents: Readonly<Record<string, AnyAgent>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, agent] of Object.entries(agents)) {
    out[id] = typeof agent.model === 'string' ? agent.model || DEFAULT_MODEL_LABEL : agent.model ? '(custom)' : DEFAULT_MODEL_LABEL;
  }
  return out;
}

/** A setting's label: its overrides as `agent=model` pairs, or `default`. */
export function settingLabel(overrides: ModelOverrides): string {
  const pairs = Object.entries(overrides).map(([agent, model]) => `${agent}=${model}`);
  return pairs.length > 0 ? pairs.join(',') : 'default';
}
