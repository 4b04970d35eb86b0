import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLiteral, markdownText, tsString, yamlLiteral } from '../../src/render/literals.js';

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

describe('tsString', () => {
  it('is a single-quoted literal that evaluates back to the same text', () => {
    expect(tsString(`it's "quoted" \\ \n`)).toBe(`'it\\'s "quoted" \\\\ \\n'`);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(new Function(`return ${tsString(text)};`)()).toBe(text);
      }),
    );
  });
});

describe('yamlLiteral', () => {
  it('is a double-quoted scalar', () => {
    expect(yamlLiteral('a: "b" # c')).toBe('"a: \\"b\\" # c"');
  });
});

describe('markdownText', () => {
  it('escapes what Markdown would read as syntax, and leaves plain prose alone', () => {
    expect(markdownText('# *hi* <b>&amp;</b> [x](y) `z` é')).toBe('\\# \\*hi\\* \\<b\\>\\&amp;\\</b\\> \\[x\\](y) \\`z\\` é');
    expect(markdownText('- item')).toBe('\\- item');
    expect(markdownText('1. first, (2) second.')).toBe('1\\. first, (2) second.');
    expect(markdownText('Summarizes files (fast).')).toBe('Summarizes files (fast).');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(markdownText(text).replace(/\\([!-/:-@[-`{-~])/g, '$1')).toBe(text);
      }),
    );
  });
});
