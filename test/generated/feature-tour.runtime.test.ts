import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { agents, runFeatureTour } from '../fixtures/compile/features/generated/feature-tour/index.js';
import { calls } from '../fixtures/compile/features/impl.js';
import { call, inputTypes, offeredTools, say, ScriptedModelProvider } from '../helpers/scripted-model.js';
import { fromRoot } from '../helpers/paths.js';
import { hasUserMessage, orphanedOutputs } from './history-checks.js';

const yaml = parse(readFileSync(fromRoot('test/fixtures/compile/features/topology.yaml'), 'utf8')) as {
  agents: Record<string, { instructions?: string }>;
};
const run = (input: string, provider: ScriptedModelProvider) => runFeatureTour(input, { modelProvider: provider, tracingDisabled: true });

beforeEach(() => {
  calls.length = 0;
});

describe('generated feature tour', () => {
  it('keeps hostile strings byte for byte (backticks, ${…}, */, quotes, U+2028, NUL, </script>, emoji)', () => {
    expect(agents.router.instructions).toBe(yaml.agents.router!.instructions);
    expect(agents.ops.instructions).toBe(yaml.agents.ops!.instructions);
    expect(agents.kb.instructions).toBe(readFileSync(fromRoot('test/fixtures/compile/features/prompt.md'), 'utf8'));
  });

  it('merges default model settings one level deep', () => {
    expect(agents.kb.model).toBe('gpt-4.1');
    expect(agents.kb.modelSettings).toEqual({ temperature: 0.7, reasoning: { summary: 'auto', effort: 'low' } });
  });

  it('runs the filter pipeline in order and calls the typed hook', async () => {
    const provider = new ScriptedModelProvider([
      (request) => {
        expect(offeredTools(request)).toEqual(['transfer_to_KB_Agent', 'escalate_incident']);
        return [call('transfer_to_KB_Agent', { topic: 'kb', urgent: false })];
      },
      (request) => {
        expect(inputTypes(request).length).toBeLessThanOrEqual(6);
        expect(calls).toEqual(['tagTransfer:kb:false', 'markFiltered']);
        return [call('log_event', { event: 'kb.opened', extra: 'allowed: the tool is not strict' })];
      },
      (request) => {
        const handBack = request.handoffs.find((h) => h.toolName === 'transfer_to_Router');
        expect(handBack?.toolDescription).toContain('Hand the conversation back to Router (it routes each request to the right agent) when the request is outside your scope as KB Agent');
        return [call('transfer_to_Router', {})];
      },
      (request) => {
        // kb → router keeps the last 3 items: the cut would fall between log_event's call and its
        // output, and would drop the caller's message. The filter moves the cut and keeps both.
        const input = request.input as unknown[];
        expect(orphanedOutputs(input)).toEqual([]);
        expect(hasUserMessage(input, 'How do I reset my password?')).toBe(true);
        expect(inputTypes(request)).toEqual(['message', 'function_call', 'function_call_result', 'function_call', 'function_call_result']);
        return [say('Anything else?')];
      },
    ]);
    const result = await run('How do I reset my password?', provider);
    expect(calls).toEqual(['tagTransfer:kb:false', 'markFiltered', 'logEvent:kb.opened', 'noteHandback:undefined']);
    expect(result.finalOutput).toBe('Anything else?');
  });

  it('uses the toolName override and the default onHandoff for an input without a hook', async () => {
    const provider = new ScriptedModelProvider([
      () => [call('escalate_incident', { severity: 'sev1' })],
      (request) => {
        expect(request.systemInstructions).toContain('Page on-call');
        return [say('Paging now.')];
      },
    ]);
    const result = await run('Production is down!', provider);
    expect(result.lastAgent?.name).toBe('Ops');
    expect(provider.requests.map((r) => r.model)).toEqual(['gpt-4o-mini', 'o4-mini']);
  });
});
