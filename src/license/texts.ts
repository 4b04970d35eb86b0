/**
 * The licence texts GitHub offers (choosealicense.com), by its id. The build replaces this module: the
 * published package has MIT's text inline (the default, written by most runs) and reads the others,
 * compressed, from dist/vendor (scripts/build.mjs) only when a run asks for one.
 */
export async function licenseText(id: string): Promise<string | undefined> {
  const { default: texts } = await import('@rexxars/choosealicense-list/licenses.json', { with: { type: 'json' } });
  return (texts as Record<string, { body: string } | undefined>)[id]?.body;
}
