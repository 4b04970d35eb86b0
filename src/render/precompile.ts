/**
 * Build-time only: turns templates/<name>/ folders into the source of a module that replaces
 * precompiled.ts in the bundle. It uses the same listing, manifest and compile options as a run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import handlebars from 'handlebars';
import { COMPILE_OPTIONS } from './engine.js';
import { hasExpressions, listPartials, listTemplateFiles, readManifest } from './render.js';

export function precompiledModuleSource(templatesRoot: string): string {
  const entries = readdirSync(templatesRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = path.join(templatesRoot, entry.name);
      const files = listTemplateFiles(dir).map((file) => {
        const source = readFileSync(path.join(dir, file), 'utf8');
        // Plain files are read from templates/ at run time: the package ships that folder anyway.
        const spec = hasExpressions(source) ? `, spec: ${handlebars.precompile(source, COMPILE_OPTIONS) as string}` : '';
        return `{ path: ${JSON.stringify(file)}${spec} }`;
      });
      // Partials are always precompiled: an empty hook still has to be a function a template can call.
      const partials = listPartials(dir).map(
        ({ name, file }) => `${JSON.stringify(name)}: ${handlebars.precompile(readFileSync(file, 'utf8'), COMPILE_OPTIONS) as string}`,
      );
      return (
        `${JSON.stringify(entry.name)}: { manifest: ${JSON.stringify(readManifest(dir))}, ` +
        `files: [\n${files.join(',\n')}\n], partials: {\n${partials.join(',\n')}\n} }`
      );
    });
  return `export const PRECOMPILED = {\n${entries.join(',\n')}\n};\n`;
}
