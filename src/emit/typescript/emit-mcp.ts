import { docComment, jsonDoc, lit, propertyKey } from '../code.js';
import { camelCase } from '../../model/naming.js';
import type { Agent, HostedTool, Located, McpServer, SecretValue, Topology } from '../../model/types.js';
import { array, call, object, render, str, type Doc } from './layout.js';

/**
 * MCP servers and hosted tools in agents.ts: one SDK server object per local (`stdio`,
 * `streamable-http`) server, shared by every agent that lists it; hosted servers and hosted tools
 * become tool objects on each agent. Secrets are read from the environment when the module loads and
 * never appear in the generated code.
 */

export const mcpServerIdentifier = (id: string) => `${camelCase(id)}McpServer`;
const agentFiltersIdentifier = (id: string) => `${camelCase(id)}AgentToolFilters`;

export function localMcpServers(topology: Topology): McpServer[] {
  return topology.mcpServers.filter((s) => s.transport !== 'hosted');
}

/** Servers with per-agent filters get a callable filter that looks the agent up in a map filled after the agents exist. */
function hasAgentFilters(topology: Topology, server: McpServer): boolean {
  return topology.agents.some((a) => a.mcpServers.some((u) => u.server.value === server.id && (u.allowedTools || u.blockedTools)));
}

/** The SDK names agents.ts imports for MCP servers and hosted tools. */
export function mcpSdkImports(topology: Topology): { values: string[]; types: string[] } {
  const local = localMcpServers(topology);
  const hosted = new Set(topology.agents.flatMap((a) => a.hostedTools.map((t) => t.type)));
  const filtered = local.filter((s) => s.allowedTools || s.blockedTools || hasAgentFilters(topology, s));
  const callable = local.some((s) => hasAgentFilters(topology, s));
  const values = [
    ...(local.some((s) => s.transport === 'stdio') ? ['MCPServerStdio'] : []),
    ...(local.some((s) => s.transport === 'streamable-http') ? ['MCPServerStreamableHttp'] : []),
    ...(filtered.length && !callable ? ['createMCPToolStaticFilter'] : []),
    ...(topology.mcpServers.some((s) => s.transport === 'hosted') ? ['hostedMcpTool'] : []),
    ...(hosted.has('web_search') ? ['webSearchTool'] : []),
    ...(hosted.has('file_search') ? ['fileSearchTool'] : []),
    ...(hosted.has('code_interpreter') ? ['codeInterpreterTool'] : []),
    ...(hosted.has('image_generation') ? ['imageGenerationTool'] : []),
  ];
  const types = topology.mcpServers.length ? ['MCPServer', ...(callable ? ['MCPToolFilterCallable'] : [])] : [];
  return { values, types };
}

const SECRET_HELPER = [
  'const missingEnvironment = new Set<string>();',
  '',
  docComment('The value of an environment variable named in the YAML, read when this module loads; `openMcpServers` fails while any is unset.'),
  'function fromEnv(name: string, prefix = ""): string {',
  '  const value = process.env[name];',
  '  if (value === undefined || value === "") {',
  '    missingEnvironment.add(name);',
  '    return "";',
  '  }',
  '  return prefix + value;',
  '}',
  '',
];

const FILTER_HELPER = [
  'type McpToolNames = { readonly allowed?: readonly string[]; readonly blocked?: readonly string[] };',
  '',
  docComment("A server's own tool filter, then the filter of the agent asking (set after the agents exist)."),
  'function mcpToolFilter(',
  '  server: McpToolNames,',
  '  perAgent: ReadonlyMap<object, McpToolNames>,',
  '): MCPToolFilterCallable {',
  '  return async ({ agent }, tool) =>',
  '    [server, perAgent.get(agent) ?? {}].every(',
  '      (f) => (!f.allowed || f.allowed.includes(tool.name)) && !f.blocked?.includes(tool.name),',
  '    );',
  '}',
  '',
];

function secretDoc(value: SecretValue): Doc {
  if (value.kind === 'literal') return str(lit(value.value));
  return value.prefix ? call('fromEnv', [str(lit(value.name)), str(lit(value.prefix))]) : call('fromEnv', [str(lit(value.name))]);
}

function secretsDoc(values: readonly (readonly [string, SecretValue])[]): Doc {
  return object(values.map(([key, value]) => [propertyKey(key), secretDoc(value)] as const));
}

const namesDoc = (names: Located<readonly Located<string>[]> | undefined): Doc => array((names?.value ?? []).map((n) => str(lit(n.value))));

