// Launches one child process for generated code, with every limit effopt can enforce on this OS
// (what is and is not enforced: docs/SANDBOX.md):
//   - a fresh temporary working directory (HOME and TMPDIR too), removed afterwards;
//   - a scrubbed environment (env.ts);
//   - its own process group (detached), killed as a whole on timeout, cancel or dispose;
//   - Linux with util-linux `unshare`: new network namespace (no network, loopback down), new PID
//     namespace (the harness is PID 1: when it dies the kernel kills every process it left),
//     new mount namespace with every mount remounted read-only except the working directory;
//   - `setpriv --pdeathsig KILL`: the sandbox dies with effopt even if effopt is killed;
//   - POSIX rlimits from a tiny sh launcher: data segment (Node) and CPU seconds (a backstop for
//     the wall-clock timeout);
//   - caps on raw stdout/stderr bytes (the process is killed past the cap).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { sandboxEnv } from './env';

export type NamespaceMode = 'root' | 'user' | 'none';

export interface SandboxCapabilities {
  platform: NodeJS.Platform;
  /** How namespaces are created: as root, through a user namespace, or not at all. */
  namespaces: NamespaceMode;
  network: 'isolated' | 'open';
  filesystem: 'read-only except the working directory' | 'writable (policy in the harness only)';
  processes: 'pid namespace: all descendants die with the harness' | 'process group kill';
  parentDeath: 'setpriv pdeathsig' | 'none';
  notes: string[];
}

/**
 * Sets the rlimits, makes every mount read-only except the working directory (only inside a mount
 * namespace) and execs the command. Arguments: workdir, ro (1/0), data KiB (0 = none),
 * CPU seconds (0 = none), command, args.
 */
const LAUNCHER = [
  'W="$1"; RO="$2"; D="$3"; T="$4"; shift 4',
  'if [ "$RO" = 1 ]; then',
  '  mount --bind "$W" "$W" || { echo "effopt-sandbox: cannot bind the work dir" >&2; exit 97; }',
  '  while read -r _ _ _ _ M _; do',
  '    [ "$M" = "$W" ] && continue',
  '    mount -o remount,bind,ro "$M" 2>/dev/null || true',
  '  done < /proc/self/mountinfo',
  '  if ( : > /effopt-ro-probe ) 2>/dev/null; then rm -f /effopt-ro-probe; echo "effopt-sandbox: the root is still writable" >&2; exit 97; fi',
  // The cwd was entered before the bind mount: enter the writable mount on top of it.
  '  cd "$W" || exit 97',
  'fi',
  '[ "$D" != 0 ] && { ulimit -d "$D" || exit 97; }',
  '[ "$T" != 0 ] && { ulimit -t "$T" || exit 97; }',
  'exec "$@"',
].join('\n');

const NS_FLAGS = ['--mount', '--pid', '--fork', '--mount-proc', '--net', '--kill-child=SIGKILL'];

let capabilities: SandboxCapabilities | undefined;

let pinning: boolean | undefined;
/** Whether `taskset` can pin a process here (util-linux on Linux). */
function canPin(): boolean {
  pinning ??= process.platform === 'linux' && commandWorks('taskset', ['-c', '0', 'true']);
  return pinning;
}

function commandWorks(cmd: string, args: string[]): boolean {
  try {
    const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return r.status === 0;
  } catch {
    return false;
  }
}

