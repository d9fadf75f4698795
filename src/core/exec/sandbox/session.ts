// One harness process and the protocol conversation with it: requests in order, each with a
// wall-clock limit; a request that overruns kills the whole sandbox (the only way to stop
// synchronous code for sure). A dead sandbox rejects with SandboxDied, which says why.
import type { RuntimeId } from '../../languages/types';
import { PROTOCOL_VERSION, type HarnessConfig, type HelloResult, type ProgressKind, type RequestBody, type Response } from './protocol';
import { launchFor, HarnessBuildError, type RuntimePaths } from './runtimes';
import { SandboxProcess, type SandboxExit } from './sandbox';

export type DeathKind = 'timeout' | 'memory' | 'output' | 'cancelled' | 'exited' | 'crashed' | 'protocol';

export class SandboxDied extends Error {
  override readonly name = 'SandboxDied';
  constructor(
    readonly kind: DeathKind,
    message: string,
    readonly exit: SandboxExit,
  ) {
    super(message);
  }
}

/** An error the harness itself reported (bad request, unknown program): not the code under test. */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

export interface SessionOptions extends RuntimePaths {
  runtime: RuntimeId;
  memoryMb: number;
  /** Whole-process wall clock (ms). */
  processTimeoutMs: number;
  /** Raw stdout/stderr bytes before the process is killed. */
  outputLimitBytes?: number;
  /** Largest single response (bytes) before the process is killed. */
  responseLimitBytes?: number;
  /** Directories the code may read (project dir): Node permission model. */
  readPaths?: string[];
  exposeGc?: boolean;
  config: HarnessConfig;
  signal?: AbortSignal;
  noNamespaces?: boolean;
  /** Limit for the start-up handshake (ms). */
  startTimeoutMs?: number;
  /** Pin the sandbox to this CPU (see SandboxSpawnOptions.cpu). */
  cpu?: number;
}

const OOM = /heap out of memory|Reached heap limit|Fatal process out of memory|std::bad_alloc|\bMemoryError\b|Cannot allocate memory|allocation failed/i;

function describeExit(exit: SandboxExit, runtime: RuntimeId): { kind: DeathKind; message: string } {
  const tail = exit.stderrTail.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
  switch (exit.killedBy) {
    case 'call-timeout':
      return { kind: 'timeout', message: 'timed out (wall-clock limit per call); the sandbox was killed' };
    case 'process-timeout':
      return { kind: 'timeout', message: 'the sandbox process exceeded its total wall-clock limit and was killed' };
    case 'output-limit':
      return { kind: 'output', message: `wrote more than the output limit to stdout/stderr (${exit.stdoutBytes + exit.stderrBytes} bytes) and was killed` };
    case 'cancelled':
      return { kind: 'cancelled', message: 'cancelled' };
    case 'response-limit':
      return { kind: 'protocol', message: 'produced a result larger than the response limit and was killed' };
    case 'protocol':
      return { kind: 'protocol', message: `broke the harness protocol (something wrote to the protocol channel)${tail ? ': ' + tail : ''}` };
    default:
      break;
  }
  if (OOM.test(exit.stderrTail)) return { kind: 'memory', message: `ran out of memory (memory cap)${tail ? ': ' + tail : ''}` };
  if (exit.signal === 'SIGXCPU') return { kind: 'timeout', message: 'exceeded the CPU-time limit and was killed' };
  // effopt's own kills have a reason (above): this signal came from elsewhere.
  if (exit.signal === 'SIGKILL' || exit.signal === 'SIGTERM')
    return {
      kind: 'crashed',
      message: `the ${runtime} process was killed by ${exit.signal}, not by effopt (the OS's out-of-memory killer, or a signal from outside)${tail ? ': ' + tail : ''}`,
    };
  if (exit.signal) return { kind: 'crashed', message: `the ${runtime} process died from ${exit.signal}${tail ? ': ' + tail : ''}` };
  if (exit.code === 97) return { kind: 'crashed', message: `the sandbox could not be set up: ${tail}` };
  return {
    kind: 'exited',
    message: `the ${runtime} process exited with code ${exit.code} (process.exit / os._exit in the code under test?)${tail ? ': ' + tail : ''}`,
  };
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  /** Limit after the harness reports that the code under test finished (capture phase). */
  afterCalledMs?: number;
  /** Progress messages this request may send, in order; anything else is a protocol breach. */
  expect: ProgressKind[];
  onProgress?: (kind: ProgressKind, atMs: number) => void;
}

