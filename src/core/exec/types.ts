// Public types of the execution engine: what the pipeline passes to verify()/benchmark() and
// what it gets back.
import type { LanguageId } from '../languages/types';
import type { AssertionTest, DroppedTestMaterial, InputGenerator } from '../testgen/types';
import type { EquivalenceOptions, Difference } from './compare/equivalence';
import type { Effects } from './sandbox/protocol';
import type { ThrownInfo } from './sandbox/protocol';
import type { SandboxCapabilities } from './sandbox/sandbox';
import type { EValue } from './compare/values';

/** A module to run: its full source (imports, constants, helpers, the function) and the entry. */
export interface ProgramSource {
  moduleText: string;
  /**
   * A top-level function name, `Class.staticMethod` / `obj.method`, or an instance method:
   * `Class.prototype.method` in JS/TS, `Class.method` in Python. For an instance method, argument 0
   * of every case is the instance's state (an object / dict of its fields): the harness builds the
   * receiver from it without running the constructor, and compares it after the call like any
   * mutated argument.
   */
  entry: string;
}

export interface CandidateSource extends ProgramSource {
  id: string;
}

export interface ExecLimits {
  /** Wall-clock limit per call in ms (the effopt.timeoutMs setting; default 10 000). */
  timeoutMs: number;
  /** Memory cap per sandbox process in MiB (effopt.memoryMb; default 512). */
  memoryMb: number;
  /** Wall-clock limit per sandbox process in ms (default 20 min: a backstop, calls have their own limit); the process is killed past it. */
  processTimeoutMs?: number;
  /** Bytes one call may print before it is stopped (default 1 MiB). */
  stdoutLimitBytes?: number;
}

export interface ExecEnvironment {
  /** The user's project: npm packages / Python modules resolve from here; the sandbox may read it. */
  projectDir?: string;
  /** The file the function comes from (relative imports resolve from its folder). */
  filePath?: string;
  /** Further directories the code may read (monorepo roots, a shared node_modules). */
  readPaths?: string[];
  /** Python interpreter (effopt.pythonPath); default `python3`. */
  pythonPath?: string;
  /** Node executable for the Node harness; default the running Node (Electron as Node in VS Code). */
  nodePath?: string;
  /** Do not use Linux namespaces even where available (diagnostics, tests of the fallback). */
  noNamespaces?: boolean;
}

export interface DeterminismOptions {
  /** Base seed for generators, Math.random / random (default 20240101). */
  seed?: number;
  /** Fixed clock in ms since epoch (default 2024-01-01T00:00:00Z); null = the real clock. */
  fixedClockMs?: number | null;
}

export interface ProgressEvent {
  phase: 'verify' | 'benchmark';
  message: string;
  done?: number;
  total?: number;
}

export interface TestMaterial {
  generators: InputGenerator[];
  assertions?: AssertionTest[];
}

