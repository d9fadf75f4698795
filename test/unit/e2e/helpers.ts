// Child processes for the end-to-end tests: the built CLI (dist/cli.js) and the scripted LLM
// server (its own process, real HTTP on 127.0.0.1), and the process table (`ps`) to prove that
// no sandbox outlives a run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OptimizationReport } from '../../../src/core/pipeline/report';
import type { Script } from '../../fixtures/llm-server/script';
import { CLI, EXAMPLES_DIR, ROOT } from './examples';

/**
 * Quick benchmark settings for the CLI: the speedups under test are far above the noise, and
 * the hanging rewrites are cut after 1 s.
 */
export const QUICK = ['--timeout-ms', '1000', '--measure-ms', '200', '--repeats', '4'];

/** The environment for a CLI run: no EFFOPT_* settings or API keys from the developer's shell. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(EFFOPT_|OPENAI_|AZURE_OPENAI_)/.test(k) && v !== undefined) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process has exited and its output is complete. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches (rejects if the process exits first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Starts `node dist/cli.js <args>`; progress goes to stderr one line per stage (not a TTY). */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const l of listeners) l();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal, stdout, stderr });
    });
  });
  let exited = false;
  void done.then(() => (exited = true));
  return {
    child,
    done,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr: (pattern, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern} on stderr; got:\n${stderr}`)), timeoutMs);
        const check = (): void => {
          if (pattern.test(stderr)) finish();
          else if (exited) finish(new Error(`the CLI exited before ${pattern} appeared on stderr; got:\n${stderr}\nstdout:\n${stdout}`));
        };
        const finish = (err?: Error): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return startCli(args, options).done;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  logFile: string;
  /** The requests the server saw, from its --log file. */
  requests(): Array<{ call: number; kind?: string; outcome?: string; rule?: number }>;
  close(): Promise<void>;
}

/** Starts the scripted OpenAI-compatible server as its own process on 127.0.0.1. */
export async function startServer(script: Script | string, dir: string): Promise<ServerProcess> {
  let scriptFile = script as string;
  if (typeof script !== 'string') {
    scriptFile = join(dir, `script-${process.hrtime.bigint()}.json`);
    writeFileSync(scriptFile, JSON.stringify(script));
  }
  const logFile = join(dir, `requests-${process.hrtime.bigint()}.jsonl`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'llm-server', 'cli.ts'), '--script', scriptFile, '--port', '0', '--log', logFile],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([once(lines, 'line').then(([l]) => l as string), once(child, 'exit').then(() => undefined)]);
  if (!first || !/^http:\/\/127\.0\.0\.1:\d+\/v1$/.test(first)) throw new Error(`the scripted server did not start: ${first ?? ''}\n${stderr}`);
  return {
    url: first,
    child,
    logFile,
    requests: () => {
      try {
        return readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { call: number; kind?: string; outcome?: string; rule?: number });
      } catch {
        return [];
      }
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** A scratch copy of an example's folder, so tests may edit and apply to it. */
export function copyExample(relativeDir: string, into: string): string {
  const target = join(into, relativeDir.replace(/[\\/]/g, '-'));
  cpSync(join(EXAMPLES_DIR, relativeDir), target, { recursive: true });
  return target;
}

export function scratchDir(prefix = 'effopt-e2e-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function parseReport(text: string): OptimizationReport {
  return JSON.parse(text) as OptimizationReport;
}

export interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

/** The process table from `ps -eo pid,ppid,args`. */
export function processTable(): Proc[] {
  const out = execFileSync('ps', ['-ww', '-eo', 'pid=,ppid=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
}

/** Every process below `root`. */
export function descendantsOf(root: number, table = processTable()): Proc[] {
  const found: Proc[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const p of table) {
      if (p.ppid !== parent || found.includes(p)) continue;
      found.push(p);
      frontier.push(p.pid);
    }
  }
  return found;
}

/** A sandboxed harness process (the node harness or the Python one, or their launcher). */
export const isHarness = (p: Proc): boolean => p.args.includes('dist/harness/') || p.args.includes('effopt-sandbox');

/** The processes of `procs` that still exist with the same command line (pids are not reused in a few seconds, but check). */
export function stillRunning(procs: readonly Proc[]): Proc[] {
  const now = new Map(processTable().map((p) => [p.pid, p]));
  return procs.filter((p) => now.get(p.pid)?.args === p.args);
}
