import { describe, expect, it } from 'vitest';
import { NameAllocator } from '../../src/emit/code.js';

describe('NameAllocator', () => {
  it('gives a taken name the first free numeric suffix, counting names taken in between', () => {
    const names = new NameAllocator(['lookup_3']);
    expect(names.allocate('lookup')).toBe('lookup');
    expect(names.allocate('lookup')).toBe('lookup_2');
    expect(names.allocate('lookup')).toBe('lookup_4'); // lookup_3 was reserved
    expect(names.allocate('lookup_5')).toBe('lookup_5');
    expect(names.allocate('lookup')).toBe('lookup_6'); // lookup_5 was taken as a name of its own
    expect(names.allocate('lookup-x')).toBe('lookup_x');
    expect(names.allocate('lookup_x')).toBe('lookup_x_2');
  });

  it('never hands out a reserved word or the same name twice', () => {
    const names = new NameAllocator();
    expect(names.allocate('class')).toBe('class_2');
    expect(names.allocate('class')).toBe('class_3');
    expect(names.allocate('1st')).toBe('_1st');
    const many = Array.from({ length: 2000 }, () => names.allocate('tool'));
    expect(new Set(many).size).toBe(2000);
    expect(many.at(-1)).toBe('tool_2000');
  });
});
