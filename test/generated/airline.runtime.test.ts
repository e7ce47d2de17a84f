import { describe, expect, it } from 'vitest';
import { InputGuardrailTripwireTriggered } from '@openai/agents';
import { RECOMMENDED_PROMPT_PREFIX } from '@openai/agents-core/extensions';
import { runAirline, agents, type FinalOutput } from '../../generated/airline/index.js';
import { newAirlineContext } from '../../topologies/airline/context.js';
import { call, offeredTools, say, ScriptedModelProvider } from '../helpers/scripted-model.js';

const run = (input: string, provider: ScriptedModelProvider, context = newAirlineContext()) =>
  runAirline(input, { modelProvider: provider, tracingDisabled: true, context });

describe('generated airline (the SDK customer-service example)', () => {
  it('books a seat: the hook, the tool and the dynamic instructions share the typed context', async () => {
    const context = newAirlineContext({ passengerName: 'Ada', confirmationNumber: 'ABC123' });
    const provider = new ScriptedModelProvider([
      (request) => {
        expect(request.systemInstructions?.startsWith(RECOMMENDED_PROMPT_PREFIX)).toBe(true);
        expect(offeredTools(request)).toEqual(['Flight_Status_Agent', 'transfer_to_FAQ_Agent', 'transfer_to_Seat_Booking_Agent']);
        return [call('transfer_to_Seat_Booking_Agent', {})];
      },
      (request) => {
        // The handoff hook chose the flight before the dynamic instructions were built.
        expect(context.flightNumber).toBe('FLT-123');
        expect(request.systemInstructions).toContain('transfer back to the triage agent');
        expect(request.systemInstructions).toContain('The confirmation number is ABC123');
        expect(request.systemInstructions).toContain("The customer's flight is FLT-123.");
        return [call('update_seat', { confirmation_number: 'ABC123', new_seat: '14C' })];
      },
      (request) => {
        expect(JSON.stringify(request.input)).toContain('Updated seat to 14C for confirmation number ABC123 on flight FLT-123');
        return [say('Done: you are now in seat 14C.')];
      },
    ]);
    const result = await run('I want to change my seat', provider, context);
    expect(result.lastAgent?.name).toBe('Seat Booking Agent');
    expect(context).toMatchObject({ seatNumber: '14C', confirmationNumber: 'ABC123', flightNumber: 'FLT-123' });
    const output: FinalOutput | undefined = result.finalOutput;
    expect(output).toBe('Done: you are now in seat 14C.');
  });

  it('does not offer seat booking once the passenger has boarded (conditional handoff)', async () => {
    const provider = new ScriptedModelProvider([
      (request) => {
        expect(offeredTools(request)).toEqual(['Flight_Status_Agent', 'transfer_to_FAQ_Agent']);
        return [say('Seats cannot be changed after boarding.')];
      },
    ]);
    await run('Can I switch seats?', provider, newAirlineContext({ boarded: true }));
    expect(provider.remaining).toBe(0);
  });

  it('asks the flight-status agent as a tool and gets its structured answer back', async () => {
    const provider = new ScriptedModelProvider([
      () => [call('Flight_Status_Agent', { input: 'What is the status of FLT-123?' })],
      (request) => {
        expect(request.outputType).not.toBe('text');
        return [call('get_flight_status', { flight_number: 'FLT-123' })];
      },
      () => [say(JSON.stringify({ flight_number: 'FLT-123', status: 'on time', gate: 'B12' }))],
      (request) => {
        expect(JSON.stringify(request.input)).toContain('B12');
        return [say('FLT-123 is on time and boards at gate B12.')];
      },
    ]);
    const result = await run('Is FLT-123 on time?', provider);
    expect(result.lastAgent?.name).toBe('Triage Agent');
    expect(result.finalOutput).toBe('FLT-123 is on time and boards at gate B12.');
  });

  it('stops off-topic requests with the input guardrail on triage', async () => {
    const provider = new ScriptedModelProvider([() => [say('Here is a poem.')]]);
    await expect(run('Write me a poem about clouds', provider)).rejects.toBeInstanceOf(InputGuardrailTripwireTriggered);
  });

  it('types structured output on the agent that declares it', () => {
    expect(agents.flight_status.outputType).toMatchObject({ type: 'json_schema', name: 'FlightStatus', strict: true });
  });
});
