import { describe, expect, it } from 'vitest';
import { isTerminalControl, terminalLine, terminalText } from '../../src/diagnostics/terminal-text.js';

describe('terminalText', () => {
  it('shows escape sequences, carriage returns and bidi controls as \\u escapes', () => {
    expect(terminalText('a\u001b[2Jb')).toBe('a\\u001b[2Jb');
    expect(terminalText('\u001b]52;c;cGF3bmVk\u0007')).toBe('\\u001b]52;c;cGF3bmVk\\u0007'); // OSC 52 clipboard write
    expect(terminalText('\u009b31m')).toBe('\\u009b31m'); // 8-bit CSI
    expect(terminalText('over\rwrite')).toBe('over\\u000dwrite');
    expect(terminalText('abc\u202edef\u2066\u200f\u061c')).toBe('abc\\u202edef\\u2066\\u200f\\u061c');
    expect(terminalText('lone \ud800')).toBe('lone \\ud800');
  });

  it('keeps tabs, line feeds, emoji and ordinary Unicode', () => {
    expect(terminalText('a\tb\nc 🚀 é 中文')).toBe('a\tb\nc 🚀 é 中文');
  });

  it('terminalLine escapes line feeds too', () => {
    expect(terminalLine('one\ntwo')).toBe('one\\ntwo');
  });

  it('isTerminalControl agrees with terminalText for single characters', () => {
    for (const ch of ['\u001b', '\r', '\u202e', '\t', '\n']) expect(isTerminalControl(ch)).toBe(true);
    for (const ch of ['a', 'é', '🚀']) expect(isTerminalControl(ch)).toBe(false);
  });
});
