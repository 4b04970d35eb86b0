import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLiteral, markdownText, yamlLiteral } from '../../src/render/literals.js';

describe('jsonLiteral', () => {
  it('evaluates back to the same value as TypeScript/JavaScript', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(new Function(`return ${jsonLiteral(text)};`)()).toBe(text);
      }),
    );
  });
  it('refuses values with no literal form', () => {
    expect(() => jsonLiteral(undefined)).toThrow(/cannot write/);
  });
});

describe('yamlLiteral', () => {
  it('is a double-quoted scalar', () => {
    expect(yamlLiteral('a: "b" # c')).toBe('"a: \\"b\\" # c"');
  });
});

describe('markdownText', () => {
  it('escapes every ASCII punctuation character and nothing else', () => {
    expect(markdownText('# *hi* <b>&amp;</b> [x](y) `z` é')).toBe('\\# \\*hi\\* \\<b\\>\\&amp\\;\\<\\/b\\> \\[x\\]\\(y\\) \\`z\\` é');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(markdownText(text).replace(/\\([!-/:-@[-`{-~])/g, '$1')).toBe(text);
      }),
    );
  });
});
