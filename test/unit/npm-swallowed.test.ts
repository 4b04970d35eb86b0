import { describe, expect, it } from 'vitest';
import { takeBackFromNpm } from '../../src/options/npm-swallowed.js';
import { OPTION_ENTRIES } from '../../src/options/table.js';
import { GENERATOR_VERSION } from '../../src/version.js';

const npmCreate = (config: Record<string, string>) => ({ npm_command: 'init', ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`npm_config_${key}`, value])) });

describe('flags npm kept for itself (npm create without --)', () => {
  it('stops and shows the command with -- for every option npm took, values and --no- flags included', () => {
    const env = npmCreate({ tool: 'ask', dry_run: 'true', install: '', max_tokens: '512' });
    expect(() => takeBackFromNpm(['my-app'], OPTION_ENTRIES, env)).toThrow(
      `npm kept --dry-run, --tool, --max-tokens, --no-install for itself: with npm create, the generator's options go after \`--\`. Nothing was written. Run:\n` +
        `  npm create mcp-sampling-server@${GENERATOR_VERSION} my-app -- --dry-run --tool ask --max-tokens 512 --no-install`,
    );
  });

  it('gives a valued option npm took for a switch the word it left among the folders (--tool ask)', () => {
    // What real npm 11 passes for `npm create mcp-sampling-server app --tool ask --max-tokens 99 --no-git`.
    const env = npmCreate({ tool: 'true', max_tokens: 'true', git: 'false' });
    expect(() => takeBackFromNpm(['app', 'ask', '99'], OPTION_ENTRIES, env)).toThrow(
      /npm kept --tool, --max-tokens, --no-git for itself.*\n  npm create mcp-sampling-server@\S+ app -- --tool ask --max-tokens 99 --no-git$/s,
    );
  });

  it('keeps the flags that did arrive, after the --', () => {
    const env = npmCreate({ transport: 'true' });
    expect(() => takeBackFromNpm(['my-app', 'HTTP', '--sdk', 'v1'], OPTION_ENTRIES, env)).toThrow(/my-app HTTP -- --sdk v1 --transport\n?$/);
  });

  it('honours --yes, which means "do not ask" to npm and to the generator alike', () => {
    expect(takeBackFromNpm(['my-app'], OPTION_ENTRIES, npmCreate({ yes: 'true' }))).toEqual(['my-app', '--yes']);
    expect(takeBackFromNpm(['my-app', '--yes'], OPTION_ENTRIES, npmCreate({ yes: 'true' }))).toEqual(['my-app', '--yes']);
    // `npx create-mcp-sampling-server verify` in CI with npm_config_yes=true: verify asks nothing and takes no --yes.
    expect(takeBackFromNpm(['verify', 'my-app'], OPTION_ENTRIES, npmCreate({ yes: 'true' }))).toEqual(['verify', 'my-app']);
  });

  it('leaves everything alone outside npm create, and when the flags arrived', () => {
    expect(takeBackFromNpm(['my-app'], OPTION_ENTRIES, { npm_command: 'test', npm_config_tool: 'ask' })).toEqual(['my-app']);
    expect(takeBackFromNpm(['my-app', '--tool', 'ask'], OPTION_ENTRIES, npmCreate({ tool: 'ask' }))).toEqual(['my-app', '--tool', 'ask']);
    expect(takeBackFromNpm(['my-app'], OPTION_ENTRIES, {})).toEqual(['my-app']);
  });
});