/** Probes once what this machine allows (a few ms of child processes, cached for the process). */
export function sandboxCapabilities(): SandboxCapabilities {
  if (capabilities) return capabilities;
  const notes: string[] = [];
  let namespaces: NamespaceMode = 'none';
  let parentDeath: SandboxCapabilities['parentDeath'] = 'none';
  if (process.platform === 'linux') {
    const probeDir = mkdtempSync(join(tmpdir(), 'effopt-probe-'));
    try {
      const probe = (prefix: string[]): boolean =>
        commandWorks('unshare', [
          ...prefix,
          ...NS_FLAGS,
          '--',
          '/bin/sh',
          '-c',
          LAUNCHER,
          'effopt-sandbox',
          probeDir,
          '1',
          '0',
          '0',
          '/bin/sh',
          '-c',
          `: > ok && : > "${probeDir}/ok2" && ! ( : > /effopt-ro-probe ) 2>/dev/null`,
        ]);
      const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
      if (isRoot && probe([])) namespaces = 'root';
      else if (probe(['--user', '--map-root-user'])) namespaces = 'user';
      else
        notes.push(
          'unshare could not create network/PID/mount namespaces here (util-linux missing, or unprivileged user namespaces disabled): network stays open and the file system writable except for the harness policy',
        );
    } finally {
      rmSync(probeDir, { recursive: true, force: true });
    }
    if (commandWorks('setpriv', ['--pdeathsig', 'KILL', '--', 'true'])) parentDeath = 'setpriv pdeathsig';
    else notes.push('setpriv --pdeathsig unavailable: a sandbox outlives effopt if effopt is killed with SIGKILL (until its CPU limit)');
  } else {
    notes.push(`${process.platform}: no namespaces; network stays open and the file system writable except for the harness policy`);
  }
  capabilities = {
    platform: process.platform,
    namespaces,
    network: namespaces === 'none' ? 'open' : 'isolated',
    filesystem: namespaces === 'none' ? 'writable (policy in the harness only)' : 'read-only except the working directory',
    processes: namespaces === 'none' ? 'process group kill' : 'pid namespace: all descendants die with the harness',
    parentDeath,
    notes,
  };
  return capabilities;
}

export type KillReason = 'call-timeout' | 'process-timeout' | 'cancelled' | 'output-limit' | 'protocol' | 'disposed' | 'response-limit';

export interface SandboxExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when effopt killed the process, and why. */
  killedBy?: KillReason;
  /** The last bytes of stderr (diagnostics: V8 out-of-memory messages, Python tracebacks). */
  stderrTail: string;
  /** The first bytes of raw stdout (code under test writing to fd 1 directly). */
  stdoutHead: string;
  stdoutBytes: number;
  stderrBytes: number;
}

export interface SandboxSpawnOptions {
  /** Executable and arguments of the harness. */
  command: string;
  args: string[];
  /** Memory cap: RLIMIT_DATA in MiB for the whole process (0 = none; Python sets RLIMIT_AS itself). */
  dataLimitMb: number;
  /** CPU-seconds backstop (RLIMIT_CPU), 0 = none. */
  cpuLimitSeconds: number;
  /** Run on this CPU only (Linux `taskset`, when present): timed programs share one core. */
  cpu?: number;
  /** Whole-process wall-clock limit in ms. */
  processTimeoutMs: number;
  /** Raw stdout + stderr bytes allowed before the process is killed. */
  outputLimitBytes: number;
  /** Extra environment (filtered for secrets). */
  env?: Record<string, string>;
  /** Runtime-specific variables that bypass the filter (e.g. ELECTRON_RUN_AS_NODE). */
  rawEnv?: Record<string, string>;
  signal?: AbortSignal;
  /** Disable namespaces even when available (tests of the fallback). */
  noNamespaces?: boolean;
  /** Chooses the command once the working directory exists (its path goes into permission flags). */
  resolveCommand?: (workDir: string) => { command: string; args: string[]; rawEnv?: Record<string, string> };
}

const live = new Set<SandboxProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous kill of every live sandbox when effopt exits (normal exit or uncaught error).
  process.on('exit', () => {
    for (const s of live) s.killNow('disposed');
  });
}

/** Pids of sandboxes that are still running (tests check that none is left behind). */
export function liveSandboxPids(): number[] {
  return [...live].map((s) => s.pid).filter((p): p is number => p !== undefined);
}

const TAIL = 16 * 1024;

export class SandboxProcess {
  readonly workDir: string;
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  readonly exited: Promise<SandboxExit>;
  readonly capabilities: SandboxCapabilities;
  private killedBy: KillReason | undefined;
  private stdoutHead = '';
  private stdoutBytes = 0;
  private stderrTail = '';
  private stderrBytes = 0;
  private processTimer: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => {
    void this.kill('cancelled');
  };
  private done = false;

