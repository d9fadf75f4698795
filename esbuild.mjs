// Builds everything under dist/:
//   extension.js      the VS Code extension (CommonJS, `vscode` external)
//   cli.js            the `effopt` command (CommonJS with a shebang)
//   webview/*         the report UI (browser IIFE + CSS)
//   harness/*         the sandbox harnesses that run generated code in child processes
//   test/vscode/*     tests that run inside a real VS Code extension host (not packaged)
//   tree-sitter.wasm + grammars/*.wasm + grammars/<language>/*.scm
// and ends by loading every grammar once, failing loudly if one does not load.
//
//   node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// web-tree-sitter's ESM build breaks Parser.init inside a CommonJS bundle without a warning:
// always bundle its CommonJS build.
// Direct dependencies sit at the top of node_modules (npm ci); some block `pkg/package.json` in exports.
const pkgDir = (name) => join(root, 'node_modules', name);
const webTreeSitterCjs = join(pkgDir('web-tree-sitter'), 'tree-sitter.cjs');

/** Grammar wasm files shipped with the pinned grammar packages (one tree-sitter generation). */
export const grammarFiles = {
  javascript: ['tree-sitter-javascript', 'tree-sitter-javascript.wasm'],
  typescript: ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  tsx: ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
  python: ['tree-sitter-python', 'tree-sitter-python.wasm'],
};

// effopt's version, from package.json, for `effopt --version` and reports (src/core/setup.ts).
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

const common = {
  bundle: true,
  define: { __EFFOPT_VERSION__: JSON.stringify(version) },
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': webTreeSitterCjs },
  // The native tree-sitter binding is optional (CLI only) and cannot be bundled.
  external: ['vscode', 'tree-sitter', 'tree-sitter-javascript', 'tree-sitter-typescript', 'tree-sitter-python'],
};

const exists = (p) => existsSync(join(root, p));
const testEntries = exists('test/vscode/suite')
  ? readdirSync(join(root, 'test/vscode/suite'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/vscode/suite/${f}`)
  : [];

/** Every bundle; an entry whose source does not exist yet is skipped. */
const bundles = [
  { entryPoints: { extension: 'src/extension/extension.ts' }, outdir: dist },
  { entryPoints: { cli: 'src/cli/main.ts' }, outdir: dist, banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: { 'harness/node': 'src/core/exec/sandbox/harness/node-harness.ts' }, outdir: dist },
  { entryPoints: { main: 'src/webview/main.ts' }, outdir: join(dist, 'webview'), platform: 'browser', format: 'iife', target: 'es2022' },
  // mocha is loaded from node_modules at test time (it resolves its own files at run time).
  {
    entryPoints: ['test/vscode/index.ts', ...testEntries],
    outdir: join(dist, 'test/vscode'),
    outbase: 'test/vscode',
    minify: false,
    sourcemap: 'inline',
    external: [...common.external, 'mocha'],
  },
]
  .filter((b) => Object.values(b.entryPoints).every((e) => exists(e)))
  // A production build is what gets packaged: no test bundles.
  .filter((b) => !(production && b.outdir.startsWith(join(dist, 'test'))));

function copyAssets() {
  mkdirSync(join(dist, 'grammars'), { recursive: true });
  cpSync(join(pkgDir('web-tree-sitter'), 'tree-sitter.wasm'), join(dist, 'tree-sitter.wasm'));
  for (const [pkg, file] of Object.values(grammarFiles)) {
    cpSync(join(pkgDir(pkg), file), join(dist, 'grammars', file));
  }
  // Query files (*.scm), one folder per language.
  if (exists('grammars'))
    cpSync(join(root, 'grammars'), join(dist, 'grammars'), { recursive: true, filter: (src) => statSync(src).isDirectory() || src.endsWith('.scm') });
  // Runtime files next to the bundles: the Python harness, the webview's CSS.
  if (exists('src/core/exec/sandbox/harness/python_harness.py'))
    cpSync(join(root, 'src/core/exec/sandbox/harness/python_harness.py'), join(dist, 'harness/python_harness.py'));
  if (exists('media/report.css')) {
    mkdirSync(join(dist, 'webview'), { recursive: true });
    cpSync(join(root, 'media/report.css'), join(dist, 'webview/report.css'));
  }
}

/** Loads each grammar through the bundled runtime files, as the extension will. */
async function verifyGrammars() {
  const { Parser, Language } = require(webTreeSitterCjs);
  await Parser.init({ locateFile: () => join(dist, 'tree-sitter.wasm') });
  const samples = {
    javascript: 'function f(a) { return a + 1 }',
    typescript: 'function f(a: number): number { return a }',
    tsx: 'const C = () => <div/>;',
    python: 'def f(a):\n    return a\n',
  };
  for (const [name, [, file]] of Object.entries(grammarFiles)) {
    let lang;
    try {
      lang = await Language.load(join(dist, 'grammars', file));
    } catch (err) {
      throw new Error(`grammar ${name} (${file}) does not load in web-tree-sitter: ${err?.message ?? err}`);
    }
    const parser = new Parser();
    parser.setLanguage(lang);
    const tree = parser.parse(samples[name]);
    const ok = tree && !tree.rootNode.hasError;
    tree?.delete();
    parser.delete();
    if (!ok) throw new Error(`grammar ${name} (${file}) loaded but failed to parse a trivial sample`);
  }
  console.log(`[build] grammars load: ${Object.keys(grammarFiles).join(', ')} (ABI ok)`);
}

async function main() {
  // Only a production build starts clean: parallel dev builds must not pull dist/ from under tests.
  if (production) rmSync(dist, { recursive: true, force: true });
  copyAssets();
  const started = Date.now();
  if (watch) {
    for (const b of bundles) await (await esbuild.context({ ...common, ...b })).watch();
    console.log('[build] watching');
    return;
  }
  await Promise.all(bundles.map((b) => esbuild.build({ ...common, ...b })));
  console.log(`[build] ${bundles.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
  await verifyGrammars();
}

main().catch((err) => {
  console.error(`[build] FAILED: ${err?.stack ?? err}`);
  process.exit(1);
});