/** Declarations placed before the agents: helpers and one constant per local server. */
export function emitMcpServers(topology: Topology, topologyDir: string): string[] {
  if (topology.mcpServers.length === 0) return [];
  const local = localMcpServers(topology);
  const usesSecrets = topology.mcpServers.some((s) => [...s.env, ...s.headers].some(([, v]) => v.kind === 'env'));
  const out: string[] = usesSecrets ? [...SECRET_HELPER] : [];
  if (local.some((s) => hasAgentFilters(topology, s))) out.push(...FILTER_HELPER);
  for (const server of local) {
    const agentFilters = hasAgentFilters(topology, server);
    if (agentFilters) out.push(`const ${agentFiltersIdentifier(server.id)} = new Map<object, McpToolNames>();`, '');
    const serverNames: [string, Doc][] = [
      ...(server.allowedTools ? [['allowed', namesDoc(server.allowedTools)] as [string, Doc]] : []),
      ...(server.blockedTools ? [['blocked', namesDoc(server.blockedTools)] as [string, Doc]] : []),
    ];
    const filter: Doc | undefined = agentFilters
      ? call('mcpToolFilter', [object(serverNames), agentFiltersIdentifier(server.id)])
      : serverNames.length
        ? call('createMCPToolStaticFilter', [object(serverNames)])
        : undefined;
    const transport: [string, Doc][] =
      server.transport === 'stdio'
        ? [
            ['command', str(lit(server.command?.value ?? ''))],
            ...(server.args.length ? [['args', array(server.args.map((a) => str(lit(a))))] as [string, Doc]] : []),
            // Relative to the YAML file, wherever the process runs from.
            ['cwd', `fileURLToPath(new URL(${lit(joinUrl(topologyDir, server.cwd?.value ?? '.'))}, import.meta.url))`],
            ...(server.env.length ? [['env', secretsDoc(server.env)] as [string, Doc]] : []),
          ]
        : [
            ['url', str(lit(server.url?.value ?? ''))],
            ...(server.headers.length ? [['requestInit', object([['headers', secretsDoc(server.headers)]])] as [string, Doc]] : []),
          ];
    const config: [string, Doc][] = [
      ['name', str(lit(server.id))],
      ...transport,
      ...(server.cacheToolsList ? [['cacheToolsList', 'true'] as [string, Doc]] : []),
      ...(server.timeoutSeconds !== undefined ? [['clientSessionTimeoutSeconds', String(server.timeoutSeconds)] as [string, Doc]] : []),
      ...(filter ? [['toolFilter', filter] as [string, Doc]] : []),
    ];
    const cls = server.transport === 'stdio' ? 'MCPServerStdio' : 'MCPServerStreamableHttp';
    out.push(
      docComment(server.description ?? `MCP server \`${server.id}\` (${server.transport}).`),
      render(object(config, true), 0, `export const ${mcpServerIdentifier(server.id)} = new ${cls}(`, ');'),
      '',
    );
  }
  return out;
}

/** `a/b` + `c` as a relative URL that resolves against import.meta.url (always ends in `/` for a folder). */
function joinUrl(dir: string, path: string): string {
  const joined = [dir, path].filter((p) => p && p !== '.').join('/');
  return `${joined.startsWith('.') ? joined : `./${joined}`}/`.replace(/\/+$/, '/');
}

/** The agent's `mcpServers` option (local servers only). */
export function agentMcpServers(topology: Topology, agent: Agent): Doc | undefined {
  const local = new Set(localMcpServers(topology).map((s) => s.id));
  const used = agent.mcpServers.filter((u) => local.has(u.server.value));
  return used.length ? array(used.map((u) => mcpServerIdentifier(u.server.value))) : undefined;
}

/** Hosted MCP servers and hosted tools on an agent, as tool expressions. */
export function agentHostedTools(topology: Topology, agent: Agent): Doc[] {
  const servers = new Map(topology.mcpServers.map((s) => [s.id, s]));
  const hostedServers = agent.mcpServers.flatMap((use) => {
    const server = servers.get(use.server.value);
    if (server?.transport !== 'hosted') return [];
    const serverAllowed = server.allowedTools?.value.map((n) => n.value);
    const agentAllowed = use.allowedTools?.value.map((n) => n.value);
    const blocked = new Set([...(server.blockedTools?.value ?? []), ...(use.blockedTools?.value ?? [])].map((n) => n.value));
    const allowed = (serverAllowed && agentAllowed ? serverAllowed.filter((n) => agentAllowed.includes(n)) : (agentAllowed ?? serverAllowed))?.filter((n) => !blocked.has(n));
    const approval = server.requireApproval?.policy;
    const options: [string, Doc][] = [
      ['serverLabel', str(lit(server.serverLabel?.value ?? server.id))],
      ['serverUrl', str(lit(server.url?.value ?? ''))],
      ...(server.description ? [['serverDescription', str(lit(server.description))] as [string, Doc]] : []),
      ...(server.headers.length ? [['headers', secretsDoc(server.headers)] as [string, Doc]] : []),
      ...(allowed ? [['allowedTools', array(allowed.map((n) => str(lit(n))))] as [string, Doc]] : []),
      ...(approval === undefined
        ? []
        : typeof approval === 'string'
          ? [['requireApproval', str(lit(approval))] as [string, Doc]]
          : [
              [
                'requireApproval',
                object(
                  (['always', 'never'] as const).flatMap((k) => (approval[k] ? [[k, object([['toolNames', array(approval[k]!.map((n) => str(lit(n.value))))]])] as [string, Doc]] : [])),
                ),
              ] as [string, Doc],
            ]),
    ];
    return [call('hostedMcpTool', [object(options, true)])];
  });
  return [...hostedServers, ...agent.hostedTools.map(hostedToolDoc)];
}

