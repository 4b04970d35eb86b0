import { describe, expect, it } from 'vitest';
import { commandsFor, packageManagerFromUserAgent } from '../../src/setup/package-manager.js';

describe('packageManagerFromUserAgent', () => {
  it.each([
    ['npm/11.19.1 node/v20.20.2 linux x64 workspaces/false', 'npm'],
    ['pnpm/9.12.0 npm/? node/v20.20.2 linux x64', 'pnpm'],
    ['yarn/1.22.22 npm/? node/v20.20.2 linux x64', 'yarn'],
    ['yarn/4.5.0 npm/? node/v20.20.2 linux x64', 'yarn'],
    ['bun/1.1.30 npm/? node/v22.6.0 linux x64', 'bun'],
    ['cnpm/9.0.0 node/v20', 'npm'],
    [undefined, 'npm'],
    ['', 'npm'],
  ])('%j -> %s', (agent, pm) => {
    expect(packageManagerFromUserAgent(agent)).toBe(pm);
  });
});

describe('commandsFor', () => {
  it('knows how each manager runs scripts and create packages', () => {
    expect(commandsFor('npm')).toMatchObject({ run: 'npm run', test: 'npm test', createNeedsSeparator: true });
    expect(commandsFor('bun').test).toBe('bun run test');
    expect(commandsFor('pnpm').run).toBe('pnpm');
    // yarn 1 cannot pin a create package's version; npx can.
    expect(commandsFor('yarn').create('x@1.2.3')).toBe('npx create-x@1.2.3');
    expect(commandsFor('bun').install).toEqual(['bun', 'install']);
  });

  it('shows the install command as people type it: plain yarn installs', () => {
    expect(commandsFor('yarn').installShown).toBe('yarn');
    expect(commandsFor('yarn').install).toEqual(['yarn', 'install']);
    expect(commandsFor('pnpm').installShown).toBe('pnpm install');
  });
});
