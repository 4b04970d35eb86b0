/**
 * The licence texts GitHub offers (choosealicense.com), by SPDX id. The build replaces this module: the
 * published package reads them, compressed, from dist/vendor (scripts/build.mjs), and only when a run
 * writes a LICENSE.
 */
export type LicenseTexts = Readonly<Record<string, { readonly body: string } | undefined>>;

export async function licenseTexts(): Promise<LicenseTexts> {
  const { default: texts } = await import('@rexxars/choosealicense-list/licenses.json', { with: { type: 'json' } });
  return texts;
}
