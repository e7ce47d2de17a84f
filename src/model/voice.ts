import { indexOf } from './queries.js';
import type { Agent, Edge, Runtime, Topology } from './types.js';

/**
 * Queries for the voice runtime. A topology runs as text unless its `runtime:` lists `voice`; an
 * agent runs where its own `runtime:` says, else where the topology does.
 */

export function topologyRuntimes(topology: Topology): readonly Runtime[] {
  return topology.runtime?.value.length ? topology.runtime.value : ['text'];
}

export function hasVoiceRuntime(topology: Topology): boolean {
  return topologyRuntimes(topology).includes('voice');
}

export function agentRuntimes(topology: Topology, agent: Agent): readonly Runtime[] {
  const own = agent.runtime?.value;
  const topologyLevel = topologyRuntimes(topology);
  // An agent cannot run where the topology does not.
  return own?.length ? own.filter((r) => topologyLevel.includes(r)) : topologyLevel;
}

/** Whether the agent becomes a RealtimeAgent in voice.ts. */
export function isVoiceAgent(topology: Topology, agent: Agent): boolean {
  return agentRuntimes(topology, agent).includes('voice');
}

/** The agents compiled into voice.ts, in authoring order. */
export function voiceAgents(topology: Topology): Agent[] {
  return hasVoiceRuntime(topology) ? topology.agents.filter((a) => isVoiceAgent(topology, a)) : [];
}

/** A handoff the voice session performs: both ends are voice agents. Delegations are tools, not handoffs. */
export function isVoiceHandoff(topology: Topology, edge: Edge): boolean {
  if (edge.kind !== 'handoff' || !hasVoiceRuntime(topology)) return false;
  const { agents } = indexOf(topology);
  const from = agents.get(edge.from.value);
  const to = agents.get(edge.to.value);
  return !!from && !!to && isVoiceAgent(topology, from) && isVoiceAgent(topology, to);
}

/**
 * The voice the session starts with: `voice.voice` (the SDK lets the session config win over any
 * agent's voice), else the entry agent's own, else the Realtime API's default.
 */
export function startingVoice(topology: Topology): { value: string; pointer: string; source: 'session' | 'entry' } | undefined {
  if (topology.voice?.voice) return { ...topology.voice.voice, source: 'session' };
  const entry = indexOf(topology).agents.get(topology.entry.value);
  return entry?.voice ? { ...entry.voice, source: 'entry' } : undefined;
}
