// The request/response protocol between effopt and a sandbox harness (Node or Python).
// Transport: requests are JSON objects, one per line, on the harness's stdin; responses are JSON
// objects, one per line, on file descriptor 3 (so code under test printing to stdout cannot
// corrupt the protocol). The harness answers requests in order, one at a time.
// The Python harness (harness/python_harness.py) mirrors these shapes; bump PROTOCOL_VERSION in
// both when a shape changes.
import type { EValue } from '../compare/values';

export const PROTOCOL_VERSION = 6;

/** Where the arguments of one call come from: a stored input set (generator or assertion) and an index. */
export interface InputRef {
  set: string;
  index: number;
}

export interface HarnessConfig {
  /** Seed of the generators' rng and of Math.random / random before each call. */
  seed: number;
  /** Date.now()/new Date() (JS) and time.time()/datetime.now() (Python) return this; null = real clock. */
  fixedClockMs: number | null;
  /** Bytes of stdout one call may print before it is stopped (OutputLimitExceeded). */
  stdoutLimit: number;
  /** Captured values larger than this many nodes become opaque ("too large"). */
  maxNodes: number;
  /** Items taken from a returned generator/iterator before it is cut ("more"). */
  iterCap: number;
  /** Cases kept per generator; more are dropped with a note. */
  maxCasesPerGenerator: number;
  /** Python only: RLIMIT_AS in MiB (0 = none). Node gets its heap limit from flags. */
  memoryMb: number;
  /** Python only: directories put first on sys.path (the project). Node resolves from each program's filename. */
  importPaths: string[];
}

export type Request =
  | { id: number; op: 'hello' }
  | { id: number; op: 'configure'; config: HarnessConfig }
  /** Loads a program: module source (already plain JS for Node) and its entry (`f`, `Class.method`, or JS `Class.prototype.method`). */
  | { id: number; op: 'load'; program: string; source: string; entry: string; filename: string }
  /** Runs a generator's `generate(rng)` in a program's module scope and stores the cases as input set `set`. */
  | { id: number; op: 'generate'; program: string; set: string; code: string; seed: number; previewNodes: number; timeoutMs: number }
  /** Evaluates an assertion's argument and expected expressions in a program's scope; stores the args as input set `set` (one case). */
  | { id: number; op: 'assertion'; program: string; set: string; argsExpr: string; expectedExpr: string; previewNodes: number; timeoutMs: number }
  /** One call with full capture (verification). */
  | { id: number; op: 'call'; program: string; input: InputRef; seed: number; timeoutMs: number; capture: boolean; previewNodes: number }
  /** Whether one call changes its arguments (decides cloning in timing loops). It runs on the stored input: rebuild the set when it did. */
  | { id: number; op: 'mutates'; program: string; input: InputRef; seed: number; timeoutMs: number }
  /**
   * One timing slot: `iterations` timed iterations of `batch` calls each, every call on its own
   * fresh deep copy of the stored input (`fresh: 'call'`, the default; copies are made before the
   * clock starts), or every call on the stored input itself (`fresh: 'none'`: when no program
   * changes its arguments on this input, so copying would only add work). The harness
   * sends progress 'ready' just before the first timed call and 'ran' right after the last one
   * (effopt's own clock runs between the two), then checks up to `checks` of the results.
   */
  | {
      id: number;
      op: 'measure';
      program: string;
      input: InputRef;
      seed: number;
      iterations: number;
      batch: number;
      checks: number;
      gc: boolean;
      fresh?: 'call' | 'none';
    }
  /** Forgets stored input sets (frees memory between levels). */
  | { id: number; op: 'release'; sets: string[] }
  | { id: number; op: 'exit' };

