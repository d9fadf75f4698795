// End-to-end check of the packaged extension: installs the VSIX into code-server the way a user
// would, opens a workspace in Chromium, opens effopt's report view from the activity bar and
// checks that the extension activated (its webview renders). Saves a screenshot under
// test-results/.
//
//   npm run package && node test/vscode/vsix-smoke.mjs [path/to/effopt.vsix]
import { existsSync, mkdirSync, readdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerCli, ensureCodeServer, launchChromium, removeQuietly, repoRoot, startCodeServer, tempDir, writeUserSettings } from './code-server.mjs';

const vsix = process.argv[2] ?? readdirSync(repoRoot).filter((f) => f.endsWith('.vsix')).map((f) => join(repoRoot, f)).sort().pop();
if (!vsix || !existsSync(vsix)) {
  console.error('no VSIX found: run `npm run package` first');
  process.exit(2);
}
ensureCodeServer();
const work = tempDir('effopt-vsix-');
const userDataDir = join(work, 'user-data');
const extensionsDir = join(work, 'extensions');
const workspace = join(work, 'workspace');
const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });
cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
writeUserSettings(userDataDir);

let server, browser;
let failed = 0;
const check = (ok, what) => { console.log(`  ${ok ? '✔' : '✘'} ${what}`); if (!ok) failed++; };
try {
  const out = codeServerCli(['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir]);
  check(/successfully installed/i.test(out), `VSIX installs into code-server (${vsix.split('/').pop()})`);
  server = await startCodeServer({ userDataDir, extensionsDir, workspace });
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const effoptTab = page.locator('.activitybar [aria-label^="effopt"]').first();
  await effoptTab.waitFor({ timeout: 30_000 });
  check(true, 'the effopt activity-bar container is contributed');
  await effoptTab.click();
  const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const text = await view.locator('#root').innerText({ timeout: 60_000 });
  check(/efficiency report/i.test(text), `the report view renders (the extension activated): "${text.trim().slice(0, 60)}"`);
  await page.screenshot({ path: join(shots, 'vsix-report-view.png') });
  console.log(`  screenshot: ${join(shots, 'vsix-report-view.png')}`);
} catch (err) {
  check(false, `VSIX smoke run: ${err?.message ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  server?.stop();
  removeQuietly(work);
}
const passed = 3 - failed;
console.log(`${Math.max(passed, 0)} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
