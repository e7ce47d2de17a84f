import { defineRule } from './define.js';
import { handoffToolName, indexOf } from '../model/queries.js';
import { listNames } from '../diagnostics/suggest.js';
import type { Agent, CodeRef, Topology } from '../model/types.js';

/** The SDK behaviour this rule encodes (agents-core runner/turnPreparation, runner/guardrails, runner/modelSettings). */
export const GUARDRAIL_SDK = {
  range: '>=0.20.0 <0.21.0',
  behaviour:
    'input guardrails run for the agent a run starts with (and on input added to a resumed run); output guardrails for the agent that produces the final output; a forced tool choice is reset only after the agent has used a tool in the run',
} as const;

export default defineRule({
  id: 'guardrail-placement',
  defaultSeverity: 'warning',
  description: 'Every guardrail sits on an agent where the SDK runs it: input guardrails on an agent a run starts with, output guardrails on an agent that can finish a run.',
  docs:
    'The SDK runs an agent\'s input guardrails only when a run starts with that agent, and its output guardrails only when that agent produces the run\'s final output. Runs start at the entry agent (the generated run helper, `switchboard run` and `switchboard eval` all start there, every turn), and at each target of a `delegate` edge, which runs as a tool in a run of its own. So an input guardrail on a specialist reached by handoff never runs: the caller\'s input was already checked, or not, by the entry\'s guardrails. (An agent with a `needsApproval` tool is not reported: when a paused run is resumed with added input, the agent that paused runs its input guardrails on it.) An output guardrail never runs on an agent that cannot finish: one whose `toolChoice` forces a tool call on every turn (`required`, or one of its handoff tools) while its only tools are handoffs, and that no handoff leads back to within the run (the SDK resets a forced tool choice only after the agent has used a tool). Move input guardrails to the entry agent, output guardrails to the agents that answer, or configure them on the `Runner` to apply to every run. Encodes @openai/agents >=0.20.0 <0.21.0 (`runInputGuardrailsForTurn`, `runOutputGuardrails`, `maybeResetToolChoice`).',
  sdk: GUARDRAIL_SDK,
  check({ topology, report }) {
    const agents = indexOf(topology).agents;
    const entry = agents.get(topology.entry.value);
    for (const agent of topology.agents) {
      if (!startsRuns(topology, agent)) {
        for (const guardrail of agent.inputGuardrails) {
          report({
            pointer: guardrail.pointer,
            message: `input guardrail \`${refText(guardrail)}\` on \`${agent.id}\` never runs: the SDK runs input guardrails only for the agent a run starts with`,
            hint: entry && entry.id !== agent.id ? `runs start at the entry agent \`${entry.id}\`: move the guardrail to its \`inputGuardrails\`` : 'move the guardrail to the entry agent',
          });
        }
      }
      const forced = forcedHandoff(topology, agent);
      if (forced) {
        for (const guardrail of agent.outputGuardrails) {
          report({
            pointer: guardrail.pointer,
            message: `output guardrail \`${refText(guardrail)}\` on \`${agent.id}\` never runs: \`${agent.id}\` always hands off (${forced}), so it never produces a run's final output`,
            hint: 'put output guardrails on the agents that answer',
          });
        }
      }
    }
  },
});

function refText(ref: CodeRef): string {
  return `${ref.path}#${ref.exportName}`;
}

/**
 * Whether a run can start with this agent, or it can be handed input that its guardrails check: the
 * entry; a delegate target (asTool runs it in a nested run); an agent that can pause for approval.
 */
export function startsRuns(topology: Topology, agent: Agent): boolean {
  if (agent.id === topology.entry.value) return true;
  if (topology.edges.some((e) => e.kind === 'delegate' && e.to.value === agent.id)) return true;
  const tools = indexOf(topology).tools;
  return agent.tools.some((t) => tools.get(t.value)?.needsApproval === true);
}

/**
 * Why an agent can never finish a run, or undefined when it can: every model call must call a tool, that
 * tool can only be a handoff, and nothing hands back to it within the run (after which the SDK would
 * reset the forced tool choice).
 */
function forcedHandoff(topology: Topology, agent: Agent): string | undefined {
  const toolChoice = agent.modelSettings.toolChoice;
  if (typeof toolChoice !== 'string' || toolChoice === 'auto' || toolChoice === 'none') return undefined;
  const { agents, outgoing } = indexOf(topology);
  const edges = outgoing.get(agent.id) ?? [];
  const handoffs = edges.filter((e) => e.kind === 'handoff');
  if (handoffs.length === 0) return undefined;
  const handoffNames = handoffs.map((e) => handoffToolName(e, agents.get(e.to.value)));
  let reason: string;
  if (toolChoice === 'required') {
    const otherTools = agent.tools.length + edges.filter((e) => e.kind === 'delegate').length;
    if (otherTools > 0) return undefined;
    reason = `\`toolChoice: required\` and its only tools are the handoffs ${listNames(handoffNames)}`;
  } else if (handoffNames.includes(toolChoice)) {
    reason = `\`toolChoice: ${toolChoice}\` forces that handoff`;
  } else {
    return undefined;
  }
  return reenterable(topology, agent.id) ? undefined : reason;
}

/** Whether a handoff path leads from one of the agent's handoff targets back to it (so it can be current again in the same run). */
function reenterable(topology: Topology, id: string): boolean {
  const { outgoing } = indexOf(topology);
  const seen = new Set<string>();
  const queue = (outgoing.get(id) ?? []).filter((e) => e.kind === 'handoff').map((e) => e.to.value);
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (next === id) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const edge of outgoing.get(next) ?? []) if (edge.kind === 'handoff') queue.push(edge.to.value);
  }
  return false;
}
