import { defineRule, notFound } from './define.js';
import type { McpServer, McpTransport } from '../model/types.js';

/** Which settings each transport takes (the rest are mistakes: they would be ignored). */
const APPLIES: Readonly<Record<string, readonly McpTransport[]>> = {
  command: ['stdio'],
  args: ['stdio'],
  cwd: ['stdio'],
  env: ['stdio'],
  url: ['streamable-http', 'hosted'],
  headers: ['streamable-http', 'hosted'],
  serverLabel: ['hosted'],
  requireApproval: ['hosted'],
  cacheToolsList: ['stdio', 'streamable-http'],
  timeoutSeconds: ['stdio', 'streamable-http'],
};

function written(server: McpServer, key: string): string | undefined {
  const located: Record<string, { pointer: string } | undefined> = {
    command: server.command,
    cwd: server.cwd,
    url: server.url,
    serverLabel: server.serverLabel,
    requireApproval: server.requireApproval,
  };
  if (key in located) return located[key]?.pointer;
  const present = (key === 'args' && server.args.length) || (key === 'env' && server.env.length) || (key === 'headers' && server.headers.length) || (key === 'cacheToolsList' && server.cacheToolsList) || (key === 'timeoutSeconds' && server.timeoutSeconds !== undefined);
  return present ? `${server.pointer}/${key}` : undefined;
}

export default defineRule({
  id: 'mcp-server-config',
  defaultSeverity: 'error',
  description: 'Each MCP server has the settings its transport needs, and agents and filters name servers and tools consistently.',
  docs: '`stdio` servers need `command`; `streamable-http` and `hosted` servers need `url`. Settings of another transport (say `headers` on a stdio server) would be ignored, so they are reported. Hosted servers take `blockedTools` only beside an `allowedTools` list (the API only accepts an allow list; blocked names are removed from it). A tool in both `allowedTools` and `blockedTools` of one filter, an agent listing a server that is not declared, or one server twice, is a mistake too. Tool names a filter lists are checked against the live server by the `--connect` option of validate.',
  check({ topology, report }) {
    const servers = new Map(topology.mcpServers.map((s) => [s.id, s]));
    for (const server of topology.mcpServers) {
      if (server.transport === 'stdio' && !server.command) report({ pointer: server.pointer, onKey: true, message: `stdio MCP server \`${server.id}\` has no \`command\`` , hint: 'add `command:` (and `args:`) to start it' });
      if (server.transport !== 'stdio' && !server.url) report({ pointer: server.pointer, onKey: true, message: `${server.transport} MCP server \`${server.id}\` has no \`url\``, hint: 'add `url: https://…`' });
      for (const [key, transports] of Object.entries(APPLIES)) {
        const pointer = written(server, key);
        if (pointer && !transports.includes(server.transport)) report({ pointer, onKey: true, message: `\`${key}\` does not apply to ${server.transport} MCP server \`${server.id}\`; it is used only by ${transports.join(' and ')} servers` });
      }
      if (server.transport === 'hosted' && server.blockedTools && !server.allowedTools) report({ pointer: server.blockedTools.pointer, onKey: true, message: `hosted MCP server \`${server.id}\` cannot block tools without an allow list: the API takes only \`allowed_tools\`, and blocked names are removed from \`allowedTools\`, which is not given`, hint: 'list the tools to offer in `allowedTools`' });
      checkFilter(server.allowedTools, server.blockedTools, `MCP server \`${server.id}\``, report);
    }
    for (const agent of topology.agents) {
      const seen = new Set<string>();
      for (const use of agent.mcpServers) {
        const server = servers.get(use.server.value);
        if (!server) {
          report({ pointer: use.server.pointer, ...notFound(use.server.value, [...servers.keys()], 'MCP server') });
          continue;
        }
        if (seen.has(server.id)) report({ pointer: use.server.pointer, message: `agent \`${agent.id}\` lists MCP server \`${server.id}\` twice` });
        seen.add(server.id);
        if (server.transport === 'hosted' && use.blockedTools && !use.allowedTools && !server.allowedTools) report({ pointer: use.blockedTools.pointer, onKey: true, message: `hosted MCP server \`${server.id}\` cannot block tools without an allow list: the API takes only \`allowed_tools\`, and blocked names are removed from \`allowedTools\`, which is not given`, hint: 'list the tools to offer in `allowedTools`' });
        checkFilter(use.allowedTools, use.blockedTools, `agent \`${agent.id}\`'s use of \`${server.id}\``, report);
      }
    }
  },
});

function checkFilter(
  allowed: McpServer['allowedTools'],
  blocked: McpServer['blockedTools'],
  owner: string,
  report: (finding: { pointer: string; message: string; hint?: string }) => void,
) {
  const allowedNames = new Set(allowed?.value.map((n) => n.value));
  for (const name of blocked?.value ?? []) {
    if (allowedNames.has(name.value)) report({ pointer: name.pointer, message: `${owner} both allows and blocks tool \`${name.value}\``, hint: 'keep it in one of the two lists' });
  }
}
