// Bundles the CLI (dist/cli/main.js, as tsc emitted it) into one file, dist/cli/spacedrive.js, the `spacedrive`
// binary. Loading ~250 modules of ours and ~200 of zod, clipanion and tsyringe one by one cost a CLI run about
// 0.3 s of CPU before it did anything (resolving, reading and compiling each); one file costs a fraction of that.
// Left outside: better-sqlite3 (a native addon) and msgpackr (which loads its optional native extension by
// itself). The hashing threads load their own modules from dist/ as tsc emitted them.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist/cli/spacedrive.js');

/**
 * `import.meta.url` in a bundled module would name the bundle: each module's is made the URL it had in dist/, so
 * what it resolves relative to itself (a worker's script, the package root) is found where tsc put it.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'js' };
      const relative = path.relative(path.dirname(outfile), args.path).split(path.sep).join('/');
      const url = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

await build({
  entryPoints: [path.join(root, 'dist/cli/main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'msgpackr'],
  // bundled CommonJS packages call require() for Node's own modules
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [moduleUrls],
});
