/**
 * npm's SPDX parser and corrector, loaded by license.ts only when a run's --license is not the default: their
 * lists of licence ids take milliseconds to set up, which every other run would pay.
 */
export { default as parseSpdx } from 'spdx-expression-parse';
export { default as correctSpdx } from 'spdx-correct';
