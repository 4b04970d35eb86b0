import { describe, expect, it } from 'vitest';
import {
  checkModelHint,
  checkPackageName,
  checkText,
  checkToolName,
  closest,
  editDistance,
  toPackageName,
} from '../../src/options/validate.js';

describe('checkPackageName', () => {
  it.each(['my-server', '@acme/my-server', 'a', 'server.v2', 'x_y-z'])('accepts %s', (name) => {
    expect(checkPackageName(name)).toBeUndefined();
  });
  it.each([
    ['My-Server', /capital letters/],
    ['my server', /URL-friendly/],
    ['.hidden', /period/],
    ['', /must be greater than zero/],
    ['node_modules', /not a valid package name|blocklisted|node_modules/],
    ['@acme/', /URL-friendly|name/],
    ['a'.repeat(215), /214/],
  ])('refuses %j', (name, reason) => {
    expect(checkPackageName(name)).toMatch(reason);
  });
});

describe('toPackageName', () => {
  it.each([
    ['my-server', 'my-server'],
    ['My Server', 'my-server'],
    ['  Weather  App ', 'weather-app'],
    ['.dotted', 'dotted'],
    ['a!!b', 'a-b'],
    ['tilde~name', 'tilde-name'],
    ['Ünïcode Ñame', 'unicode-name'],
    ['Crème brûlée', 'creme-brulee'],
    ['ﬁle Ⅻ', 'file-xii'],
    ['日本', undefined],
    ['---', undefined],
  ])('%j -> %j', (folder, name) => {
    expect(toPackageName(folder)).toBe(name);
  });
});

describe('checkToolName', () => {
  it.each(['summarize', 'test_sampling', 'code-patterns', 'A1', 'a'.repeat(64)])('accepts %s', (name) => {
    expect(checkToolName(name)).toBeUndefined();
  });
  it.each([
    ['', /empty/],
    ['a'.repeat(65), /65 characters.*64/],
    ['has space', /letters, digits/],
    ['dotted.name', /dots/],
    ['slash/name', /letters, digits/],
    ['émoji', /letters, digits/],
  ])('refuses %j', (name, reason) => {
    expect(checkToolName(name)).toMatch(reason);
  });
});

describe('checkText', () => {
  it('accepts any printable Unicode, quotes and template syntax', () => {
    expect(checkText('say "hi" & <b>{{x}}</b> `${y}` */ é 日本 🚀', 500)).toBeUndefined();
  });
  it.each([
    ['line\nbreak', /single line/],
    ['tab\tinside', /U\+0009/],
    ['bell\u0007', /U\+0007/],
    [' padded', /spaces/],
    ['lone \ud800 surrogate', /surrogate/],
    ['x'.repeat(501), /501 characters/],
  ])('refuses %j', (text, reason) => {
    expect(checkText(text, 500)).toMatch(reason);
  });
});

describe('checkModelHint', () => {
  it('accepts model name fragments and refuses empty ones', () => {
    expect(checkModelHint('claude-sonnet')).toBeUndefined();
    expect(checkModelHint('')).toMatch(/empty/);
  });
});

describe('closest', () => {
  it('suggests a near flag and nothing for a far one', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('tol', ['tool', 'transport', 'name'])).toBe('tool');
    expect(closest('max-token', ['max-tokens', 'token-budget'])).toBe('max-tokens');
    expect(closest('zzzzzz', ['tool', 'name'])).toBeUndefined();
  });

  it('ignores case, so a value typed in capitals finds its choice', () => {
    expect(closest('HTTP', ['stdio', 'http', 'both'])).toBe('http');
    expect(closest('Code-Patterns', ['summarize', 'code-patterns', 'ask'])).toBe('code-patterns');
    expect(closest('Tool', ['tool', 'transport'])).toBe('tool');
  });
});
