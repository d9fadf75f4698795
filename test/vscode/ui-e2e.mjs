// End-to-end through the UI, as a new user: installs the packaged VSIX into code-server, starts
// the scripted OpenAI-compatible server as its own process, points effopt at it, sets the API key
// with the real "effopt: Set API Key" command, clicks "⚡ Optimize" above a slow function, waits
// for the verdict lens, opens the diff and the report panel, applies from the panel, and checks
// each step through the DOM. A second run opens the workspace in restricted mode and checks that
// the lens shows but running explains the need for trust. Screenshots go to test-results/
// (ignored by git).
//
//   npm run package && node test/vscode/ui-e2e.mjs [path/to/effopt.vsix]
// Ends with `N passed, N failed`; exit code 1 when a check failed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  codeServerCli,
  copyWorkspace,
  ensureCodeServer,
  killGroup,
  launchChromium,
  removeQuietly,
  repoRoot,
  startCodeServer,
  tempDir,
  writeUserSettings,
} from './code-server.mjs';

const vsix =
  process.argv[2] ??
  readdirSync(repoRoot)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => join(repoRoot, f))
    .sort()
    .pop();
if (!vsix || !existsSync(vsix)) {
  console.error('no VSIX found: run `npm run package` first');
  process.exit(2);
}
ensureCodeServer();

const KEY = 'sk-effopt-e2e-0123456789abcdefSECRET';
const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });
const work = tempDir('effopt-ui-e2e-');
let passed = 0;
let failed = 0;
const check = (ok, what) => {
  console.log(`  ${ok ? '✔' : '✘'} ${what}`);
  if (ok) passed++;
  else failed++;
  return ok;
};
const step = (what) => console.log(`[ui-e2e] ${what}`);

/** The scripted server as a process; resolves with its base URL once it prints it. */
async function startLlmServer(scriptPath, log) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'test/fixtures/llm-server/cli.ts'), '--script', scriptPath, '--port', '0', '--log', log],
    { cwd: repoRoot, detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scripted server did not start: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`scripted server exited (${code}): ${stderr}`)));
  });
  return { url, child };
}

async function shot(page, name) {
  const path = join(shots, name);
  await page.screenshot({ path });
  console.log(`    screenshot: test-results/${name}`);
}

/** Runs a command from the command palette by its title. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab[aria-label^="${name}"]`).first().waitFor({ timeout: 15_000 });
}

/** Editor text as shown (Monaco renders spaces as no-break spaces). */
const visible = (text) => text.replace(/\u00a0/g, ' ');

const lensLink = (page, text) => page.locator('.codelens-decoration a', { hasText: text }).first();

async function openWorkbench(browser, server, workspace) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

