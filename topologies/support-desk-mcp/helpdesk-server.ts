/**
 * The helpdesk MCP server of the support-desk-mcp topology, built on the official MCP TypeScript SDK.
 * It serves the human-escalation tool and the call-log tool the plain support desk runs as local
 * functions, plus an admin tool the topology's filter hides from every agent.
 *
 * Run over stdio (what the topology declares): `node --import tsx helpdesk-server.ts`.
 * Tests also serve `createHelpdeskServer()` over streamable HTTP on 127.0.0.1.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { escalateToHuman } from '../support-desk/human.js';
import { fetchCallLog } from '../support-desk/tech.js';

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

export function createHelpdeskServer(): McpServer {
  const server = new McpServer({ name: 'helpdesk', version: '1.0.0' });
  server.registerTool(
    'escalate_to_human',
    {
      description:
        'Hand the call to a human operator, with a summary they can act on without asking the caller to repeat themselves.',
      inputSchema: {
        reason: z.string().describe('Why a human is needed, in one sentence.'),
        urgency: z.enum(['low', 'normal', 'high', 'critical']).describe('How fast a human must pick this up.'),
        summary: z.string().describe('What the caller wants, what you checked and what you found.'),
        callbackNumber: z
          .string()
          .regex(/^\+[1-9][0-9]{6,14}$/)
          .nullable()
          .describe('Callback number in E.164 form; null to keep the caller on the line.'),
      },
    },
    async (args) => text(await escalateToHuman(args)),
  );
  server.registerTool(
    'fetch_call_log',
    {
      description: 'Fetch the log of one call - timing, status, hang-up cause and, optionally, its event timeline.',
      inputSchema: {
        callId: z.string().regex(/^CALL-[0-9A-Z]{6}$/).describe('Call id, e.g. CALL-7Q2XK9.'),
        includeEvents: z.boolean().describe('Whether to include the per-event timeline.'),
      },
    },
    async (args) => text(await fetchCallLog(args)),
  );
  server.registerTool(
    'purge_call_recordings',
    { description: 'Admin only: delete every recording of an account.', inputSchema: { accountId: z.string() } },
    async ({ accountId }) => text(`Recordings of ${accountId} purged.`),
  );
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await createHelpdeskServer().connect(new StdioServerTransport());
}
