// For contributors with a desktop VS Code: runs the same extension-host tests through
// @vscode/test-electron against an installed VS Code (no download). CI uses run-code-server.mjs.
//
//   VSCODE_EXECUTABLE=/usr/share/code/code npm run test:electron
//   node test/vscode/run-electron.mjs --vscode /Applications/Visual\ Studio\ Code.app/Contents/MacOS/Electron
import { runTests } from '@vscode/test-electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, removeQuietly, repoRoot, tempDir } from './code-server.mjs';

const argv = process.argv.slice(2);
const vscodeExecutablePath = argv.includes('--vscode') ? argv[argv.indexOf('--vscode') + 1] : process.env.VSCODE_EXECUTABLE;
if (!vscodeExecutablePath || !existsSync(vscodeExecutablePath)) {
  console.error('Give the desktop VS Code executable with --vscode <path> or VSCODE_EXECUTABLE (this runner never downloads VS Code).');
  process.exit(2);
}
const work = tempDir('effopt-electron-test-');
const workspace = join(work, 'workspace');
copyWorkspace(workspace);
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'dist', 'test', 'vscode', 'index.js'),
    extensionTestsEnv: { EFFOPT_TEST_WORKSPACE: workspace },
    launchArgs: [workspace, '--disable-extensions', '--user-data-dir', join(work, 'user-data'), '--skip-welcome', '--skip-release-notes'],
  });
} catch (err) {
  console.error(`[electron-test] ${err?.message ?? err}`);
  process.exitCode = 1;
} finally {
  removeQuietly(work);
}
