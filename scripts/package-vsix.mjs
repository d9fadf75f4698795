// Packages dist/ into effopt-<version>.vsix with @vscode/vsce (everything is bundled, so no
// node_modules go in) and prints the size against the 5 MB budget.
import { createVSIX } from '@vscode/vsce';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `effopt-${version}.vsix`);
const BUDGET = 5 * 1024 * 1024;

// README images are relative (media/screenshot.png ships in the VSIX, where VS Code's extension
// page finds it); there is no public repository to rewrite them to.
await createVSIX({ cwd: root, packagePath: out, dependencies: false, allowMissingRepository: true, skipLicense: false, rewriteRelativeLinks: false });
const size = statSync(out).size;
const mb = (size / 1024 / 1024).toFixed(2);
console.log(`[package] ${out}: ${mb} MB (budget 5 MB)`);
console.log(JSON.stringify({ vsix: out, bytes: size, budgetBytes: BUDGET, withinBudget: size <= BUDGET }));
if (size > BUDGET) {
  console.error(`[package] VSIX is over budget: ${mb} MB > 5 MB`);
  process.exit(1);
}