  constructor(readonly options: SandboxSpawnOptions) {
    installExitHook();
    this.capabilities = sandboxCapabilities();
    this.workDir = mkdtempSync(join(tmpdir(), 'effopt-sbx-'));
    const ns: NamespaceMode = options.noNamespaces ? 'none' : this.capabilities.namespaces;
    let resolved: { command: string; args: string[]; rawEnv?: Record<string, string> };
    try {
      resolved = options.resolveCommand ? options.resolveCommand(this.workDir) : options;
    } catch (err) {
      rmSync(this.workDir, { recursive: true, force: true });
      throw err;
    }
    const env = { ...sandboxEnv(process.env, { workDir: this.workDir, extra: options.env }), ...(options.rawEnv ?? {}), ...(resolved.rawEnv ?? {}) };
    const dataKiB = options.dataLimitMb > 0 ? Math.round(options.dataLimitMb * 1024) : 0;
    const cpu = Math.max(0, Math.ceil(options.cpuLimitSeconds));
    let argv: string[];
    if (process.platform === 'win32') {
      argv = [resolved.command, ...resolved.args];
    } else {
      const launch = [
        '/bin/sh',
        '-c',
        LAUNCHER,
        'effopt-sandbox',
        this.workDir,
        ns === 'none' ? '0' : '1',
        String(dataKiB),
        String(cpu),
        resolved.command,
        ...resolved.args,
      ];
      const unshare = ns === 'none' ? [] : ['unshare', ...(ns === 'user' ? ['--user', '--map-root-user'] : []), ...NS_FLAGS, '--'];
      const pdeath = this.capabilities.parentDeath === 'setpriv pdeathsig' ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
      const pin = options.cpu !== undefined && canPin() ? ['taskset', '-c', String(options.cpu)] : [];
      argv = [...pdeath, ...pin, ...unshare, ...launch];
    }
    this.child = spawn(argv[0], argv.slice(1), {
      cwd: this.workDir,
      env,
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.pid = this.child.pid;
    live.add(this);
    this.child.stdout?.on('data', (d: Buffer) => {
      this.stdoutBytes += d.length;
      if (this.stdoutHead.length < TAIL) this.stdoutHead += d.toString('utf8', 0, Math.min(d.length, TAIL - this.stdoutHead.length));
      this.checkOutput();
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderrBytes += d.length;
      this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-TAIL);
      this.checkOutput();
    });
    this.exited = new Promise<SandboxExit>((resolve) => {
      let resolved = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (resolved) return;
        resolved = true;
        this.done = true;
        // Sweep the group: anything the harness started that is still alive (no PID namespace).
        this.killGroup();
        this.cleanup();
        resolve({
          code,
          signal,
          killedBy: this.killedBy,
          stderrTail: this.stderrTail,
          stdoutHead: this.stdoutHead,
          stdoutBytes: this.stdoutBytes,
          stderrBytes: this.stderrBytes,
        });
      };
      this.child.on('exit', (code, signal) => {
        // Streams may still hold the last bytes; close gives them, exit is the backstop.
        setTimeout(() => finish(code, signal), 200).unref();
        this.child.on('close', () => finish(code, signal));
      });
      this.child.on('error', (err) => {
        this.stderrTail += `\neffopt: cannot start ${argv[0]}: ${err.message}`;
        finish(null, null);
      });
    });
    if (options.processTimeoutMs > 0) {
      this.processTimer = setTimeout(() => void this.kill('process-timeout'), options.processTimeoutMs);
      this.processTimer.unref();
    }
    if (options.signal) {
      if (options.signal.aborted) queueMicrotask(() => void this.kill('cancelled'));
      else options.signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  get stdin(): Writable {
    return this.child.stdin as Writable;
  }

  /** The protocol channel (fd 3 of the child). */
  get channel(): Readable {
    return this.child.stdio[3] as Readable;
  }

  get running(): boolean {
    return !this.done;
  }

  get killReason(): KillReason | undefined {
    return this.killedBy;
  }

  private checkOutput(): void {
    if (this.stdoutBytes + this.stderrBytes > this.options.outputLimitBytes) void this.kill('output-limit');
  }

  private killGroup(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL');
      else process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Kills the whole process group now (synchronous); the first reason given is kept. */
  killNow(reason: KillReason): void {
    if (this.killedBy === undefined && !this.done) this.killedBy = reason;
    this.killGroup();
  }

  /** Kills the process group and waits until it is gone. */
  async kill(reason: KillReason): Promise<SandboxExit> {
    this.killNow(reason);
    return this.exited;
  }

  private cleanup(): void {
    live.delete(this);
    if (this.processTimer) clearTimeout(this.processTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    try {
      if (existsSync(this.workDir)) rmSync(this.workDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // a read-only leftover is not worth failing a run for
    }
  }
}
