import { it, expect } from 'vitest';
import { tsImport } from 'tsx/esm/api';
import { join } from 'node:path';
import { fromRoot } from '../helpers/paths.js';
it('imports', async () => {
  const m = await tsImport(fromRoot('node_modules/.cache/switchboard/support-desk/eval-entry.ts'), import.meta.url);
  const h = m.topology.entryAgent.handoffs[0];
  console.log(Object.keys(h), h.agent?.name);
  const direct = await import('@openai/agents');
  console.log('same Runner?', direct.Runner === m.Runner);
  expect(m.topology.agents.billing.name).toBe('BillingAgent');
});