export interface VerifyRequest extends ExecEnvironment, DeterminismOptions {
  language: LanguageId;
  original: ProgramSource;
  candidates: CandidateSource[];
  tests: TestMaterial;
  limits: ExecLimits;
  equivalence?: Partial<EquivalenceOptions>;
  /** Parallel sandbox processes (default 2). */
  concurrency?: number;
  /** Restarts of a program's sandbox after a crash/timeout before its remaining cases are skipped (default 3). */
  maxRestarts?: number;
  /** Skip the original's second run (the determinism check); default false. */
  skipDeterminismCheck?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

/** What happened in one call, as seen from effopt. */
export type OutcomeStatus =
  | 'returned'
  | 'threw'
  | 'exited' // process.exit / sys.exit (caught by the harness) or the process exiting by itself
  | 'timeout'
  | 'memory'
  | 'crashed'
  | 'output-limit'
  | 'skipped' // not run (too many restarts, or the inputs could not be built)
  | 'error'; // the harness could not run it (unknown input, protocol break)

export interface CaseOutcome {
  status: OutcomeStatus;
  value?: EValue;
  error?: ThrownInfo;
  exitCode?: number;
  argsAfter?: EValue[];
  stdout: string;
  stdoutOverflow: boolean;
  /** Wall time of the single call (indicative, not a benchmark). */
  seconds: number;
  /** Builtins the code changed. */
  tampered: string[];
  /** Why, for statuses other than returned/threw (the sandbox's death message, ...). */
  detail?: string;
  /** The call returned a Promise/thenable or coroutine/awaitable, which the harness awaited. */
  awaited?: boolean;
  /** What the call did besides returning (files, network, processes, secrets, work left running). */
  effects?: Effects;
}

export type CaseKind = 'generated' | 'assertion';

export interface VerifyCase {
  /** `L1/g0/3` (level 1, generator 0, case 3) or `A/<assertion id>`. */
  id: string;
  kind: CaseKind;
  level?: number;
  generator?: number;
  assertionId?: string;
  /** The arguments before the call (bounded preview) and as text. */
  args?: EValue[];
  argsText: string;
  /** False when the case does not count (original not deterministic, original failed, ...). */
  included: boolean;
  excludedReason?: string;
  /** The original's outcome (first run). */
  original: CaseOutcome;
}

export type VerdictStatus = 'pass' | 'fail' | 'excluded' | 'skipped';

export interface CaseVerdict {
  caseId: string;
  status: VerdictStatus;
  /** One line: why it failed or was excluded. */
  reason?: string;
  diffs?: Difference[];
  /** Readable diff: input, expected, actual, differences. */
  diffText?: string;
  /** The candidate's outcome (kept for failures; for passes only status and seconds). */
  outcome: CaseOutcome;
}

export interface ProgramVerification {
  id: string;
  /** verified = equivalent on every included case; failed = at least one failing case. */
  status: 'verified' | 'failed' | 'load-error' | 'unsupported' | 'no-cases';
  loadError?: string;
  passed: number;
  failed: number;
  excluded: number;
  skipped: number;
  verdicts: CaseVerdict[];
  firstFailure?: CaseVerdict;
  restarts: number;
  /** Builtins changed while loading the module. */
  tamperedOnLoad: string[];
}

export interface AssertionVerdict {
  id: string;
  argsText: string;
  expectedText?: string;
  expected?: EValue;
  /** Dropped when its expressions did not evaluate in the original's sandbox. */
  error?: string;
  /** programId ('original' or a candidate id) → passes the assertion (null: could not be run). */
  passes: Record<string, boolean | null>;
}

export interface VerifyResult {
  language: LanguageId;
  /** Set when the entry is an instance method: argument 0 of every case is the receiver, shown as `this` / `self`. */
  receiver?: 'this' | 'self';
  cases: VerifyCase[];
  original: { status: 'ok' | 'load-error' | 'unsupported'; loadError?: string; restarts: number; tamperedOnLoad: string[] };
  candidates: ProgramVerification[];
  assertions: AssertionVerdict[];
  /** Generators / assertion tests that were dropped, and why. */
  dropped: DroppedTestMaterial[];
  notes: string[];
  sandbox: SandboxCapabilities;
  /** Transpile time per program (ms), for the report. */
  transpileMs: Record<string, number>;
  seconds: number;
}

// ---- benchmark ----

export interface BenchmarkRequest extends ExecEnvironment, DeterminismOptions {
  language: LanguageId;
  original: ProgramSource;
  candidates: CandidateSource[];
  /** The same generators as verification (cases are regenerated from code, level and seed). */
  generators: InputGenerator[];
  /** Levels to time (default: every generator level ≥ 1). */
  levels?: number[];
  /** Hardness weight per level number for the overall speedup (default ENAMEL [0, 3, 3, 4]). */
  levelWeights?: readonly number[];
  /** Rounds: repeats per case per program (default 6). */
  repeats?: number;
  /** A speedup counts when its interval's lower bound is above 1 + noiseFloor (default 0.05). */
  noiseFloor?: number;
  /** Measurement time per program per level in ms, split over rounds and cases (default 800: with warm-up and calibration ≈ 1.8 s per pair and level). */
  budgetMsPerLevel?: number;
  /** Warm-up per program per level in ms before the rounds, split over the cases (default 100). */
  warmupMs?: number;
  /** ENAMEL α: candidate calls slower than α·2 × the original's slowest probe are cut as TLE (default 2). */
  timeLimitFactor?: number;
  /** Cases per level at most (default 8). */
  maxCasesPerLevel?: number;
  /** How results of timed calls are compared with the original's (as in verification). */
  equivalence?: Partial<EquivalenceOptions>;
  /** Bootstrap resamples (default 2000) and confidence (default 0.95). */
  resamples?: number;
  confidence?: number;
  limits: ExecLimits;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

/** A timed run: seconds per call, or what stopped it (ENAMEL tokens). */
export type TimedRun = number | 'TLE' | 'MLE' | 'ERR';

export interface CaseTiming {
  id: string;
  /** One entry per round. */
  runs: TimedRun[];
  /** Hodges–Lehmann estimate of the numeric runs (seconds per call); null when any run failed. */
  hl: number | null;
  /** Median absolute deviation within each round's slot (seconds), for diagnostics. */
  slotMads: number[];
  /** Calls per timed iteration (batching of fast calls). */
  batch: number;
  /** Seconds of the fastest single call on a nearby input (two elements swapped) once warm: the cold-versus-warm check. */
  nearbySeconds?: number;
}

export interface LevelTiming {
  level: number;
  cases: CaseTiming[];
  /** Worst case: max over cases of HL (seconds); null when a case failed. */
  worst: number | null;
  /** What stopped this level (TLE/MLE/ERR) with a reason. */
  failure?: { token: 'TLE' | 'MLE' | 'ERR'; reason: string };
  /** The original's only: the level could not be measured (its sandbox was lost, or the original failed it while timed), and why. */
  lost?: string;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface LevelSpeedup extends Interval {
  level: number;
  /** Lower bound above 1 + noise floor. */
  accepted: boolean;
  /** The fixed-threshold baseline: min over repeats, worst case, ratio > 1 + noise floor. */
  minRule: { speedup: number; accepted: boolean };
}

export interface ProgramTiming {
  id: string;
  status: 'ok' | 'load-error' | 'failed';
  error?: string;
  levels: LevelTiming[];
  /** Seconds this program spent in timing slots (calibration, warm-up and rounds). */
  measureSeconds: number;
}

/** The measurement-integrity checks a timed program goes through (SANDBOX.md, "Measurement integrity"). */
export type IntegrityCheckId = 'isolated' | 'fresh-inputs' | 'results' | 'clock' | 'after-return' | 'side-effects' | 'contract' | 'cold-start' | 'plausible';

export interface IntegrityCheck {
  id: IntegrityCheckId;
  passed: boolean;
  /** What was checked and what was seen, in plain words. */
  detail: string;
}

export interface Integrity {
  checks: IntegrityCheck[];
  /** The check that disqualified the program: `wrong` when it answered differently while timed, `rejected` otherwise. */
  failure?: { id: IntegrityCheckId; verdict: 'wrong' | 'rejected'; reason: string };
  /** Set when the speedup is beyond what is plausible: a person must confirm before it is applied. */
  needsConfirmation?: string;
}

export interface CandidateTiming extends ProgramTiming {
  /** Which integrity checks ran on the timed calls and what they found. */
  integrity: Integrity;
  speedups: LevelSpeedup[];
  /** Weighted geometric mean of the level speedups (weights = level hardness) with its interval. */
  overall: (Interval & { accepted: boolean; minRule: { speedup: number; accepted: boolean } }) | null;
  /** Accepted: overall lower bound > 1 + noise floor and no level significantly slower. */
  accepted: boolean;
  reason: string;
  /**
   * What decided `accepted`, for wording verdicts: only `not-clear` means the interval did not
   * clear 1 + noise floor; `lost-level`: a level could not be measured (not the rewrite's doing);
   * `stopped`: TLE/MLE/ERR or not loaded; `incomplete`: levels missing; `integrity`: disqualified.
   */
  verdict?: 'accepted' | 'not-clear' | 'slower' | 'lost-level' | 'incomplete' | 'stopped' | 'integrity';
}

export interface BenchmarkResult {
  language: LanguageId;
  levels: number[];
  repeats: number;
  noiseFloor: number;
  original: ProgramTiming;
  candidates: CandidateTiming[];
  /** Per-call cut-off used for candidates (seconds): runs beyond it are TLE. */
  cutoffSeconds: number;
  /** Seconds spent in timing slots (measurement) and overall. */
  measureSeconds: number;
  seconds: number;
  /** Fresh processes started after a kill (each restart is noted; a restarted process gets its inputs again). */
  restarts: number;
  /** Levels that could not be measured, with why (absent when every level was). No candidate is accepted without them. */
  lostLevels?: Array<{ level: number; reason: string }>;
  /** Per timed level: the size of its largest case (compare/sizes.ts), when known. */
  inputSizes?: Array<{ level: number; n: number }>;
  notes: string[];
  sandbox: SandboxCapabilities;
}
