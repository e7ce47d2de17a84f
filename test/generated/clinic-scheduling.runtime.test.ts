import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentInputItem } from '@openai/agents';
import { agents, runClinicScheduling } from '../../generated/clinic-scheduling/index.js';
import { routingLog } from '../../topologies/clinic-scheduling/hooks.js';
import { call, inputTypes, offeredTools, say, ScriptedModelProvider } from '../helpers/scripted-model.js';

const run = (input: string | AgentInputItem[], provider: ScriptedModelProvider) => runClinicScheduling(input, { modelProvider: provider, tracingDisabled: true });

/** A long earlier conversation: 20 messages with a tool call/result pair after every fifth. */
function longHistory(): AgentInputItem[] {
  const items: AgentInputItem[] = [];
  for (let i = 1; i <= 20; i++) {
    items.push(i % 2 ? { role: 'user', content: `caller message ${i}` } : { role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `desk reply ${i}` }] });
    if (i % 5 === 0) {
      items.push({ type: 'function_call', callId: `old_${i}`, name: 'find_open_slots', arguments: '{}', status: 'completed' });
      items.push({ type: 'function_call_result', callId: `old_${i}`, name: 'find_open_slots', status: 'completed', output: { type: 'text', text: 'no slots' } });
    }
  }
  return items;
}

beforeEach(() => {
  routingLog.length = 0;
});

describe('generated clinic scheduling', () => {
  it('applies `recent` (removeAllTools, then keepLast 12) in order on frontdesk → appointments', async () => {
    const provider = new ScriptedModelProvider([
      (request) => {
        expect(offeredTools(request)).toContain('transfer_to_AppointmentsAgent');
        expect(offeredTools(request)).toContain('transfer_to_medical_records');
        return [call('transfer_to_AppointmentsAgent', { reason: 'Wants to move a visit.', patientId: 'PT-104233', callerIsPatient: true })];
      },
      (request) => {
        // Tools removed first, then the last 12 items kept: exactly 12 messages. The reverse order
        // would keep 12 items and then drop the tool items among them, leaving fewer.
        expect(inputTypes(request)).toEqual(Array(12).fill('message'));
        expect(JSON.stringify(request.input)).toContain('caller message 21');
        return [say('Which day suits you?')];
      },
    ]);
    const history = [...longHistory(), { role: 'user', content: 'caller message 21: please move my visit' } as AgentInputItem];
    const result = await run(history, provider);
    expect(result.lastAgent?.name).toBe('AppointmentsAgent');
    expect(routingLog).toEqual([{ kind: 'caller-context', input: { reason: 'Wants to move a visit.', patientId: 'PT-104233', callerIsPatient: true } }]);
  });

  it('applies `privacy` (removeAllTools, then the custom redaction) on frontdesk → lab-results', async () => {
    const provider = new ScriptedModelProvider([
      () => [call('transfer_to_LabResultsAgent', { reason: 'Asks about blood test results.', patientId: null, callerIsPatient: true })],
      (request) => {
        const seen = JSON.stringify(request.input);
        expect(seen).not.toContain('555-0123');
        expect(seen).toContain('[phone number removed]');
        expect(inputTypes(request)).not.toContain('function_call');
        return [say('I can help with your results.')];
      },
    ]);
    const result = await run('Hi, call me back at (415) 555-0123 about my blood test results.', provider);
    expect(result.lastAgent?.name).toBe('LabResultsAgent');
  });

  it('passes the inline prescription input to its hook and keeps o4-mini on the prescriptions desk', async () => {
    const provider = new ScriptedModelProvider([
      () => [call('transfer_to_PrescriptionsAgent', { requestType: 'refill', medication: 'lisinopril', patientId: 'PT-104233', reason: 'Refill request.' })],
      () => [say('I will check your refill.')],
    ]);
    await run('I need a refill of lisinopril.', provider);
    expect(provider.requests.map((r) => r.model)).toEqual(['gpt-4o-mini', 'o4-mini']);
    expect(routingLog).toEqual([{ kind: 'prescription-request', input: { requestType: 'refill', medication: 'lisinopril', patientId: 'PT-104233', reason: 'Refill request.' } }]);
    expect(agents.prescriptions.modelSettings).toMatchObject({ maxTokens: 4000, reasoning: { effort: 'low' } });
  });
});
