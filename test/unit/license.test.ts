import { describe, expect, it } from 'vitest';
import { checkLicense, licenseFile } from '../../src/license/license.js';

const answers = { license: 'MIT', copyrightHolder: 'Jane Doe', copyrightYear: 2031, name: 'weather' };

describe('--license', () => {
  it('accepts SPDX ids and expressions and UNLICENSED, and suggests the id for a near miss', async () => {
    for (const value of ['MIT', 'Apache-2.0', 'MIT OR Apache-2.0', '(MIT AND BSD-3-Clause)', 'GPL-3.0-or-later', 'UNLICENSED']) {
      expect(await checkLicense(value), value).toBeUndefined();
    }
    expect(await checkLicense('mit')).toBe('is not an SPDX license identifier or expression (did you mean MIT?)');
    expect(await checkLicense('Apache 2')).toMatch(/did you mean Apache-2\.0\?/);
    expect(await checkLicense('whatever I like')).toMatch(/such as MIT, Apache-2\.0 or "MIT OR Apache-2\.0" \(UNLICENSED for none\)$/);
  });

  it("fills GitHub's placeholders: year, holder and project", async () => {
    const mit = await licenseFile(answers);
    expect(mit.content).toMatch(/^MIT License\n\nCopyright \(c\) 2031 Jane Doe\n\nPermission is hereby granted/);
    expect(mit.content).not.toMatch(/\[(year|fullname|project)\]/);
    const bsd4 = await licenseFile({ ...answers, license: 'BSD-4-Clause' });
    expect(bsd4.content).toContain('This product includes software developed by weather.');
  });

  it('writes one text for the -only and -or-later forms, and every text of an expression under its id', async () => {
    const only = await licenseFile({ ...answers, license: 'GPL-3.0-only' });
    const later = await licenseFile({ ...answers, license: 'GPL-3.0-or-later' });
    expect(only.content).toContain('GNU GENERAL PUBLIC LICENSE');
    expect(later.content).toBe(only.content);
    const dual = (await licenseFile({ ...answers, license: 'MIT OR Apache-2.0' })).content!;
    expect(dual).toMatch(/^This project is licensed under MIT OR Apache-2\.0\. The text of each licence follows\.\n\nMIT\n---\n\nMIT License\n/);
    expect(dual).toContain('\nApache-2.0\n----------\n\n');
    expect(dual).toContain('Apache License');
  });

  it('writes no LICENSE, and says why, when a text is missing, incomplete, or for UNLICENSED', async () => {
    expect(await licenseFile({ ...answers, license: 'UNLICENSED' })).toEqual({
      content: undefined,
      reason: '--license UNLICENSED: no LICENSE file, as no licence is granted',
    });
    const unknown = await licenseFile({ ...answers, license: 'CC-BY-NC-4.0' });
    expect(unknown.content).toBeUndefined();
    expect(unknown.reason).toBe(
      'No LICENSE file written: the generator has no complete text for CC-BY-NC-4.0. Add the text yourself ' +
        '(https://spdx.org/licenses/CC-BY-NC-4.0.html); package.json says "CC-BY-NC-4.0".',
    );
    // NCSA's text needs the project's URL, which the generator does not know.
    expect((await licenseFile({ ...answers, license: 'NCSA' })).reason).toMatch(/no complete text for NCSA\./);
    expect((await licenseFile({ ...answers, license: 'Apache-2.0 WITH LLVM-exception' })).reason).toMatch(/no complete text for LLVM-exception\./);
  });
});
