// How each runtime's harness is started: executable, flags, and the checks that give a clear
// error when an interpreter is missing or the built harness is stale.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { assetPath } from '../../assets';
import type { RuntimeId } from '../../languages/types';

export class RuntimeUnavailableError extends Error {
  override readonly name = 'RuntimeUnavailableError';
}

export class HarnessBuildError extends Error {
  override readonly name = 'HarnessBuildError';
}

export interface RuntimePaths {
  /** Node executable for the Node harness (default: the running Node, or Electron as Node). */
  nodePath?: string;
  /** Python interpreter (default `python3`; the effopt.pythonPath setting). */
  pythonPath?: string;
}

export interface HarnessLaunch {
  command: string;
  args: string[];
  rawEnv: Record<string, string>;
  /** Limits the runtime enforces itself, for reports. */
  notes: string[];
}

export interface LaunchOptions extends RuntimePaths {
  memoryMb: number;
  /** Directories the code may read (project, its node_modules): Node permission model. */
  readPaths: string[];
  workDir: string;
  /** Expose gc() to the harness (benchmark processes). */
  exposeGc: boolean;
}

interface NodeFlags {
  permission: boolean;
  disableWarning: boolean;
}

const nodeFlagCache = new Map<string, NodeFlags>();

function nodeFlags(node: string, rawEnv: Record<string, string>): NodeFlags {
  const hit = nodeFlagCache.get(node);
  if (hit) return hit;
  const env = { PATH: process.env.PATH ?? '', ...rawEnv };
  const ok = (args: string[]): boolean => spawnSync(node, [...args, '-e', '0'], { env, stdio: 'ignore', timeout: 15_000 }).status === 0;
  const flags = {
    permission: ok(['--experimental-permission', '--allow-fs-read=*']),
    disableWarning: ok(['--disable-warning=ExperimentalWarning']),
  };
  nodeFlagCache.set(node, flags);
  return flags;
}

function nodeExecutable(paths: RuntimePaths): { command: string; rawEnv: Record<string, string> } {
  if (paths.nodePath) return { command: paths.nodePath, rawEnv: {} };
  // Inside VS Code process.execPath is Electron: it behaves as Node with ELECTRON_RUN_AS_NODE.
  return { command: process.execPath, rawEnv: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {} };
}

export function nodeLaunch(options: LaunchOptions): HarnessLaunch {
  const harness = harnessFile('node');
  const { command, rawEnv } = nodeExecutable(options);
  const flags = nodeFlags(command, rawEnv);
  const notes: string[] = [];
  const args = [`--max-old-space-size=${Math.max(16, Math.floor(options.memoryMb))}`];
  if (flags.permission) {
    args.push('--experimental-permission', `--allow-fs-read=${dirname(harness)}`, `--allow-fs-read=${options.workDir}`, `--allow-fs-write=${options.workDir}`);
    for (const p of options.readPaths) args.push(`--allow-fs-read=${p}`);
    notes.push(
      'node permission model: reads limited to the harness, the project and the work dir; writes to the work dir; no child processes, workers or native addons',
    );
  } else {
    notes.push('node permission model unavailable in this Node: file reads and child processes are not restricted by Node');
  }
  if (flags.disableWarning) args.push('--disable-warning=ExperimentalWarning');
  if (options.exposeGc) args.push('--expose-gc');
  args.push(harness);
  return { command, args, rawEnv, notes };
}

const pythonCache = new Map<string, string>();

/** Resolves and checks the Python interpreter once; throws RuntimeUnavailableError with a fix. */
export function checkPython(pythonPath = 'python3'): string {
  const hit = pythonCache.get(pythonPath);
  if (hit) return hit;
  const r = spawnSync(pythonPath, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error || r.status !== 0) {
    const why = r.error
      ? (r.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'not found'
        : r.error.message
      : `exited with ${r.status}: ${(r.stderr ?? '').trim().slice(0, 200)}`;
    throw new RuntimeUnavailableError(
      `Python interpreter "${pythonPath}" ${why}: install Python 3.8 or newer, or set effopt.pythonPath (CLI: --python-path / EFFOPT_PYTHON_PATH) to its path`,
    );
  }
  const version = r.stdout.trim();
  const [major, minor] = version.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 8))
    throw new RuntimeUnavailableError(`Python ${version} at "${pythonPath}" is too old: effopt needs Python 3.8 or newer (audit hooks)`);
  pythonCache.set(pythonPath, version);
  return version;
}

function pythonLaunch(options: LaunchOptions): HarnessLaunch {
  const python = options.pythonPath ?? 'python3';
  checkPython(python);
  // -s: no user site-packages; -B: no .pyc writes. Not -I/-E: PYTHONHASHSEED must apply.
  return {
    command: python,
    args: ['-s', '-B', harnessFile('python')],
    rawEnv: {},
    notes: [`python: RLIMIT_AS ${options.memoryMb} MiB set by the harness; audit-hook policy denies process creation, sockets and writes outside the work dir`],
  };
}

export function launchFor(runtime: RuntimeId, options: LaunchOptions): HarnessLaunch {
  return runtime === 'node' ? nodeLaunch(options) : pythonLaunch(options);
}

const HARNESS_FILES: Record<RuntimeId, string> = { node: 'node.js', python: 'python_harness.py' };
let staleChecked = false;

/** The built harness file; from source (tests), also checks that the build is not older than the sources. */
export function harnessFile(runtime: RuntimeId): string {
  let file: string;
  try {
    file = assetPath('harness', HARNESS_FILES[runtime]);
  } catch (err) {
    throw new HarnessBuildError(`${(err as Error).message}`);
  }
  if (!existsSync(file)) throw new HarnessBuildError(`the ${runtime} harness is not built (${file} missing): run \`node esbuild.mjs\``);
  if (!staleChecked && __filename.endsWith('.ts')) {
    staleChecked = true;
    checkFreshness();
  }
  return file;
}

/** Running from source: the sandbox runs dist/harness/*, so a harness source newer than its build is a trap. */
function checkFreshness(): void {
  const srcDir = resolve(__dirname);
  // What the harness bundles: its own folder, the protocol, and the encoded values it reads and writes.
  const compareDir = join(srcDir, '..', 'compare');
  const sources = [
    join(srcDir, 'protocol.ts'),
    join(compareDir, 'values.ts'),
    join(compareDir, 'sizes.ts'),
    ...readdirSync(join(srcDir, 'harness')).map((f) => join(srcDir, 'harness', f)),
  ];
  const newest = Math.max(...sources.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
  for (const runtime of ['node', 'python'] as RuntimeId[]) {
    const built = assetPath('harness', HARNESS_FILES[runtime]);
    if (existsSync(built) && statSync(built).mtimeMs + 1000 < newest) {
      throw new HarnessBuildError(
        `dist/harness/${HARNESS_FILES[runtime]} is older than the harness sources in src/core/exec: run \`node esbuild.mjs\` (tests run the built harness)`,
      );
    }
  }
}
