import { defineRule } from './define.js';
import { handoffToolName, indexOf, sdkFunctionName } from '../model/queries.js';

export default defineRule({
  id: 'tool-name-collision',
  defaultSeverity: 'error',
  description: 'The tools an agent sees have unique names after the SDK\'s name normalisation.',
  docs: 'An agent sees its own tools, the MCP tools its servers\' `allowedTools` name (other MCP tool names are known only at connect time: `validate --connect` and the run itself check those), plus one `transfer_to_<name>` tool per outgoing handoff. The SDK replaces whitespace and every non-alphanumeric character with `_` (so `Billing Agent`, `Billing-Agent` and `Billing_Agent` all become `transfer_to_Billing_Agent`) and, on a clash, only warns and dispatches one of them. Rename an agent, a tool, or set `toolName` on the edge.',
  check({ topology, report }) {
    const { agents } = indexOf(topology);
    const servers = new Map(topology.mcpServers.map((s) => [s.id, s]));
    for (const agent of topology.agents) {
      const seen = new Map<string, { pointer: string; label: string }>();
      const visit = (name: string, pointer: string, label: string) => {
        const earlier = seen.get(name);
        if (!earlier) {
          seen.set(name, { pointer, label });
          return;
        }
        report({
          pointer,
          message: `agent \`${agent.id}\` would see two tools named \`${name}\`: ${earlier.label} and ${label}`,
          hint: 'rename one of them, or set `toolName` on the handoff edge',
          related: [{ pointer: earlier.pointer, message: `${earlier.label} is declared here` }],
        });
      };
      for (const tool of agent.tools) visit(sdkFunctionName(tool.value), tool.pointer, `tool \`${tool.value}\``);
      // MCP tools whose names are known without connecting: the allowedTools of the agent or the server.
      for (const use of agent.mcpServers) {
        const server = servers.get(use.server.value);
        if (!server || server.transport === 'hosted') continue;
        const blocked = new Set([...(server.blockedTools?.value ?? []), ...(use.blockedTools?.value ?? [])].map((n) => n.value));
        for (const name of (use.allowedTools ?? server.allowedTools)?.value ?? []) {
          if (!blocked.has(name.value)) visit(name.value, name.pointer, `tool \`${name.value}\` of MCP server \`${server.id}\``);
        }
      }
      const targets = new Set<string>();
      for (const edge of indexOf(topology).outgoing.get(agent.id) ?? []) {
        const target = agents.get(edge.to.value);
        // A second edge to the same agent is duplicate-edge's finding, not a second collision.
        const key = `${edge.kind}:${edge.to.value}`;
        if (!target || (targets.has(key) && !edge.toolName)) continue;
        targets.add(key);
        const name = handoffToolName(edge, target);
        visit(name, edge.toolName?.pointer ?? edge.to.pointer, `the handoff to \`${target.id}\``);
      }
    }
  },
});
