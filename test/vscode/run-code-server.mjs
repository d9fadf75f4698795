// Runs the bundled extension-host tests (dist/test/vscode) inside a real VS Code: the VS Code
// server from code-server 4.100.3, opened in headless Chromium with the smoke-test driver, which
// reports the extension host's exit code through window.codeAutomationExit.
//
//   node test/vscode/run-code-server.mjs [--grep <regex>] [--keep]
// Ends with the line `N passed, N failed`; the exit code is non-zero when a test failed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  copyWorkspace,
  ensureCodeServer,
  findChromium,
  launchChromium,
  removeQuietly,
  repoRoot,
  startVsCodeServer,
  tempDir,
  writeUserSettings,
} from './code-server.mjs';

const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;
const keep = args.includes('--keep');
const TIMEOUT_MS = Number(process.env.EFFOPT_VSCODE_TEST_TIMEOUT_MS ?? 15 * 60_000);

async function main() {
  const testsIndex = join(repoRoot, 'dist', 'test', 'vscode', 'index.js');
  if (!existsSync(testsIndex) || !existsSync(join(repoRoot, 'dist', 'extension.js')))
    throw new Error('dist/ is missing the extension or its tests: run `npm run build` first');
  findChromium();
  ensureCodeServer();

  const work = tempDir('effopt-vscode-test-');
  const serverDataDir = join(work, 'server-data');
  writeUserSettings(join(serverDataDir, 'data'));
  const workspace = join(work, 'workspace');
  copyWorkspace(workspace);
  const testLog = join(work, 'test.log');
  writeFileSync(testLog, '');

  const serverLog = [];
  const started = Date.now();
  const server = await startVsCodeServer({
    serverDataDir,
    env: { EFFOPT_TEST_LOG: testLog, EFFOPT_TEST_GREP: grep ?? '', EFFOPT_TEST_WORKSPACE: workspace },
    log: (s) => serverLog.push(s),
  });
  let browser;
  let exitCode = 1;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const hostLog = [];
    const exited = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => hostLog.push(`[${type}] ${Array.isArray(args) ? args.join(' ') : args}`));
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(testsIndex)],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS));
    const result = await Promise.race([exited, timeout]);
    const output = readFileSync(testLog, 'utf8');
    process.stdout.write(output);
    if (result === 'timeout') {
      console.error(`[vscode-test] no result after ${TIMEOUT_MS / 1000} s`);
      console.error(hostLog.slice(-40).join('\n'));
      exitCode = 1;
    } else {
      exitCode = result;
      // The host can fail before mocha prints anything (activation error, bundle missing).
      if (!/\d+ passed, \d+ failed/.test(output)) {
        console.error('[vscode-test] the extension host ended without running the suites; last workbench log lines:');
        console.error(hostLog.slice(-40).join('\n'));
        console.error(serverLog.join('').split('\n').slice(-40).join('\n'));
        console.log('0 passed, 1 failed');
        exitCode = exitCode || 1;
      }
    }
    console.log(`[vscode-test] VS Code ${'1.100.3'} via code-server: exit ${exitCode} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await browser?.close().catch(() => {});
    server.stop();
    if (!keep) removeQuietly(work);
    else console.log(`[vscode-test] kept ${work}`);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[vscode-test] ${err?.message ?? err}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
