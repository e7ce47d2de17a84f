import { describe, expect, it } from 'vitest';
import { importSource } from '../../src/import/index.js';
import { ImportEntryError } from '../../src/import/typescript/index.js';

const importText = (text: string, file = '/project/src/agents.ts', entry?: string) =>
  importSource(text, file, { outFile: '/project/topologies/agents.yaml', ...(entry ? { entry } : {}) });

describe('zod parameters become strict JSON Schema', () => {
  it('converts the common shapes', async () => {
    const { document } = await importText(`
      import { Agent, tool, run } from '@openai/agents';
      import { z } from 'zod';
      const Address = z.object({ city: z.string() });
      export const book = tool({
        name: 'book',
        description: 'Book it.',
        parameters: z.object({
          seats: z.number().int().min(1).max(9).describe('How many.'),
          klass: z.enum(['economy', 'business']),
          note: z.string().optional(),
          tags: z.array(z.string()).max(3),
          email: z.string().email(),
          vip: z.boolean().nullable(),
          address: Address,
          kind: z.literal('seat'),
        }),
        needsApproval: async () => true,
        execute: async () => 'ok',
      });
      const agent = new Agent({ name: 'Booker', instructions: 'Book.', tools: [book] });
      run(agent, 'hi');
    `);
    const tools = document.tools as Record<string, Record<string, unknown>>;
    expect(tools.book!.parameters).toEqual({
      type: 'object',
      properties: {
        seats: { type: 'integer', minimum: 1, maximum: 9, description: 'How many.' },
        klass: { type: 'string', enum: ['economy', 'business'] },
        note: { type: ['string', 'null'] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
        email: { type: 'string', format: 'email' },
        vip: { type: ['boolean', 'null'] },
        address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        kind: { type: 'string', const: 'seat' },
      },
      required: ['seats', 'klass', 'note', 'tags', 'email', 'vip', 'address', 'kind'],
      additionalProperties: false,
    });
    expect(tools.book!.needsApproval).toBe(true);
  });
});

describe('what cannot be carried over is reported at its position', () => {
  it('loops, computed names, dynamic tool lists, hosted tools, inline hooks', async () => {
    const result = await importText(
      [
        "import { Agent, handoff, run, webSearchTool } from '@openai/agents';",
        "const names = ['a', 'b'];",
        'const looped = names.map((n) => new Agent({ name: n }));',
        'const dynamicTools = makeTools();',
        "const spoke = new Agent({ name: 'Spoke' + Date.now(), handoffDescription: 'Spoke.', tools: dynamicTools });",
        "const hub = new Agent({ name: 'Hub', tools: [webSearchTool()], handoffs: [handoff(spoke, { onHandoff: () => console.log('x') })] });",
        "run(hub, 'hi');",
      ].join('\n'),
    );
    const notes = result.notes.map((n) => `${n.location.line}:${n.location.column} ${n.severity}: ${n.message} — ${n.action}`);
    expect(notes).toEqual([
      '3:33 warning: an agent built in a loop or a callback cannot become a fixed topology node — left out; declare each agent with its own `new Agent(…)`',
      '5:33 warning: the agent name is computed at run time — named it after the variable `spoke`',
      '5:92 warning: the tools of `spoke` are computed at run time — no tools taken from it; list the tools in an array literal',
      '6:46 warning: a tool of `hub` that is not a `tool({…})` function tool (hosted, MCP or computed tools are not part of the format) — left out',
      '6:103 warning: the onHandoff hook of `hub` → `spoke` is an inline function that cannot be re-exported — wrote a stub `onSpokeHandoff` in agents.switchboard.ts; move the function into a named export and point the stub at it',
    ]);
    expect(result.document.agents).toEqual({ spoke: { name: 'spoke', handoffDescription: 'Spoke.' }, hub: { name: 'Hub' } });
    expect(result.sideModule.map((e) => e.name)).toEqual(['onSpokeHandoff']);
  });

  it('references code imported from another module where it lives', async () => {
    const { document, sideModule } = await importText(`
      import { Agent, tool } from '@openai/agents';
      import { lookup } from './billing.js';
      import * as hooks from './hooks.js';
      import type { Ctx } from './context.js';
      const t = tool({ name: 'lookup', description: 'Look up.', parameters: { type: 'object', properties: {}, required: [], additionalProperties: false }, execute: lookup });
      export const entryAgent = new Agent<Ctx>({ name: 'Desk', tools: [t], inputGuardrails: [hooks.guard] });
    `);
    expect(document.context).toBe('../src/context.ts#Ctx');
    expect((document.tools as any).lookup.implementation).toBe('../src/billing.ts#lookup');
    expect((document.agents as any).entry.inputGuardrails).toEqual(['../src/hooks.ts#guard']);
    expect(sideModule).toEqual([]);
  });

  it('reads JavaScript', async () => {
    const { document } = await importText("import { Agent, run } from '@openai/agents';\nconst a = new Agent({ name: 'A', instructions: 'Hi.' });\nawait run(a, 'x');\n", '/project/src/agents.mjs');
    expect(document.entry).toBe('a');
  });

  it('names the candidates when --entry matches no agent', async () => {
    const error = await importText("import { Agent } from '@openai/agents';\nconst a = new Agent({ name: 'A' });\nconst b = new Agent({ name: 'B' });\n", '/project/src/agents.ts', 'zed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportEntryError);
    expect((error as ImportEntryError).ambiguity).toEqual({
      kind: 'entry-missing',
      candidates: [
        { agent: 'a', location: { file: '/project/src/agents.ts', line: 2, column: 11 } },
        { agent: 'b', location: { file: '/project/src/agents.ts', line: 3, column: 11 } },
      ],
    });
  });
});

describe('hostile names', () => {
  it('cannot break out of the side module comments or strings', async () => {
    const result = await importSource(
      "import { Agent, handoff, run } from '@openai/agents';\nconst b = new Agent({ name: 'B', handoffDescription: 'b' });\nconst a = new Agent({ name: 'A', handoffs: [handoff(b, { onHandoff: () => {} })] });\nrun(a, 'x');\n",
      '/project/src/x*/\nevil();\u2028.ts',
      { outFile: '/project/topologies/x.yaml' },
    );
    const code = result.sideModule.map((e) => e.code).join('\n');
    expect(code).not.toContain('*/\nevil');
    expect(code).not.toMatch(/^evil/m);
    expect(code).not.toContain('\u2028');
  });
});
