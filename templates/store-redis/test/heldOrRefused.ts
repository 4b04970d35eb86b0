import { answer, samplingMeta, type CallToolResult } from './harness.js';

/**
 * Holds every host's answer until each of `calls` calls is either waiting for its host (its reservation made) or
 * refused: then how many are waiting is how many reservations the budgets allowed at once.
 */
export function heldOrRefused(calls: number) {
  let held = 0;
  let refused = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const openWhenAllIn = () => held + refused === calls && open();
  return {
    held: () => held,
    sampling: async () => {
      held++;
      openWhenAllIn();
      await opened;
      return answer('Fine.');
    },
    refusedUnlessHeld: async (result: Promise<CallToolResult>) => {
      const done = await result;
      if (samplingMeta(done).outcome === 'budget_exhausted') {
        refused++;
        openWhenAllIn();
      }
      return done;
    },
  };
}
