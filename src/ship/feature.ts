/**
 * --ship: the `ship/` template layer (workflows, scripts, tests, the README's publishing section) and the
 * release files, server.json and manifest.json. Those are written by the project's own
 * scripts/release-files.mjs, the same code `npm version` runs in the project, so they cannot start out
 * different from what the project would write itself.
 */
import { StepError } from '../errors.js';
import type { RenderedFile } from '../render/render.js';
import type { TemplateContext } from '../render/context.js';
// Bundled into the generator from the template it ships.
import { releaseFiles } from '../../templates/ship/scripts/release-files.mjs';

export const SHIP_TEMPLATE = 'ship';

function contentOf(files: readonly RenderedFile[], file: string): string {
  const found = files.find((candidate) => candidate.path === file);
  if (found === undefined) throw new StepError(`--ship needs the project's ${file}, and no template layer wrote one`);
  return found.content;
}

/** A release file a team template wrote is the starting point, so its own fields (remotes, icons) are kept. */
function teamVersionOf(files: readonly RenderedFile[], file: string): Record<string, unknown> | undefined {
  const found = files.find((candidate) => candidate.path === file);
  return found === undefined ? undefined : (JSON.parse(found.content) as Record<string, unknown>);
}

/**
 * The project's files with server.json and manifest.json written from the rendered package.json and README plus
 * what only the answers know: the transport, the public URL, and whether there is a bundle at all.
 */
export function releaseFilesOf(files: readonly RenderedFile[], context: TemplateContext): RenderedFile[] {
  const transport = context.stdio
    ? { type: 'stdio' }
    : // A host that installs the npm package starts it and connects to the port its PORT setting names.
      { type: 'streamable-http', url: 'http://127.0.0.1:{PORT}/mcp' };
  const team = teamVersionOf(files, 'server.json') ?? {};
  const [teamPackage = {}, ...otherPackages] = (team.packages as Record<string, unknown>[] | undefined) ?? [];
  const { serverJson, manifestJson } = releaseFiles({
    packageJson: JSON.parse(contentOf(files, 'package.json')),
    readme: contentOf(files, 'README.md'),
    serverJson: {
      ...team,
      packages: [{ ...teamPackage, transport }, ...otherPackages],
      ...(context.publicUrl !== '' && { remotes: [{ type: 'streamable-http', url: context.publicUrl }] }),
    },
    // Desktop hosts start a bundle over stdio, so an HTTP-only server has no bundle (nor a team's manifest).
    manifestJson: context.stdio
      ? (teamVersionOf(files, 'manifest.json') ?? { display_name: context.binName, compatibility: { platforms: ['darwin', 'linux', 'win32'] } })
      : undefined,
  });
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const written = [
    { path: 'server.json', content: json(serverJson) },
    ...(manifestJson === undefined ? [] : [{ path: 'manifest.json', content: json(manifestJson) }]),
  ];
  return [...files.filter((file) => file.path !== 'server.json' && file.path !== 'manifest.json'), ...written];
}
