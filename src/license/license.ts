/**
 * --license: an SPDX expression for package.json, and the LICENSE file with its text. The texts are the ones
 * GitHub offers when it adds a licence to a repository (choosealicense.com), with the same placeholders.
 */
import type parseSpdx from 'spdx-expression-parse';
import { licenseText } from './texts.js';

/** npm's word for "no licence granted": package.json says so and no LICENSE file is written. */
export const UNLICENSED = 'UNLICENSED';

/** The default, which needs no SPDX parser: most runs never load it. */
const DEFAULT_LICENSE = 'MIT';

/** Returns the problem with `value` as an npm `license` field, phrased to follow "--license <value>: ". */
export async function checkLicense(value: string): Promise<string | undefined> {
  if (value === UNLICENSED || value === DEFAULT_LICENSE) return undefined;
  const { parseSpdx, correctSpdx } = await import('./spdx.js');
  try {
    parseSpdx(value);
    return undefined;
  } catch {
    const corrected = correctSpdx(value);
    return corrected
      ? `is not an SPDX license identifier or expression (did you mean ${corrected}?)`
      : 'is not an SPDX license identifier or expression such as MIT, Apache-2.0 or "MIT OR Apache-2.0" (UNLICENSED for none)';
  }
}

/** The SPDX ids an expression names (`(MIT OR GPL-3.0-or-later)` -> MIT, GPL-3.0-or-later), and any exception. */
function namedLicenses(info: parseSpdx.Info): { ids: string[]; exceptions: string[] } {
  if ('license' in info) {
    const exception = (info as { exception?: string }).exception;
    return { ids: [info.license + (info.plus ? '+' : '')], exceptions: exception ? [exception] : [] };
  }
  const left = namedLicenses(info.left);
  const right = namedLicenses(info.right);
  return { ids: [...new Set([...left.ids, ...right.ids])], exceptions: [...left.exceptions, ...right.exceptions] };
}

/** choosealicense.com keys the GPL family by its old ids: GPL-3.0-only, GPL-3.0-or-later and GPL-3.0+ share one text. */
function textKey(id: string): string {
  return id.replace(/(-only|-or-later|\+)$/, '');
}

export interface LicenseFile {
  /** LICENSE's content, or undefined when the generator has no complete text for the expression. */
  readonly content: string | undefined;
  /** Why there is no LICENSE file, for the run's summary. */
  readonly reason?: string;
}

export interface CopyrightAnswers {
  readonly license: string;
  readonly copyrightHolder: string;
  readonly copyrightYear: number;
  readonly name: string;
}

export async function licenseFile(answers: CopyrightAnswers): Promise<LicenseFile> {
  if (answers.license === UNLICENSED) return { content: undefined, reason: `--license ${UNLICENSED}: no LICENSE file, as no licence is granted` };
  const { ids, exceptions } =
    answers.license === DEFAULT_LICENSE ? { ids: [DEFAULT_LICENSE], exceptions: [] } : namedLicenses((await import('./spdx.js')).parseSpdx(answers.license));
  const bodies = await Promise.all(ids.map((id) => licenseText(textKey(id))));
  const missing = ids.filter((_, index) => bodies[index] === undefined);
  const filled = bodies.map((body) =>
    body
      ?.replaceAll('[year]', String(answers.copyrightYear))
      .replaceAll('[fullname]', answers.copyrightHolder)
      .replaceAll('[project]', answers.name),
  );
  // Placeholders only the user can fill (a project URL, an e-mail address) would make a LICENSE that looks done but is not.
  const unfilled = ids.filter((_, index) => /\[(projecturl|email|login)\]/.test(filled[index] ?? ''));
  const lacking = [...missing, ...unfilled, ...exceptions];
  if (lacking.length > 0) {
    return {
      content: undefined,
      reason:
        `No LICENSE file written: the generator has no complete text for ${lacking.join(', ')}. ` +
        `Add the text yourself (https://spdx.org/licenses/${lacking[0]!.replace(/\+$/, '')}.html); package.json says "${answers.license}".`,
    };
  }
  if (filled.length === 1) return { content: filled[0] };
  const sections = ids.map((id, index) => `${id}\n${'-'.repeat(id.length)}\n\n${filled[index]}`);
  return { content: [`This project is licensed under ${answers.license}. The text of each licence follows.`, ...sections].join('\n\n') };
}