export type RequestOp = Request['op'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request before the session numbers it (the union member kept: `op` decides the fields). */
export type RequestBody = DistributiveOmit<Request, 'id'>;

export interface HelloResult {
  protocol: number;
  runtime: 'node' | 'python';
  version: string;
  /** What the harness could set up itself (e.g. RLIMIT_AS), for SANDBOX.md-style reports. */
  limits: string[];
}

export interface ThrownInfo {
  /** Constructor / class name of what was thrown (`TypeError`, `ValueError`, `string` for a thrown primitive). */
  type: string;
  message: string;
  stack?: string;
}

/**
 * What a program did besides returning a value, seen by the harness during one request. Every
 * list is empty for a program without side effects. Entries are short, stable descriptions.
 */
export interface Effects {
  /** Files created, written, truncated, removed or renamed: paths relative to the work dir (`~/x` for its HOME), absolute outside it. */
  files: string[];
  /** Network attempts, refused or not: `connect 127.0.0.1:80`, `bind 0.0.0.0:0`, `dns example.com`. */
  network: string[];
  /** Attempts to start processes or threads of execution: `spawn ls`, `fork`, `worker`, `thread`. */
  processes: string[];
  /** Environment variables read whose names look like secrets (KEY, TOKEN, SECRET, PASSWORD, …). */
  secrets: string[];
  /** Work still alive after the call returned: `timer`, `immediate`, `thread Thread-1`, `task`. */
  pending: string[];
}

export interface LoadResult {
  /** What module loading printed (not compared). */
  stdout: string;
  /** Builtins the module changed while loading. */
  tampered: string[];
  /** Set for an instance method: argument 0 of every case is the receiver, shown under this name. */
  receiver?: 'this' | 'self';
  /** Side effects of the module's top-level code. */
  effects?: Effects;
}

export interface GenerateResult {
  count: number;
  /** sha256 of the captured argument lists: equal in every process that regenerates the same cases. */
  fingerprint: string;
  /** Each case's size by the rule in ../compare/sizes.ts (its largest argument's length, …); null when unknown. */
  sizes: Array<number | null>;
  /** A bounded preview of each case's arguments, for reports. */
  previews: EValue[][];
  /** Cases beyond maxCasesPerGenerator that were dropped. */
  droppedCases: number;
  seconds: number;
}

export interface AssertionResult {
  fingerprint: string;
  preview: EValue[];
  expected: EValue;
}

export type CallStatus = 'returned' | 'threw' | 'exited' | 'timeout';

export interface CallResult {
  status: CallStatus;
  /** status = returned (only when capture). */
  value?: EValue;
  /** status = threw. */
  error?: ThrownInfo;
  /** status = exited: the code passed to process.exit / sys.exit. */
  exitCode?: number;
  /** The arguments after the call (mutation), when capture. */
  argsAfter?: EValue[];
  /** A bounded preview of the arguments before the call, when capture. */
  argsBefore?: EValue[];
  stdout: string;
  /** True when the call printed more than the stdout limit and was stopped. */
  stdoutOverflow: boolean;
  /** Wall time of the call in seconds (single run: indicative, not a benchmark). */
  seconds: number;
  /** Builtins the call changed (Array.prototype.map, JSON.stringify, builtins.len, ...). */
  tampered: string[];
  /** Python: MemoryError (the address-space limit); Node heap exhaustion kills the process instead. */
  memory?: boolean;
  /** The harness state may be unsafe (an async call timed out and may still run): start a new process. */
  dirty?: boolean;
  /** The call returned a Promise / thenable (JS) or a coroutine / awaitable (Python), which the harness awaited. */
  awaited: boolean;
  /** Side effects of the call. */
  effects: Effects;
}

export interface MutatesResult {
  mutates: boolean;
  status: CallStatus;
}

export interface MeasureResult {
  /** Per-call seconds of each timed iteration (iteration time / batch), by the harness's clock. */
  samples: number[];
  /** Median and median absolute deviation of samples (seconds). */
  median: number;
  mad: number;
  /** Iterations and calls actually timed (fewer than asked when the copies would not fit in memory). */
  iterations: number;
  calls: number;
  /** Seconds from the 'ready' mark to the 'ran' mark on the harness's clock (timed calls plus the loop's own bookkeeping): effopt compares it with its own clock. */
  timedSeconds: number;
  /** Seconds spent in the slot in all (copying, timing, checking). */
  wallSeconds: number;
  /** Seconds between 'ran' and the reply (checking results): the same work for every correct program. */
  checkSeconds: number;
  /**
   * sha256 of the canonical encoding of each checked call's result, with how many checked calls
   * gave it (the arguments after the call are encoded for the last call only, in `argsAfter`). One entry for a program that answers the same way every time.
   */
  digests: Array<{ digest: string; count: number }>;
  /** How many of `calls` were checked (evenly spread, the first and the last always among them). */
  checked: number;
  /** Full encoding of the last call's result and arguments after it (compared with the original's in effopt). */
  value?: EValue;
  argsAfter?: EValue[];
  /** The results were Promises / awaitables that the timed loop awaited. */
  awaited: boolean;
  /** Set when a call threw during the slot: the slot is not a valid sample. */
  error?: ThrownInfo;
  tampered: string[];
  effects: Effects;
}

/**
 * Progress messages arrive while a request is still being answered. `called` (call/mutates/generate/assertion): the
 * code under test has finished and the harness is capturing values (harness code, bounded by
 * maxNodes), so effopt switches from the call's wall-clock limit to the capture limit. `ready` and
 * `ran` (measure) bracket the timed calls: effopt reads its own clock when each arrives. A
 * progress message out of order or repeated is a protocol breach.
 */
export type ProgressKind = 'called' | 'ready' | 'ran';
export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ThrownInfo } | { id: number; progress: ProgressKind };
