/**
 * `validate --connect`: start or reach each local MCP server a topology declares, list its tools, and
 * report what only the live server can tell — filters naming tools it does not offer (with a
 * did-you-mean) and tool names that collide for an agent. Hosted servers are called by the OpenAI API,
 * not by us, so they are not contacted. The SDK is imported only here, only when asked for.
 */
import { resolve } from 'node:path';
import { didYouMean } from '../diagnostics/suggest.js';
import { sortDiagnostics, type Diagnostic, type DiagnosticDraft } from '../diagnostics/types.js';
import { handoffToolName, indexOf, sdkFunctionName } from '../model/queries.js';
import type { Located, McpServer, SecretValue, Topology } from '../model/types.js';
import { locate } from '../source/locate.js';
import type { ValidationResult } from '../validate.js';

export interface ConnectOptions {
  /** Time limit to start, initialise and list the tools of one server. */
  readonly timeoutMs: number;
  /** Where `fromEnv` values are read (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A connected server's tool names, or why it could not be listed. */
export type ServerTools = { readonly ok: true; readonly tools: readonly string[] } | { readonly ok: false; readonly reason: string };

interface ListableServer {
  connect(): Promise<void>;
  listTools(): Promise<{ name: string }[]>;
  close(): Promise<void>;
}

/** Connect to one server with the SDK, list its tools unfiltered, close it; bounded by `timeoutMs`. */
export async function listServerTools(server: McpServer, baseDir: string, options: ConnectOptions): Promise<ServerTools> {
  const env = options.env ?? process.env;
  const missing: string[] = [];
  const secret = (value: SecretValue) => {
    if (value.kind === 'literal') return value.value;
    const found = env[value.name];
    if (found === undefined || found === '') missing.push(value.name);
    return value.prefix + (found ?? '');
  };
  const values = (pairs: McpServer['env']) => Object.fromEntries(pairs.map(([k, v]) => [k, secret(v)]));
  const sdk = await import('@openai/agents');
  const timeoutSeconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  const instance: ListableServer =
    server.transport === 'stdio'
      ? new sdk.MCPServerStdio({ name: server.id, command: server.command?.value ?? '', args: [...server.args], cwd: resolve(baseDir, server.cwd?.value ?? '.'), env: values(server.env), clientSessionTimeoutSeconds: timeoutSeconds })
      : new sdk.MCPServerStreamableHttp({ name: server.id, url: server.url?.value ?? '', requestInit: { headers: values(server.headers) }, clientSessionTimeoutSeconds: timeoutSeconds });
  if (missing.length) return { ok: false, reason: `environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not set` };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
  });
  try {
    await Promise.race([instance.connect(), timeout]);
    const tools = await Promise.race([instance.listTools(), timeout]);
    return { ok: true, tools: tools.map((t) => t.name) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    await instance.close().catch(() => {});
  }
}

/** Findings about the live servers, as drafts with pointers into the topology. */
export function liveFindings(topology: Topology, listed: ReadonlyMap<string, ServerTools>): DiagnosticDraft[] {
  const drafts: DiagnosticDraft[] = [];
  const servers = new Map(topology.mcpServers.map((s) => [s.id, s]));
  const checkNames = (names: Located<readonly Located<string>[]> | undefined, server: McpServer, tools: readonly string[]) => {
    for (const name of names?.value ?? []) {
      if (tools.includes(name.value)) continue;
      const suggestion = didYouMean(name.value, tools);
      drafts.push({
        ruleId: 'mcp/unknown-tool',
        severity: 'error',
        pointer: name.pointer,
        message: `MCP server \`${server.id}\` offers no tool \`${name.value}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        hint: tools.length ? `it offers ${tools.map((t) => `\`${t}\``).join(', ')}` : 'it offers no tools',
        ...(suggestion ? { suggestion } : {}),
      });
    }
  };
  for (const server of topology.mcpServers) {
    const result = listed.get(server.id);
    if (!result) continue;
    if (!result.ok) {
      drafts.push({ ruleId: 'mcp/connect', severity: 'error', pointer: server.pointer, onKey: true, message: `cannot list the tools of MCP server \`${server.id}\`: ${result.reason}` });
      continue;
    }
    checkNames(server.allowedTools, server, result.tools);
    checkNames(server.blockedTools, server, result.tools);
  }
  const { agents, outgoing } = indexOf(topology);
  for (const agent of topology.agents) {
    const seen = new Map<string, string>();
    for (const tool of agent.tools) seen.set(sdkFunctionName(tool.value), `tool \`${tool.value}\``);
    for (const edge of outgoing.get(agent.id) ?? []) seen.set(handoffToolName(edge, agents.get(edge.to.value)), `the handoff to \`${edge.to.value}\``);
    for (const use of agent.mcpServers) {
      const server = servers.get(use.server.value);
      const result = listed.get(use.server.value);
      if (!server || !result?.ok) continue;
      checkNames(use.allowedTools, server, result.tools);
      checkNames(use.blockedTools, server, result.tools);
      const allow = [server.allowedTools, use.allowedTools].flatMap((l) => (l ? [new Set(l.value.map((n) => n.value))] : []));
      const block = new Set([...(server.blockedTools?.value ?? []), ...(use.blockedTools?.value ?? [])].map((n) => n.value));
      for (const name of result.tools.filter((t) => allow.every((a) => a.has(t)) && !block.has(t))) {
        const earlier = seen.get(name);
        const label = `tool \`${name}\` of MCP server \`${server.id}\``;
        if (earlier) drafts.push({ ruleId: 'mcp/tool-collision', severity: 'error', pointer: use.pointer, message: `agent \`${agent.id}\` would see two tools named \`${name}\`: ${earlier} and ${label}`, hint: 'block one of them with `blockedTools`, or rename the local tool' });
        else seen.set(name, label);
      }
    }
  }
  return drafts;
}

/** Validate against the live servers: the result's diagnostics plus the findings above, located and sorted. */
export async function checkMcpServers(result: ValidationResult, options: ConnectOptions): Promise<ValidationResult> {
  const { topology, files, source } = result;
  if (!topology || !files || !source || !result.ok) return result;
  const local = topology.mcpServers.filter((s) => s.transport !== 'hosted');
  if (local.length === 0) return result;
  const listed = new Map<string, ServerTools>();
  for (const server of local) listed.set(server.id, await listServerTools(server, files.baseDir, options));
  const located = liveFindings(topology, listed).map((draft): Diagnostic => {
    const { onKey, ...rest } = draft;
    return { ...rest, severity: draft.severity ?? 'error', file: result.file, range: locate(source, draft.pointer, { onKey: onKey ?? false }) };
  });
  const diagnostics = sortDiagnostics([...result.diagnostics, ...located]);
  return { ...result, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') };
}
