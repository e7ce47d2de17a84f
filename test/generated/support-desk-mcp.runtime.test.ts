import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MemorySession } from '@openai/agents';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { helpdeskMcpServer, openMcpServers, runSupportDeskMcp } from '../../generated/support-desk-mcp/index.js';
import { createHelpdeskServer } from '../../topologies/support-desk-mcp/helpdesk-server.js';
import { validateSource } from '../../src/validate.js';
import { loadRuntimeTopology } from '../../src/eval/load-topology.js';
import { call, offeredTools, say, ScriptedModelProvider } from '../helpers/scripted-model.js';
import { repoRoot } from '../helpers/paths.js';

// A real MCP server (the official SDK) over stdio, started and stopped by the generated run helper.
const run = (input: string, modelProvider: ScriptedModelProvider, options: Parameters<typeof runSupportDeskMcp>[1] = {}) =>
  runSupportDeskMcp(input, { modelProvider, tracingDisabled: true, ...options });

const toTech = () => [call('transfer_to_TechSupportAgent', { reason: 'Dropped call.' })];
const expectClosed = () => expect(helpdeskMcpServer.listTools()).rejects.toThrow(/not initialized/i);

describe('support-desk-mcp over stdio', () => {
  it('offers the server tools through the filters, runs one, and the result reaches the model', async () => {
    const provider = new ScriptedModelProvider([
      toTech,
      (request) => {
        // blockedTools hides the admin tool from every agent.
        expect(offeredTools(request).sort()).toEqual(['escalate_to_human', 'fetch_call_log', 'run_webhook_diagnostic', 'transfer_to_Triage_Agent']);
        return [call('fetch_call_log', { callId: 'CALL-7Q2XK9', includeEvents: false })];
      },
      (request) => {
        const result = (request.input as { type?: string; output?: unknown }[]).find((item) => item.type === 'function_call_result');
        expect(JSON.stringify(result?.output)).toContain('CALL-7Q2XK9');
        return [say('The call dropped because of a network timeout.')];
      },
    ]);
    const result = await run('My call CALL-7Q2XK9 dropped', provider);
    expect(result.finalOutput).toBe('The call dropped because of a network timeout.');
    expect(provider.remaining).toBe(0);
    await expectClosed();
  }, 30_000);

  it("applies the agent's own filter: billing sees only the escalation tool of the server", async () => {
    const provider = new ScriptedModelProvider([
      () => [call('transfer_to_BillingAgent', { reason: 'Refund.' })],
      (request) => {
        const tools = offeredTools(request);
        expect(tools).toContain('escalate_to_human');
        expect(tools).not.toContain('fetch_call_log');
        expect(tools).not.toContain('purge_call_recordings');
        return [say('Done.')];
      },
    ]);
    await run('Refund INV-1042 please', provider);
    await expectClosed();
  }, 30_000);

  it('closes the server when the run fails', async () => {
    const provider = new ScriptedModelProvider([
      toTech,
      () => {
        throw new Error('model exploded');
      },
    ]);
    await expect(run('hello', provider)).rejects.toThrow(/model exploded/);
    await expectClosed();
  }, 30_000);

  it('keeps history across runs in a session, on one connection the caller owns', async () => {
    const session = new MemorySession();
    const mcp = await openMcpServers();
    try {
      const provider = new ScriptedModelProvider([
        () => [say('Hello, how can I help?')],
        (request) => {
          expect(JSON.stringify(request.input)).toContain('Hello, how can I help?');
          return [say('Routing you now.')];
        },
      ]);
      await run('hi', provider, { session, mcp });
      // Still open between the turns of the conversation.
      expect((await helpdeskMcpServer.listTools()).map((t) => t.name)).toContain('fetch_call_log');
      await run('my call dropped', provider, { session, mcp });
      expect(await session.getItems()).toHaveLength(4);
    } finally {
      await mcp.close();
    }
    await expectClosed();
  }, 30_000);
});

describe('a streamable HTTP MCP server on 127.0.0.1', () => {
  let http: Server;
  let url: string;
  beforeAll(async () => {
    // Stateless: one MCP server and transport per request, as the SDK's examples do.
    http = createServer(async (req, res) => {
      const server = createHelpdeskServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void transport.close().then(() => server.close()));
      await server.connect(transport);
      await transport.handleRequest(req, res);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  it('compiles a topology whose agent uses it, connects for the run, and closes after', async () => {
    const yaml = [
      'version: 1',
      'name: mcp-http-probe',
      'entry: desk',
      'mcpServers:',
      '  helpdesk:',
      '    type: streamable-http',
      `    url: ${url}`,
      '    allowedTools: [fetch_call_log, purge_call_recordings]',
      'agents:',
      '  desk:',
      '    instructions: Help.',
      '    mcpServers: [{ server: helpdesk, blockedTools: [purge_call_recordings] }]',
      '',
    ].join('\n');
    const validation = validateSource(yaml, join(repoRoot, 'test/fixtures/mcp/http-probe.yaml'));
    expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const runtime = await loadRuntimeTopology(validation);
    expect(runtime.openMcpServers).toBeDefined();
    const provider = new ScriptedModelProvider([
      (request) => {
        expect(offeredTools(request)).toEqual(['fetch_call_log']);
        return [call('fetch_call_log', { callId: 'CALL-7Q2XK9', includeEvents: true })];
      },
      (request) => {
        expect(JSON.stringify(request.input)).toContain('CALL-7Q2XK9');
        return [say('Found it.')];
      },
    ]);
    const mcp = await runtime.openMcpServers!();
    try {
      const runner = new runtime.sdk.Runner({ modelProvider: provider, tracingDisabled: true });
      const result = await runner.run(runtime.agents.desk!, 'log of CALL-7Q2XK9?');
      expect(result.finalOutput).toBe('Found it.');
    } finally {
      await mcp.close();
    }
    await expect(mcp.servers[0]!.listTools()).rejects.toThrow(/not initialized/i);
  }, 60_000);
});
