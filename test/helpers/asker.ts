import type { Asker } from '../../src/options/resolve.js';

const refuse = async (): Promise<never> => {
  throw new Error('no question may be asked without a terminal');
};

/** For runs without a terminal: any question is a test failure. */
export const noTerminal: Asker = { wantsAdvanced: refuse, ask: refuse };
