import { describe, expect, test } from 'vitest';
import { annotationSchema, parseDocstring, type TypeScope } from '../../../src/import/python/types-to-schema.js';

function scope(models: Record<string, Record<string, unknown>> = {}): TypeScope & { unknowns: string[] } {
  const unknowns: string[] = [];
  return { unknowns, model: (name) => models[name], unknown: (text, why) => unknowns.push(`${text}: ${why}`) };
}

describe('annotationSchema', () => {
  test('builtins, Optional, unions, Literal, lists, tuples and models', () => {
    const s = scope({ Address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } });
    expect(annotationSchema('str', s)).toEqual({ type: 'string' });
    expect(annotationSchema('Optional[int]', s)).toEqual({ type: ['integer', 'null'] });
    expect(annotationSchema('float | None', s)).toEqual({ type: ['number', 'null'] });
    expect(annotationSchema('Union[str, int]', s)).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }] });
    expect(annotationSchema('Optional[Literal["a", "b"]]', s)).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
    expect(annotationSchema('typing.List[list[bool]]', s)).toEqual({ type: 'array', items: { type: 'array', items: { type: 'boolean' } } });
    expect(annotationSchema('tuple[str, int]', s)).toEqual({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], minItems: 2, maxItems: 2 });
    expect(annotationSchema('list[Address] | None', s)).toEqual({ type: ['array', 'null'], items: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } });
    expect(annotationSchema('Annotated[datetime, "when"]', s)).toEqual({ type: 'string', format: 'date-time' });
    expect(s.unknowns).toEqual([]);
  });

  test('what has no strict schema is reported, not guessed', () => {
    const s = scope();
    expect(annotationSchema('dict[str, int]', s)).toEqual({ type: 'object', additionalProperties: { type: 'integer' } });
    expect(annotationSchema('Any', s)).toEqual({});
    expect(annotationSchema('Invoice', s)).toEqual({});
    expect(annotationSchema('list[', s)).toEqual({});
    expect(s.unknowns).toEqual([
      'dict[str, int]: a dict has free-form keys, which strict mode cannot describe; kept as an object with additionalProperties',
      'Any: Any has no schema',
      'Invoice: the type Invoice is not defined in this file',
      'list[: the annotation could not be read',
    ]);
  });
});

describe('parseDocstring', () => {
  test('Google style, with continuation lines and types in parentheses', () => {
    expect(parseDocstring('Book a demo.\n\nLonger text.\n\nArgs:\n    email (str): Where to send\n        the invite.\n    slot: Morning or afternoon.\n\nReturns:\n    The booking id.')).toEqual({
      description: 'Book a demo.\n\nLonger text.',
      params: { email: 'Where to send the invite.', slot: 'Morning or afternoon.' },
    });
  });

  test('Sphinx and NumPy styles', () => {
    expect(parseDocstring('Refund.\n\n:param invoice_id: The invoice.\n:param int amount: How much,\n    in cents.\n:returns: ok')).toEqual({
      description: 'Refund.',
      params: { invoice_id: 'The invoice.', amount: 'How much, in cents.' },
    });
    expect(parseDocstring('Price a plan.\n\nParameters\n----------\nplan : str\n    The plan.\nseats : int\n    Seats.\n')).toEqual({ description: 'Price a plan.', params: { plan: 'The plan.', seats: 'Seats.' } });
  });
});
