import { OpenAIProvider } from '@openai/agents';
import OpenAI from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadRuntimeTopology } from '../../src/eval/load-topology.js';
import { validateSource } from '../../src/validate.js';
import { message, startFakeResponsesApi, type FakeResponsesApi } from '../helpers/fake-responses-api.js';
import { repoRoot } from '../helpers/paths.js';

// Hosted tools and a hosted MCP server, compiled, sent through the real `openai` client to a local
// fake of the Responses API: the recorded request body is what production would send.

let api: FakeResponsesApi;
beforeAll(async () => {
  api = await startFakeResponsesApi({ lifetimeMs: 120_000 });
});
afterAll(() => api.close());

const YAML = `version: 1
name: hosted-tools-probe
entry: researcher
mcpServers:
  docs:
    type: hosted
    url: https://mcp.example.com/mcp
    serverLabel: company_docs
    description: Company documentation.
    headers:
      Authorization: { fromEnv: SWITCHBOARD_TEST_DOCS_TOKEN, prefix: "Bearer " }
    allowedTools: [search_docs, read_page]
    requireApproval: { never: [search_docs] }
agents:
  researcher:
    instructions: Research.
    model: gpt-4.1
    mcpServers: [{ server: docs, blockedTools: [read_page] }]
    hostedTools:
      - { type: web_search, searchContextSize: low, allowedDomains: [example.com], userLocation: { country: DE, city: Berlin } }
      - { type: file_search, vectorStoreIds: [vs_123], maxNumResults: 5 }
      - { type: code_interpreter }
      - { type: image_generation, quality: low, size: 1024x1024, outputFormat: webp }
`;

it('sends hosted tools and the hosted MCP server as the Responses API expects them', async () => {
  process.env.SWITCHBOARD_TEST_DOCS_TOKEN = 'tok-test';
  const validation = validateSource(YAML, join(repoRoot, 'test/fixtures/mcp/hosted-tools-probe.yaml'));
  expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const runtime = await loadRuntimeTopology(validation);
  const client = new OpenAI({ baseURL: api.baseURL, apiKey: 'test', maxRetries: 0, timeout: 10_000 });
  const modelProvider = new OpenAIProvider({ openAIClient: client, useResponses: true });
  api.script([() => [message('Done.')]]);
  const mcp = await runtime.openMcpServers!();
  try {
    const runner = new runtime.sdk.Runner({ modelProvider, tracingDisabled: true });
    await runner.run(runtime.agents.researcher!, 'Find it.');
  } finally {
    await mcp.close();
  }
  expect(api.requests[0]!.tools).toEqual([
    {
      type: 'mcp',
      server_label: 'company_docs',
      server_url: 'https://mcp.example.com/mcp',
      server_description: 'Company documentation.',
      // The server's allowedTools minus the agent's blockedTools.
      allowed_tools: { tool_names: ['search_docs'] },
      // Read from the environment when the compiled module loaded; never written into the YAML or the code.
      headers: { Authorization: 'Bearer tok-test' },
      require_approval: { never: { tool_names: ['search_docs'] } },
    },
    {
      type: 'web_search',
      user_location: { type: 'approximate', country: 'DE', city: 'Berlin' },
      filters: { allowed_domains: ['example.com'] },
      search_context_size: 'low',
    },
    { type: 'file_search', vector_store_ids: ['vs_123'], max_num_results: 5 },
    { type: 'code_interpreter', container: { type: 'auto' } },
    { type: 'image_generation', output_format: 'webp', quality: 'low', size: '1024x1024' },
  ]);
});
