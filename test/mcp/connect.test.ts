import { describe, expect, it } from 'vitest';
import { checkMcpServers } from '../../src/mcp/connect.js';
import { validateFile, validateSource } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';

const lines = (result: Awaited<ReturnType<typeof checkMcpServers>>) =>
  result.diagnostics.map((d) => `${d.range!.start.line}:${d.range!.start.column} ${d.ruleId} ${d.message}`);

describe('validate --connect (checkMcpServers)', () => {
  it('lists the live tools and reports filter names they lack, with did-you-mean, and collisions', async () => {
    const result = await checkMcpServers(validateFile(fromRoot('test/fixtures/mcp/connect-typos.yaml')), { timeoutMs: 20_000 });
    expect(result.ok).toBe(false);
    expect(lines(result)).toEqual([
      '10:20 mcp/unknown-tool MCP server `helpdesk` offers no tool `purge_call_recording`; did you mean `purge_call_recordings`?',
      '18:18 mcp/tool-collision agent `tech` would see two tools named `fetch_call_log`: tool `fetch_call_log` and tool `fetch_call_log` of MCP server `helpdesk`',
      '18:53 mcp/unknown-tool MCP server `helpdesk` offers no tool `escalate_to_humans`; did you mean `escalate_to_human`?',
    ]);
  }, 30_000);

  it('finds nothing to report for the shipped example', async () => {
    const result = await checkMcpServers(validateFile(fromRoot('topologies/support-desk-mcp.yaml')), { timeoutMs: 20_000 });
    expect(lines(result)).toEqual([]);
  }, 30_000);

  it('reports a server that cannot start, or a missing secret, at the server', async () => {
    const yaml = [
      'version: 1',
      'name: unreachable',
      'entry: desk',
      'mcpServers:',
      '  ghost:',
      '    type: stdio',
      '    command: switchboard-no-such-command',
      '  remote:',
      '    type: streamable-http',
      '    url: http://127.0.0.1:9/mcp',
      '    headers: { Authorization: { fromEnv: SWITCHBOARD_TEST_UNSET_TOKEN, prefix: "Bearer " } }',
      'agents:',
      '  desk:',
      '    instructions: Help.',
      '    mcpServers: [ghost, remote]',
      '',
    ].join('\n');
    const result = await checkMcpServers(validateSource(yaml, fromRoot('test/fixtures/mcp/unreachable.yaml')), { timeoutMs: 5_000, env: {} });
    const found = lines(result);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^5:3 mcp\/connect cannot list the tools of MCP server `ghost`: /);
    expect(found[1]).toBe('8:3 mcp/connect cannot list the tools of MCP server `remote`: environment variable SWITCHBOARD_TEST_UNSET_TOKEN not set');
  }, 30_000);
});
