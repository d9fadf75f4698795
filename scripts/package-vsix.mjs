// Packages dist/ into effopt-<version>.vsix with @vscode/vsce (everything is bundled, so no
// node_modules go in) and prints the size against the 5 MB budget.
// package.json's "files" is the npm package's list (the CLI); the VSIX's is .vscodeignore. vsce
// refuses a folder with both, so the VSIX is packed from a staging copy without "files".
import { createVSIX } from '@vscode/vsce';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `effopt-${version}.vsix`);
const BUDGET = 5 * 1024 * 1024;

// README images are relative (media/screenshot.png ships in the VSIX, where VS Code's extension
// page finds it); there is no public repository to rewrite them to.
const stage = mkdtempSync(join(tmpdir(), 'effopt-vsix-'));
try {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  for (const p of ['.vscodeignore', 'README.md', 'LICENSE', 'CHANGELOG.md', 'media']) cpSync(join(root, p), join(stage, p), { recursive: true });
  // Tests bundled into dist/test never ship; skip copying them.
  cpSync(join(root, 'dist'), join(stage, 'dist'), { recursive: true, filter: (src) => !src.startsWith(join(root, 'dist', 'test')) });
  await createVSIX({ cwd: stage, packagePath: out, dependencies: false, allowMissingRepository: true, skipLicense: false, rewriteRelativeLinks: false });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
const size = statSync(out).size;
const mb = (size / 1024 / 1024).toFixed(2);
console.log(`[package] ${out}: ${mb} MB (budget 5 MB)`);
console.log(JSON.stringify({ vsix: out, bytes: size, budgetBytes: BUDGET, withinBudget: size <= BUDGET }));
if (size > BUDGET) {
  console.error(`[package] VSIX is over budget: ${mb} MB > 5 MB`);
  process.exit(1);
}
