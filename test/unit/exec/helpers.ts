// Shared helpers for the exec tests: a harness session with test defaults, and process-table
// checks (no sandbox process may outlive a test).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { HarnessSession } from '../../../src/core/exec/sandbox/session';
import type { CallResult, HarnessConfig } from '../../../src/core/exec/sandbox/protocol';
import type { RuntimeId } from '../../../src/core/languages/types';
import { liveSandboxPids } from '../../../src/core/exec/sandbox/sandbox';

export const testConfig: HarnessConfig = {
  seed: 1,
  fixedClockMs: 1704067200000,
  stdoutLimit: 64 * 1024,
  maxNodes: 200_000,
  iterCap: 50,
  maxCasesPerGenerator: 64,
  memoryMb: 256,
  importPaths: [],
};

export function startSession(runtime: RuntimeId, extra: Partial<Parameters<typeof HarnessSession.start>[0]> = {}): Promise<HarnessSession> {
  return HarnessSession.start({ runtime, memoryMb: 256, processTimeoutMs: 120_000, config: testConfig, ...extra });
}

/**
 * One harness session for the enclosing describe: started before its tests, closed after them,
 * with no sandbox process left behind. The returned object forwards to the live session.
 */
export function sessionForSuite(runtime: RuntimeId, extra: Partial<Parameters<typeof HarnessSession.start>[0]> = {}): HarnessSession {
  let session: HarnessSession | undefined;
  before(async () => {
    session = await startSession(runtime, extra);
  });
  after(async () => {
    await session?.close();
    assert.deepEqual(await leftovers(), []);
  });
  return new Proxy({} as HarnessSession, {
    get: (_, key) => {
      if (!session) throw new Error('the harness session is not started yet (use it inside a test)');
      const value: unknown = Reflect.get(session, key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(session) : value;
    },
  });
}

let programCounter = 0;

/** Loads `source` as a fresh program with entry `entry`, stores `args` as its only case and calls it with capture. */
export async function runOnce(session: HarnessSession, source: string, entry: string, argsExpr: string, timeoutMs = 2000): Promise<CallResult> {
  const program = `p${programCounter++}`;
  const filename = session.options.runtime === 'python' ? '/tmp/effopt-test.py' : '/tmp/effopt-test.js';
  await session.request({ op: 'load', program, source, entry, filename }, 10_000);
  const expectedExpr = session.options.runtime === 'python' ? 'None' : 'null';
  await session.request({ op: 'assertion', program, set: 'a', argsExpr, expectedExpr, previewNodes: 50, timeoutMs }, 10_000);
  return session.request<CallResult>(
    { op: 'call', program, input: { set: 'a', index: 0 }, seed: 1, timeoutMs, capture: true, previewNodes: 50 },
    timeoutMs + 10_000,
  );
}

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  cmdline: string;
}

export function processTable(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      // Zombies already reaped by nobody still count: they are leftovers too.
      out.push({ pid: Number(name), ppid: Number(fields[1]), comm, cmdline });
    } catch {
      // exited while reading
    }
  }
  return out;
}

/** Every process below `root` in the process tree. */
export function descendants(root = process.pid): ProcInfo[] {
  const table = processTable();
  const found: ProcInfo[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop() as number;
    for (const p of table) {
      if (p.ppid === parent) {
        found.push(p);
        frontier.push(p.pid);
      }
    }
  }
  return found;
}

/** Processes anywhere on the machine whose name or command line carries `marker`. */
export function processesMarked(marker: string): ProcInfo[] {
  return processTable().filter((p) => p.comm.includes(marker) || p.cmdline.includes(marker));
}

/** Waits (briefly) until no sandbox of this test process is left, then reports what is. */
export async function leftovers(marker?: string): Promise<string[]> {
  for (let i = 0; i < 40; i++) {
    // tsx keeps an esbuild service process: not a sandbox.
    const kids = descendants().filter((p) => p.comm !== 'esbuild');
    const marked = marker ? processesMarked(marker) : [];
    if (kids.length === 0 && marked.length === 0 && liveSandboxPids().length === 0) return [];
    if (i === 39)
      return [...kids, ...marked].map((p) => `${p.pid} ${p.comm} ${p.cmdline.slice(0, 80)}`).concat(liveSandboxPids().map((p) => `live sandbox ${p}`));
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}
