import { beforeEach, describe, expect, it } from 'vitest';
import { runSupportDesk } from '../../generated/support-desk/index.js';
import { escalations } from '../../topologies/support-desk/human.js';
import { call, say, ScriptedModelProvider } from '../helpers/scripted-model.js';

// A model behind a provider that does not enforce strict mode sends arguments that break the declared
// schema: the generated tool must answer with an error output, keep the run going, and never call the
// implementation with them.
beforeEach(() => {
  escalations.length = 0;
});

const toolOutputs = (input: unknown) =>
  (Array.isArray(input) ? input : []).filter((item) => item.type === 'function_call_result').map((item) => JSON.stringify(item.output));

describe('generated tools validate their arguments before they run', () => {
  it('answers an invalid call with what to fix, then runs the corrected call', async () => {
    const invalid = { reason: 'Outage', urgency: 'urgent', summary: 'All calls drop.', callbackNumber: '0155-123', extra: true };
    const provider = new ScriptedModelProvider([
      () => [call('transfer_to_TechSupportAgent', { reason: 'Calls drop.' })],
      () => [call('escalate_to_human', invalid)],
      (request) => {
        const [output] = toolOutputs(request.input);
        expect(output).toContain('Invalid arguments, so the tool did not run');
        expect(output).toContain('arguments.urgency must be one of [\\"low\\",\\"normal\\",\\"high\\",\\"critical\\"]');
        expect(output).toContain('arguments.callbackNumber must match');
        expect(output).toContain('arguments.extra is not a parameter');
        expect(escalations).toEqual([]);
        return [call('escalate_to_human', { ...invalid, urgency: 'high', callbackNumber: null, extra: undefined })];
      },
      (request) => {
        expect(toolOutputs(request.input)[1]).toContain("Ticket HUM-");
        return [say('A human operator will call you back.')];
      },
    ]);
    const result = await runSupportDesk('All our calls drop!', { modelProvider: provider, tracingDisabled: true });
    expect(result.finalOutput).toBe('A human operator will call you back.');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ urgency: 'high', callbackNumber: null });
  });

  it('checks formats and bounds that strict mode does not: a date that does not exist, seats out of range', async () => {
    const provider = new ScriptedModelProvider([
      () => [call('transfer_to_SalesAgent', { reason: 'Pricing and a demo.' })],
      () => [
        call('lookup_pricing', { plan: 'growth', seats: 0, billingCycle: 'annual' }),
        call('book_demo', { contactName: 'Ada', email: 'ada@example', company: 'X', preferredDate: '2026-02-30', timeSlot: 'morning', timezone: 'Europe/Berlin', notes: null }),
      ],
      (request) => {
        const outputs = toolOutputs(request.input);
        expect(outputs[0]).toContain('arguments.seats must be >= 1');
        expect(outputs[1]).toContain('arguments.email must be a valid email');
        expect(outputs[1]).toContain('arguments.preferredDate must be a valid date');
        return [say('Let me check those details again.')];
      },
    ]);
    const result = await runSupportDesk('How much is growth, and can I book a demo?', { modelProvider: provider, tracingDisabled: true });
    expect(result.finalOutput).toBe('Let me check those details again.');
  });
});
