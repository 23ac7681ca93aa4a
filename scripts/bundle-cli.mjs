// Bundles the CLI (dist/cli/main.js, as tsc emitted it) into one file, dist/cli/spacedrive.cjs, and writes the
// `spacedrive` binary, dist/cli/spacedrive.js, which runs it through V8's code cache (src/cli/code-cache.ts).
// Loading ~250 modules of ours and ~200 of zod, clipanion and tsyringe one by one cost a CLI run about 0.3 s of CPU
// before it did anything (resolving, reading and compiling each); one file costs a fraction of that, and one whose
// compiled code comes from the cache a fraction again. CommonJS because Node 20 caches code only for scripts
// (vm.Script), not for ES modules.
// Left outside: msgpackr (which loads its optional native extension by itself). better-sqlite3's script is bundled, with
// the one call that finds its addon replaced (see `sqliteAddon`): requiring it from node_modules cost every command
// ~10 ms of resolving and compiling. The hashing threads load their own modules from dist/ as tsc emitted them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist/cli/spacedrive.cjs');
const launcher = path.join(root, 'dist/cli/spacedrive.js');
/** Packages the bundle requires at run time rather than holds (see above). */
const EXTERNAL = ['msgpackr'];

/**
 * `import.meta.url` in a bundled module would name the bundle (and CommonJS has none): each module's is made the URL
 * it had in dist/, so what it resolves relative to itself (a worker's script, the package root) is found where tsc
 * put it.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'js' };
      const relative = path.relative(path.dirname(outfile), args.path).split(path.sep).join('/');
      const url = `new URL(${JSON.stringify(relative)}, __bundleUrl).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * better-sqlite3 finds its addon through the `bindings` package, which looks beside the file that called it: from the
 * bundle, beside dist/cli. The bundled copy requires the addon where npm builds or downloads it instead. A
 * better-sqlite3 that loads its addon otherwise fails the build here rather than every command at run time.
 */
const SQLITE_ADDON_CALL = "require('bindings')('better_sqlite3.node')";
const sqliteAddon = {
  name: 'better-sqlite3-addon',
  setup(b) {
    b.onLoad({ filter: /[\\/]better-sqlite3[\\/]lib[\\/]database\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(SQLITE_ADDON_CALL)) throw new Error(`${args.path} no longer loads its addon with ${SQLITE_ADDON_CALL}: see scripts/bundle-cli.mjs`);
      const direct = "require(require('node:module').createRequire(__filename).resolve('better-sqlite3/build/Release/better_sqlite3.node'))";
      return { contents: source.replace(SQLITE_ADDON_CALL, direct), loader: 'js' };
    });
  },
};

const result = await build({
  entryPoints: [path.join(root, 'dist/cli/main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: EXTERNAL,
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: 'linked',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [moduleUrls, sqliteAddon],
  write: false, // written below, once checked: a refused build leaves dist/cli as it was
});

const bundle = result.outputFiles.find((f) => f.path === outfile).text;
// vm.Script runs the bundle without a module loader: an import() left in it (of a package kept outside) would fail
// when called, so the build fails now instead. esbuild turns the import() of a bundled module into a require.
if (/\bimport\s*\(/.test(bundle)) throw new Error(`${outfile} holds an import(): load that package with require`);
// The packages left outside are require()d by the bundle: one that ships only ES modules would fail at run time
// (ERR_REQUIRE_ESM on Node 20), so the build loads each the way the bundle will.
const requireFromBundle = createRequire(outfile);
for (const name of EXTERNAL) {
  try {
    requireFromBundle(name);
  } catch (err) {
    throw new Error(`the bundle cannot require ${name} (${err.code ?? err.message}): bundle it, or load it otherwise`);
  }
}
// The build id names the code caches of this bundle: a rebuilt bundle never reads the code of another.
const buildId = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
for (const f of result.outputFiles) await writeFile(f.path, f.contents);
await writeFile(
  launcher,
  `#!/usr/bin/env node
// The \`spacedrive\` binary: runs the bundled CLI (spacedrive.cjs) with V8's code cache. Written by scripts/bundle-cli.mjs.
import { fileURLToPath } from 'node:url';
import { runBundle } from './code-cache.js';

runBundle(fileURLToPath(new URL('./spacedrive.cjs', import.meta.url)), ${JSON.stringify(buildId)}, process.argv.slice(2));
`,
);
await chmod(launcher, 0o755);
