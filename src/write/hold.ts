/** The folder a run writes into, held for the run: locked, and cleaned of what interrupted runs left. */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { Ui } from '../report/ui.js';
import { lockFolder } from './lock.js';
import { recoverInterruptedWrite } from './write.js';

/**
 * Runs `task` (plan and write) holding `directory`: an existing folder is locked, so a second run refuses
 * instead of mixing its files in, and a merge a killed run left half-done is undone first.
 */
export function withFolderHeld<T>(directory: string, ui: Ui, task: () => T): T {
  const target = path.resolve(directory);
  const release = lstatSync(target, { throwIfNoEntry: false })?.isDirectory() ? lockFolder(target, directory) : () => {};
  try {
    const note = recoverInterruptedWrite(target);
    if (note) ui.warn(note);
    return task();
  } finally {
    release();
  }
}