/** The progress messages each request sends, in order (protocol.ts). */
function expectedProgress(op: RequestBody['op']): ProgressKind[] {
  if (op === 'call' || op === 'mutates' || op === 'generate' || op === 'assertion') return ['called'];
  if (op === 'measure') return ['ready', 'ran'];
  return [];
}

/** Capturing a result is harness code bounded by maxNodes: generous, but not unbounded. */
export const CAPTURE_LIMIT_MS = 60_000;

export class HarnessSession {
  readonly sandbox: SandboxProcess;
  readonly launchNotes: string[];
  hello: HelloResult | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private death: SandboxDied | undefined;
  private readonly responseLimit: number;

  private constructor(readonly options: SessionOptions) {
    this.responseLimit = options.responseLimitBytes ?? 256 * 1024 * 1024;
    // The work dir is created by the sandbox; the launch needs its path for the permission flags,
    // so the sandbox is created with a placeholder command and the real one chosen from its dir.
    const memory = options.memoryMb;
    let notes: string[] = [];
    this.sandbox = new SandboxProcess({
      command: '',
      args: [],
      dataLimitMb: options.runtime === 'node' ? memory + 256 : 0,
      cpuLimitSeconds: Math.ceil(options.processTimeoutMs / 1000) + 5,
      cpu: options.cpu,
      processTimeoutMs: options.processTimeoutMs,
      outputLimitBytes: options.outputLimitBytes ?? 4 * 1024 * 1024,
      signal: options.signal,
      noNamespaces: options.noNamespaces,
      resolveCommand: (workDir) => {
        const launch = launchFor(options.runtime, { ...options, workDir, readPaths: options.readPaths ?? [], exposeGc: options.exposeGc ?? false });
        notes = launch.notes;
        return launch;
      },
    });
    this.launchNotes = notes;
    this.sandbox.channel.on('data', (chunk: Buffer) => this.onData(chunk));
    this.sandbox.stdin.on('error', () => {
      // EPIPE when the harness is gone: the exit handler reports it.
    });
    void this.sandbox.exited.then((exit) => {
      const { kind, message } = describeExit(exit, options.runtime);
      this.death = new SandboxDied(kind, message, exit);
      for (const [, p] of this.pending) {
        if (p.timer) clearTimeout(p.timer);
        p.reject(this.death);
      }
      this.pending.clear();
    });
  }

  /** Starts a harness, checks the protocol version and configures it. */
  static async start(options: SessionOptions): Promise<HarnessSession> {
    const session = new HarnessSession(options);
    try {
      const hello = await session.request<HelloResult>({ op: 'hello' }, options.startTimeoutMs ?? 30_000);
      if (hello.protocol !== PROTOCOL_VERSION) {
        throw new HarnessBuildError(
          `the ${options.runtime} harness speaks protocol ${hello.protocol}, effopt expects ${PROTOCOL_VERSION}: rebuild with \`node esbuild.mjs\``,
        );
      }
      session.hello = hello;
      await session.request({ op: 'configure', config: options.config }, options.startTimeoutMs ?? 30_000);
      return session;
    } catch (err) {
      await session.kill('disposed');
      if (err instanceof SandboxDied && err.kind !== 'cancelled') {
        throw new SandboxDied(err.kind, `the ${options.runtime} harness failed to start: ${err.message}`, err.exit);
      }
      throw err;
    }
  }