async function mainRun(browser) {
  const userDataDir = join(work, 'user-data');
  const extensionsDir = join(work, 'extensions');
  const workspace = join(work, 'workspace');
  copyWorkspace(workspace);
  const script = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/llm-server/scripts/dedupe.json'), 'utf8'));
  const scriptPath = join(work, 'script.json');
  // The server answers only requests that carry the key typed into "Set API Key".
  writeFileSync(scriptPath, JSON.stringify({ ...script, apiKey: KEY }));
  const requestLog = join(work, 'requests.jsonl');
  const llm = await startLlmServer(scriptPath, requestLog);
  let server;
  try {
    step(`scripted LLM server at ${llm.url}`);
    const out = codeServerCli(['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir]);
    check(/successfully installed/i.test(out), `the VSIX installs into code-server (${vsix.split('/').pop()})`);
    // Small benchmark levels keep the run to seconds on a busy machine.
    writeUserSettings(userDataDir, {
      'effopt.baseUrl': llm.url,
      'effopt.model': 'gpt-4o-mini',
      'effopt.samples': 6,
      'effopt.levels': [0, 3],
      'editor.codeLens': true,
    });
    server = await startCodeServer({ userDataDir, extensionsDir, workspace });
    const page = await openWorkbench(browser, server, workspace);

    step('open dedupe.js');
    await openFile(page, 'dedupe.js');
    const optimize = lensLink(page, '⚡ Optimize');
    await optimize.waitFor({ timeout: 60_000 });
    const lensTexts = await page.locator('.codelens-decoration').allInnerTexts();
    check(lensTexts.length === 1 && lensTexts[0].includes('⚡ Optimize'), `one "⚡ Optimize" lens, above the hot dedupe only (${JSON.stringify(lensTexts)})`);
    await shot(page, 'ui-lens.png');

    step('set the API key through "effopt: Set API Key"');
    await runCommand(page, 'effopt: Set API Key');
    const keyInput = page.locator('.quick-input-widget .quick-input-box input[type="password"]');
    await keyInput.waitFor({ timeout: 10_000 });
    await keyInput.fill(KEY);
    await page.keyboard.press('Enter');
    const saved = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'API key saved in secret storage' });
    check(
      await saved
        .first()
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        ),
      'the key is saved (notification)',
    );
    const settingsText = readFileSync(join(userDataDir, 'User', 'settings.json'), 'utf8');
    check(!settingsText.includes(KEY), 'the key is not in settings.json');

    step('effopt: Select Model lists the configured model and VS Code language models');
    await runCommand(page, 'effopt: Select Model');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'gpt-4o-mini' }).first().waitFor({ timeout: 10_000 });
    const items = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    check(
      items.some((t) => t.includes('gpt-4o-mini') && t.includes(llm.url)) && items.some((t) => /No VS Code language models available/.test(t)),
      `the model picker offers the configured model and explains there is no VS Code model (${JSON.stringify(items)})`,
    );
    await shot(page, 'ui-select-model.png');
    await rows.filter({ hasText: 'gpt-4o-mini' }).first().click();
    const picked = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'using model gpt-4o-mini' });
    check(
      await picked
        .first()
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        ),
      'picking it confirms the model',
    );

    step('click ⚡ Optimize');
    await page.keyboard.press('Escape');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await optimize.click();
    const status = page.locator('.statusbar-item', { hasText: 'effopt: dedupe' });
    check(
      await status
        .first()
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        ),
      'a status-bar item shows the run',
    );
    // The notification follows the pipeline's stages with counts.
    const progress = page.locator('.notifications-toasts .notification-list-item-message', { hasText: /dedupe: (verifying|asking the model|benchmarking)/ });
    const sawProgress = await progress
      .first()
      .waitFor({ timeout: 30_000 })
      .then(
        () => true,
        () => false,
      );
    check(
      sawProgress,
      `a progress notification names the function and its stage${
        sawProgress
          ? `: "${await progress
              .first()
              .innerText()
              .catch(() => '')}"`
          : ''
      }`,
    );
    const running = lensLink(page, 'Optimizing');
    check(
      await running.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      ),
      'the lens shows the run with Cancel',
    );
    await shot(page, 'ui-progress.png');

    const verdict = lensLink(page, 'faster (verified)');
    await verdict.waitFor({ timeout: 120_000 });
    const resultLens = (await page.locator('.codelens-decoration').first().innerText()).replace(/\s+/g, ' ');
    check(/\d+(\.\d+)?× faster \(verified\) \| Diff \| Apply \| Dismiss/.test(resultLens), `the verdict lens: "${resultLens}"`);
    const requests = readFileSync(requestLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    check(
      requests.length >= 2 && requests.every((r) => r.outcome !== '401'),
      `the LLM server got the key from secret storage (${requests.length} requests, none refused)`,
    );
    await shot(page, 'ui-lens-result.png');

    step('open the diff');
    await lensLink(page, 'Diff').click();
    const diff = page.locator('.monaco-diff-editor');
    await diff.first().waitFor({ timeout: 20_000 });
    const diffTab = await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label');
    check(/dedupe\.js ↔ effopt: dedupe/.test(diffTab ?? ''), `the diff editor opens: "${diffTab}"`);
    await page.waitForTimeout(800);
    const modified = visible(await diff.first().locator('.editor.modified .view-lines').innerText());
    check(/new Set/.test(modified) && !/out\.includes/.test(modified), 'the proposed side has the rewrite');
    const applyButton = page.locator('.editor-actions [aria-label="Apply Proposed Rewrite"], .editor-actions [title="Apply Proposed Rewrite"]');
    check((await applyButton.count()) > 0, 'the diff editor title bar offers Apply');
    await shot(page, 'ui-diff.png');

    step('open the report panel from the verdict lens');
    await page.locator('.tabs-container .tab', { hasText: 'dedupe.js' }).first().click();
    await lensLink(page, 'faster (verified)').click();
    const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await view.locator('h1').first().waitFor({ timeout: 30_000 });
    await view.locator('text=Verified speedup').first().waitFor({ timeout: 30_000 });
    const sections = await view.locator('h2').allInnerTexts();
    check(
      ['Winner', 'Speedup per input size', 'Efficiency e_i per rewrite', 'How the winner was chosen', 'Tokens, cost and time'].every((s) =>
        sections.includes(s),
      ) && sections.some((s) => s.startsWith('eff@k')),
      `the report has its sections (${sections.join(' | ')})`,
    );
    // The research detail (passing matrix, B4 and the baselines) starts collapsed: open it.
    await view.locator('#summary-chosen').click();
    await view.locator('text=Passing matrix').first().waitFor({ timeout: 10_000 });
    const text = await view.locator('#root').innerText();
    check(
      /faster/.test(text) && /CodeT/.test(text) && /MaxPass/.test(text) && /wrong result/.test(text),
      'the report shows the winner, the baselines and a wrong candidate',
    );
    const bars = await view.locator('svg.chart rect.bar').count();
    const cells = await view.locator('table.heatmap td.pass, table.heatmap td.fail').count();
    check(bars >= 3 && cells >= 10, `charts are drawn (${bars} bars, ${cells} heatmap cells)`);
    await shot(page, 'ui-report.png');
    // The whole panel, in a window tall enough to show it without scrolling.
    await page.setViewportSize({ width: 1500, height: 3600 });
    await page.waitForTimeout(700);
    await page.screenshot({ path: join(shots, 'ui-report-panel.png'), clip: { x: 0, y: 0, width: 420, height: 3600 } });
    console.log('    screenshot: test-results/ui-report-panel.png');
    await page.setViewportSize({ width: 1500, height: 950 });

    step('keyboard: Tab reaches the panel buttons');
    await view.locator('#action-diff').focus();
    const focused = await view.locator(':focus').getAttribute('id');
    check(focused === 'action-diff', 'the panel actions are focusable buttons');

    step('apply from the panel');
    await view.locator('#action-apply').click();
    const applied = lensLink(page, 'Applied');
    check(
      await applied.waitFor({ timeout: 20_000 }).then(
        () => true,
        () => false,
      ),
      'the lens says Applied',
    );
    await page.waitForTimeout(500);
    const editorText = visible(await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText());
    check(/new Set/.test(editorText) && !/out\.includes/.test(editorText), 'the editor holds the rewrite');
    await shot(page, 'ui-applied.png');
    await page.close();
  } finally {
    server?.stop();
    killGroup(llm.child);
  }
}

async function restrictedRun(browser) {
  const userDataDir = join(work, 'user-data-restricted');
  const extensionsDir = join(work, 'extensions-restricted');
  const workspace = join(work, 'workspace-restricted');
  copyWorkspace(workspace);
  codeServerCli(['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir]);
  writeUserSettings(userDataDir, {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'always',
    'effopt.baseUrl': 'http://127.0.0.1:9/v1',
  });
  const server = await startCodeServer({ userDataDir, extensionsDir, workspace, trust: true });
  try {
    const page = await openWorkbench(browser, server, workspace);
    step('restricted mode: decline trust');
    const noTrust = page.locator('.monaco-dialog-box .dialog-buttons a, .monaco-dialog-box .dialog-buttons button', {
      hasText: "No, I don't trust the authors",
    });
    if (
      await noTrust
        .first()
        .waitFor({ timeout: 20_000 })
        .then(
          () => true,
          () => false,
        )
    )
      await noTrust.first().click();
    await openFile(page, 'dedupe.js');
    const optimize = lensLink(page, '⚡ Optimize');
    check(
      await optimize.waitFor({ timeout: 60_000 }).then(
        () => true,
        () => false,
      ),
      'restricted mode: the lens still shows',
    );
    await optimize.click();
    const message = page.locator('.notifications-toasts .notification-list-item', { hasText: 'needs a trusted workspace' });
    const shown = await message
      .first()
      .waitFor({ timeout: 15_000 })
      .then(
        () => true,
        () => false,
      );
    check(shown, 'restricted mode: running explains that it needs a trusted workspace');
    if (shown)
      check(
        (await message.first().locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).count()) > 0,
        'restricted mode: the message offers "Manage Workspace Trust"',
      );
    await page.waitForTimeout(600); // let the toast finish sliding in
    await shot(page, 'ui-restricted.png');
    await page.close();
  } finally {
    server.stop();
  }
}

let browser;
try {
  browser = await launchChromium();
  await mainRun(browser);
  await restrictedRun(browser);
} catch (err) {
  check(false, `UI run: ${err?.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  removeQuietly(work);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
