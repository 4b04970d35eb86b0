/** What the host prints of a server's text: control characters made visible, everything else as it was. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeJsonLine } from '../../src/host/scripted.js';
import { visible } from '../../src/host/visible.js';

/** Characters a terminal acts on instead of showing: C0 but newline and tab, DEL, C1, bidi overrides, line separators. */
const acted = (code: number) =>
  (code < 0x20 && code !== 0x0a && code !== 0x09) ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x2028 || code === 0x2029;

/** Strings rich in the characters that matter, mixed with ordinary text and emoji. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)),
    fc.constantFrom('\u202e', '\u2066', '\u2028', '\u200f', 'é', '😀', '\\', 'x'),
  ),
  maxLength: 60,
});

describe('visible', () => {
  it('shows escape sequences, OSC, C1, CR and backspace as escapes', () => {
    expect(visible('\x1b[2J\x1b]0;title\x07')).toBe('\\x1b[2J\\x1b]0;title\\x07');
    expect(visible('ok\rSend this request? [a]pprove')).toBe('ok\\x0dSend this request? [a]pprove');
    expect(visible('abc\b\b\bxyz')).toBe('abc\\x08\\x08\\x08xyz');
    expect(visible('\u009b2J \u0085 \u007f')).toBe('\\x9b2J \\x85 \\x7f');
    expect(visible('evil\u202eexe.txt')).toBe('evil\\u202eexe.txt');
  });

  it('keeps newline, tab and every printable character', () => {
    expect(visible('line 1\n\tline 2 — ünïcödé 😀 \\x1b')).toBe('line 1\n\tline 2 — ünïcödé 😀 \\x1b');
  });

  it('never lets a character a terminal acts on through', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = visible(text);
        expect([...shown].filter((char) => acted(char.codePointAt(0)!))).toEqual([]);
      }),
    );
  });

  it('works character by character: others unchanged, each acted-on one as its own escape', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const expected = [...text]
          .map((char) => {
            const code = char.codePointAt(0)!;
            if (!acted(code)) return char;
            return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
          })
          .join('');
        expect(visible(text)).toBe(expected);
      }),
    );
  });
});

describe('safeJsonLine', () => {
  it('is JSON that reads back to the same value and carries no character a terminal acts on', () => {
    fc.assert(
      fc.property(fc.dictionary(hostile, hostile), (value) => {
        const line = safeJsonLine({ value });
        expect(JSON.parse(line)).toEqual({ value });
        expect([...line].filter((char) => acted(char.codePointAt(0)!))).toEqual([]);
      }),
    );
  });
});