  get alive(): boolean {
    return this.death === undefined && this.sandbox.running;
  }

  get died(): SandboxDied | undefined {
    return this.death;
  }

  private onData(chunk: Buffer): void {
    // After a protocol breach nothing more from this process is believed.
    if (this.broken()) return;
    // One reading of effopt's clock per chunk: progress messages are timed at arrival.
    const at = performance.now();
    let start = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      this.buffered.push(chunk.subarray(start, i));
      const line = Buffer.concat(this.buffered).toString('utf8');
      this.buffered = [];
      this.bufferedBytes = 0;
      start = i + 1;
      this.onLine(line, at);
      if (this.broken()) return;
    }
    if (start < chunk.length) {
      this.buffered.push(chunk.subarray(start));
      this.bufferedBytes += chunk.length - start;
      if (this.bufferedBytes > this.responseLimit) this.sandbox.killNow('response-limit');
    }
  }

  private broken(): boolean {
    const reason = this.sandbox.killReason;
    return reason === 'protocol' || reason === 'response-limit';
  }

  private onLine(line: string, at: number): void {
    if (line.trim() === '') return;
    let msg: Response;
    try {
      msg = JSON.parse(line) as Response;
    } catch {
      this.sandbox.killNow('protocol');
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) {
      // A response nobody asked for: forged or corrupted channel.
      this.sandbox.killNow('protocol');
      return;
    }
    if ('progress' in msg) {
      // Only the next expected progress message is accepted: a forged or repeated one breaks the protocol.
      if (p.expect[0] !== msg.progress) {
        this.sandbox.killNow('protocol');
        return;
      }
      p.expect.shift();
      p.onProgress?.(msg.progress, at);
      if (msg.progress === 'called') {
        if (p.timer) clearTimeout(p.timer);
        const limit = p.afterCalledMs ?? CAPTURE_LIMIT_MS;
        p.timer = setTimeout(() => this.sandbox.killNow('call-timeout'), limit);
      }
      return;
    }
    // A measure reply without both of its clock marks cannot be trusted.
    if (p.expect.includes('ran') && msg.ok) {
      this.sandbox.killNow('protocol');
      return;
    }
    this.pending.delete(msg.id);
    if (p.timer) clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new HarnessError(msg.error.message, msg.error.type));
  }

  /**
   * Sends one request; rejects with SandboxDied when the sandbox dies or the limit passes (which
   * kills it). For call/mutates the limit covers the code under test; once the harness reports
   * it finished, capturing the result gets `afterCalledMs` (default CAPTURE_LIMIT_MS).
   */
  request<T>(req: RequestBody, timeoutMs: number, afterCalledMs?: number, onProgress?: (kind: ProgressKind, atMs: number) => void): Promise<T> {
    if (this.death) return Promise.reject(this.death);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { resolve: resolve as (v: unknown) => void, reject, afterCalledMs, expect: expectedProgress(req.op), onProgress };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        pending.timer = setTimeout(() => this.sandbox.killNow('call-timeout'), timeoutMs);
      }
      this.pending.set(id, pending);
      this.sandbox.stdin.write(JSON.stringify({ ...req, id }) + '\n');
    });
  }

  async kill(reason: 'disposed' | 'cancelled' = 'disposed'): Promise<SandboxExit> {
    return this.sandbox.kill(reason);
  }

  /** Asks the harness to exit, then makes sure the whole group is gone. */
  async close(): Promise<void> {
    if (this.alive) {
      try {
        this.sandbox.stdin.end(JSON.stringify({ op: 'exit', id: this.nextId++ }) + '\n');
      } catch {
        // already closing
      }
      const timer = setTimeout(() => this.sandbox.killNow('disposed'), 2000);
      await this.sandbox.exited;
      clearTimeout(timer);
    }
    await this.sandbox.kill('disposed');
  }
}
