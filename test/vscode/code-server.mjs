// Shared plumbing for running effopt inside a real VS Code on machines that can only reach the
// npm registry and Debian packages: code-server 4.100.3 (VS Code 1.100.3) from npm, driven by
// Debian's Chromium through playwright-core. See docs/TESTING.md.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const codeServerDir = process.env.EFFOPT_CODE_SERVER_DIR ?? join(repoRoot, '.cache', `code-server-${CODE_SERVER_VERSION}`);
export const codeServerPackage = join(codeServerDir, 'node_modules', 'code-server');
const serverMain = join(codeServerPackage, 'lib', 'vscode', 'out', 'server-main.js');

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Installs code-server into the ignored cache folder unless it is there already. */
export function ensureCodeServer() {
  if (existsSync(join(codeServerDir, '.effopt-installed'))) return;
  console.log(`[vscode-test] installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (one time, a few minutes)`);
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'install-code-server.sh')], {
    stdio: 'inherit',
    env: { ...process.env, EFFOPT_CODE_SERVER_DIR: codeServerDir },
  });
  if (r.status !== 0) throw new Error('installing code-server failed (see above)');
}

/** Debian's Chromium; never a browser downloaded by a test tool (that fails here). */
export function findChromium() {
  const candidates = [process.env.EFFOPT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error('Chromium not found: install the Debian package `chromium` (apt-get install -y chromium), or set EFFOPT_CHROMIUM to a Chromium binary.');
  }
  return found;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The test workspace at `dir`: test/fixtures/workspace plus the class of the js/stock example (an
 * instance method, taken from examples/ so the tests drive the code the example documents).
 */
export function copyWorkspace(dir) {
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  cpSync(join(repoRoot, 'examples', 'js', 'stock', 'stock.js'), join(dir, 'stock.js'));
  return dir;
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes VS Code user settings for a fresh profile (no walkthrough stealing focus). */
export function writeUserSettings(userDir, settings = {}) {
  mkdirSync(join(userDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'extensions.autoUpdate': false,
        ...settings,
      },
      null,
      2,
    ),
  );
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok || res.status === 302 || res.status === 401) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer at ${url} within ${timeoutMs} ms`);
}

/** Kills a detached child and its whole process group. */
export function killGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/**
 * Starts the bundled VS Code server (server-main.js accepts --enable-smoke-test-driver; the
 * code-server CLI does not). Resolves once it answers HTTP.
 */
export async function startVsCodeServer({ serverDataDir, env = {}, log = () => {} }) {
  const port = await freePort();
  const args = [
    serverMain,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--server-data-dir',
    serverDataDir,
    '--telemetry-level',
    'off',
  ];
  return spawnServer(args, port, '/version', { env, log });
}

/** Spawns a server in its own process group and resolves once it answers HTTP on healthPath. */
async function spawnServer(args, port, healthPath, { env = {}, log = () => {} }) {
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.stdout.on('data', (d) => log(String(d)));
  child.stderr.on('data', (d) => log(String(d)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(url + healthPath, child, 60_000);
  } catch (err) {
    killGroup(child);
    throw err;
  }
  return { url, port, child, stop: () => killGroup(child) };
}

/** Launches Debian's Chromium through playwright-core. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS });
}

export function removeQuietly(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    /* best effort */
  }
}

const codeServerEntry = join(codeServerPackage, 'out', 'node', 'entry.js');

/** Runs the code-server CLI to completion (e.g. --install-extension). */
export function codeServerCli(args) {
  const r = spawnSync(process.execPath, [codeServerEntry, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`code-server ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Starts code-server as a user would run it (no auth, no trust prompt unless asked), on a free
 * port, with its own user-data and extensions folders. Resolves once it answers HTTP.
 */
export async function startCodeServer({ userDataDir, extensionsDir, workspace, trust = false, log = () => {} }) {
  const port = await freePort();
  const args = [
    codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--config',
    join(userDataDir, 'config.yaml'),
  ];
  if (!trust) args.push('--disable-workspace-trust');
  args.push(workspace);
  writeFileSync(join(userDataDir, 'config.yaml'), 'auth: none\n');
  return spawnServer(args, port, '/healthz', { log });
}
