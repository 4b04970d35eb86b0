// Bundles the CLI into dist/ so the published package has no runtime dependencies and `npm create`
// downloads exactly one package.
//
// Start-up time matters (a generation should cost little more than starting Node), so:
// - dist/index.cjs is one self-contained file: a second module costs a load of its own on every run. The
//   code for --template, --preset and --from is in it but only evaluated when one is given (a dynamic
//   import() of our own code stays in the bundle, wrapped to run on first use);
// - packages that only some runs need (execa for install and git, prompts on a terminal,
//   the full Handlebars compiler for templates read at run time, semver and tar for --template) are each
//   bundled into their own self-contained file under dist/vendor/, loaded by the dynamic import() that
//   asks for them;
// - the built-in templates are precompiled here, so a run needs only the small Handlebars runtime.
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
rmSync(path.join(root, 'dist'), { recursive: true, force: true });

/** Packages loaded with `await import(...)` on the paths that need them; each becomes dist/vendor/<name>.js. */
const LAZY_PACKAGES = {
  execa: "export * from 'execa';",
  prompts: "export { default } from 'prompts';",
  handlebars: "export { default } from 'handlebars';",
  // npm's own range rules and tar reader, for team templates (--template) only. Only the functions the
  // generator calls, from their own modules, so the package stays small; the source imports the same
  // names from the whole package.
  semver:
    "export { default as satisfies } from 'semver/functions/satisfies.js'; export { default as validRange } from 'semver/ranges/valid.js';" +
    " export { default as gt } from 'semver/functions/gt.js'; export { default as valid } from 'semver/functions/valid.js';",
  tar: "export { list } from 'tar/list'; export { extract } from 'tar/extract';",
  // `update` and `add`: the 3-way merge, and the unified diff of --dry-run.
  'node-diff3': "export { merge } from 'node-diff3';",
  diff: "export { createTwoFilesPatch } from 'diff';",
};

/**
 * The licence texts for --license, brotli-compressed (a third of their gzip size in the tarball), with only
 * each text (`body`) kept. src/license/texts.ts is replaced by a reader of this file, with MIT's text inline.
 */
const LICENSE_TEXTS = 'vendor/license-texts.json.br';
function licenseBodies() {
  const licenses = JSON.parse(readFileSync(path.join(root, 'node_modules/@rexxars/choosealicense-list/licenses.json'), 'utf8'));
  return Object.fromEntries(Object.entries(licenses).map(([id, license]) => [id, { body: license.body }]));
}
function writeLicenseTexts() {
  const compressed = brotliCompressSync(JSON.stringify(licenseBodies()), { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(path.join(root, 'dist', LICENSE_TEXTS), compressed);
  console.log(`${`dist/${LICENSE_TEXTS}`.padEnd(32)} ${(compressed.length / 1024).toFixed(0).padStart(4)} kB`);
}

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'esm',
  minify: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // Handlebars uses source-map only to map compiled templates back to their source, which the generator
  // never asks for; without it Handlebars falls back to its own small shim.
  alias: { 'source-map': './scripts/empty-module.cjs' },
  // Bundled CommonJS packages (handlebars, prompts) call require(); give each ESM file one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

// 1. Precompile the built-in templates with the generator's own code (src/render/precompile.ts).
const precompiler = await build({ ...shared, entryPoints: ['src/render/precompile.ts'], packages: 'external', minify: false, write: false, banner: {} });
const precompilerFile = path.join(root, '.precompile.tmp.mjs');
writeFileSync(precompilerFile, precompiler.outputFiles[0].text);
let precompiledSource;
try {
  const { precompiledModuleSource } = await import(`file://${precompilerFile}`);
  precompiledSource = precompiledModuleSource(path.join(root, 'templates'));
} finally {
  rmSync(precompilerFile);
}

const plugins = [
  {
    name: 'precompiled-templates',
    setup(b) {
      b.onLoad({ filter: /src[\\/]render[\\/]precompiled\.ts$/ }, () => ({ contents: precompiledSource, loader: 'js' }));
    },
  },
  {
    // The `host` command is its own ES module, dist/host.js, loaded by the import() that asks for it.
    name: 'host-command',
    setup(b) {
      b.onResolve({ filter: /^\.\/host\/index\.js$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './host.js', external: true } : undefined));
    },
  },
  {
    name: 'license-texts',
    setup(b) {
      b.onLoad({ filter: /src[\\/]license[\\/]texts\.ts$/ }, () => ({
        contents:
          "import { readFileSync } from 'node:fs'; import { brotliDecompressSync } from 'node:zlib';" +
          `const MIT = ${JSON.stringify(licenseBodies().MIT.body)}; let texts;` +
          `export async function licenseText(id) { if (id === 'MIT') return MIT;` +
          ` texts ??= JSON.parse(brotliDecompressSync(readFileSync(new URL('./${LICENSE_TEXTS}', import.meta.url))).toString('utf8'));` +
          ' return texts[id]?.body; }',
        loader: 'js',
      }));
    },
  },
  {
    name: 'lazy-packages',
    setup(b) {
      const names = new RegExp(`^(${Object.keys(LAZY_PACKAGES).join('|')})$`);
      b.onResolve({ filter: names }, (args) =>
        args.kind === 'dynamic-import' ? { path: `./vendor/${args.path}.js`, external: true } : undefined,
      );
    },
  },
];

// 2. The entry, and one self-contained file per lazily loaded package.
const results = await Promise.all([
  build({
    ...shared,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.cjs',
    // CommonJS: the bin starts it without Node's ES module loader, a few milliseconds sooner on every run.
    // The vendor files stay ES modules, loaded by import(); import.meta.url becomes this file's URL.
    format: 'cjs',
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { __GENERATOR_VERSION__: JSON.stringify(version), 'import.meta.url': '__importMetaUrl' },
    plugins,
  }),
  // The host resolves @modelcontextprotocol/client at run time, from the project it drives (src/host/sdk.ts).
  build({ ...shared, entryPoints: ['src/host/index.ts'], outfile: 'dist/host.js' }),
  ...Object.entries(LAZY_PACKAGES).map(([name, contents]) =>
    build({ ...shared, stdin: { contents, resolveDir: root }, outfile: `dist/vendor/${name}.js` }),
  ),
]);

// The bundle reads the built-in templates' manifests and plain files from dist/templates; files with
// expressions are precompiled into the bundle, so their sources (in templates/) are not shipped twice.
cpSync(path.join(root, 'templates'), path.join(root, 'dist/templates'), {
  recursive: true,
  filter: (source) => statSync(source).isDirectory() || !readFileSync(source, 'utf8').includes('{{'),
});

writeLicenseTexts();

for (const result of results) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    console.log(`${file.padEnd(32)} ${(output.bytes / 1024).toFixed(0).padStart(4)} kB`);
  }
}

// 3. MIT and ISC ask that the copyright notice travel with the code, so every bundled package's licence
// goes into one file next to the bundle.
const packages = new Map();
for (const result of results) {
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.set(match[1], input.slice(0, match.index + match[0].length - 1));
  }
}
packages.set('@rexxars/choosealicense-list', path.join(root, 'node_modules/@rexxars/choosealicense-list'));
const notices = [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const licenseFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)/i.test(file));
  const text = licenseFile ? readFileSync(path.join(dir, licenseFile), 'utf8').trim() : `License: ${pkg.license}`;
  return `${name}@${pkg.version} (${pkg.license})\n\n${text}`;
});
writeFileSync('dist/THIRD-PARTY-LICENSES.txt', `${notices.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`);
console.log(`dist/THIRD-PARTY-LICENSES.txt   ${packages.size} bundled packages`);