function hostedToolDoc(tool: HostedTool): Doc {
  const o = tool.options;
  const pick = (keys: readonly string[]) => keys.filter((k) => o[k] !== undefined).map((k) => [k, jsonDoc(o[k])] as [string, Doc]);
  switch (tool.type) {
    case 'web_search': {
      const entries: [string, Doc][] = [
        ...pick(['searchContextSize', 'externalWebAccess']),
        ...(o.userLocation ? [['userLocation', jsonDoc({ type: 'approximate', ...(o.userLocation as object) })] as [string, Doc]] : []),
        ...(o.allowedDomains ? [['filters', object([['allowedDomains', jsonDoc(o.allowedDomains)]])] as [string, Doc]] : []),
      ];
      return call('webSearchTool', entries.length ? [object(entries)] : []);
    }
    case 'file_search': {
      const entries = pick(['maxNumResults', 'includeSearchResults']);
      return call('fileSearchTool', [jsonDoc(o.vectorStoreIds ?? []), ...(entries.length ? [object(entries)] : [])]);
    }
    case 'code_interpreter': {
      const entries = pick(['container']);
      return call('codeInterpreterTool', entries.length ? [object(entries)] : []);
    }
    case 'image_generation': {
      const entries = pick(['model', 'quality', 'size', 'background', 'outputFormat', 'outputCompression', 'moderation', 'partialImages']);
      return call('imageGenerationTool', entries.length ? [object(entries)] : []);
    }
  }
}

/** After the agents: per-agent filters, the server table and the connect step the run helper uses. */
export function emitMcpLifecycle(topology: Topology, agentIdentifier: (id: string) => string): string[] {
  if (topology.mcpServers.length === 0) return [];
  const local = localMcpServers(topology);
  const usesSecrets = topology.mcpServers.some((s) => [...s.env, ...s.headers].some(([, v]) => v.kind === 'env'));
  const out: string[] = [''];
  for (const server of local.filter((s) => hasAgentFilters(topology, s))) {
    for (const agent of topology.agents) {
      for (const use of agent.mcpServers.filter((u) => u.server.value === server.id && (u.allowedTools || u.blockedTools))) {
        const names: [string, Doc][] = [
          ...(use.allowedTools ? [['allowed', namesDoc(use.allowedTools)] as [string, Doc]] : []),
          ...(use.blockedTools ? [['blocked', namesDoc(use.blockedTools)] as [string, Doc]] : []),
        ];
        out.push(render(call(`${agentFiltersIdentifier(server.id)}.set`, [agentIdentifier(agent.id), object(names)]), 0, '', ';'));
      }
    }
  }
  out.push(
    '',
    docComment('The MCP servers a run connects to, keyed by their id in the YAML (hosted servers are called by the API itself).'),
    render(object(local.map((s) => [propertyKey(s.id), mcpServerIdentifier(s.id)] as const), local.length > 0), 0, 'export const mcpServers: Readonly<Record<string, MCPServer>> = ', ';'),
    '',
    docComment('Open MCP servers: close them when the conversation ends (the run helper does it after each run unless you pass one in).'),
    'export interface McpConnection {',
    '  readonly servers: readonly MCPServer[];',
    '  close(): Promise<void>;',
    '}',
    '',
    docComment(
      'Connect every local MCP server, in declaration order. On a failure, the servers already connected are closed and the error names the server. The servers are shared module objects: open them once for concurrent runs.',
    ),
    'export async function openMcpServers(): Promise<McpConnection> {',
    ...(usesSecrets
      ? [
          '  if (missingEnvironment.size > 0) {',
          '    throw new Error(',
          '      `MCP servers need environment variables that are not set: ${[...missingEnvironment].join(", ")}`,',
          '    );',
          '  }',
        ]
      : []),
    '  const connected: MCPServer[] = [];',
    '  const close = async () => {',
    '    for (const server of connected.splice(0).reverse()) await server.close().catch(() => {});',
    '  };',
    '  for (const server of Object.values(mcpServers)) {',
    '    try {',
    '      await server.connect();',
    '    } catch (error) {',
    '      await close();',
    '      const reason = error instanceof Error ? error.message : String(error);',
    '      throw new Error(`cannot connect MCP server "${server.name}": ${reason}`, { cause: error });',
    '    }',
    '    connected.push(server);',
    '  }',
    '  return { servers: [...connected], close };',
    '}',
  );
  return out;
}
