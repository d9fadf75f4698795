// benchmark(): timing the original against candidates under the exclusive CPU lock, so that no
// rewrite can buy a speedup it did not earn (SANDBOX.md, "Measurement integrity").
//
// Every program is timed in a sandbox process of its own (nothing it does can reach another
// program's calls or timings); effopt alternates between the processes, one at a time, in an
// order rotated every round (interleaving: drift and contention hit every program alike). Per
// level: inputs are rebuilt from the generators' code and seeds (fingerprints checked against the
// original's), each program is probed twice per case (the first call on an input it has never seen
// is its cold time; a candidate slower than the cut-off is TLE for this and later levels), fast
// calls are batched so a timed iteration lasts ≥ 50 µs, then R rounds of timing slots. In a slot
// every call runs on its own fresh copy of the input, made before the clock starts; the harness
// marks the start and the end of the timed calls and effopt reads its own clock at both marks;
// afterwards the harness hashes the results, and effopt compares them with the original's. Per
// case the Hodges–Lehmann estimate over rounds; per level the worst case; speedups with paired
// bootstrap intervals. A program that answers differently while timed, reports time effopt did
// not see, keeps working after its calls return, has side effects the original has not, changes
// the sync/async contract, or is far faster on a repeated input than on a new one is disqualified.
import { availableParallelism } from 'node:os';
import { analyseSpeedup, clearsNoiseFloor, minRuleSpeedup, significantlySlower, weightedGeometricMean } from '../../stats/speedup';
import { hodgesLehmann, median } from '../../stats/hodgesLehmann';
import { runtimeOf } from '../../languages/types';
import { compareValues } from '../compare/equivalence';
import { HostLag } from './hostLag';
import { cpuLock } from '../lock';
import type { Effects, GenerateResult, LoadResult, MeasureResult, MutatesResult } from '../sandbox/protocol';
import {
  ExecCancelled,
  ExecRequestError,
  preflight,
  prepareGenerators,
  prepareProgram,
  resolveDeterminism,
  sessionOptions,
  throwIfCancelled,
  hardCallLimitMs,
  type PreparedGenerator,
  type PreparedProgram,
} from '../sandbox/programs';
import { NEARBY_VARIANTS, nearbyGenerator } from './nearby';
import { renderValue } from '../compare/valueText';
import { sandboxCapabilities } from '../sandbox/sandbox';
import { caseSeed } from '../sandbox/seeds';
import { sizeText } from '../compare/sizes';
import { HarnessError, HarnessSession, SandboxDied } from '../sandbox/session';
import type {
  BenchmarkRequest,
  BenchmarkResult,
  CandidateTiming,
  CaseTiming,
  Integrity,
  IntegrityCheck,
  IntegrityCheckId,
  LevelSpeedup,
  LevelTiming,
  ProgramTiming,
  TimedRun,
} from '../types';
import type { EValue } from '../compare/values';
import { DEFAULT_LEVELS, DEFAULT_REPEATS, ORIGINAL_ID } from '../../defaults';

const ORIGINAL = ORIGINAL_ID;
/** A timed iteration should last at least this long (timer resolution here is ~0.3–0.45 µs). */
const MIN_ITERATION_SECONDS = 50e-6;
const MAX_BATCH = 100_000;
const MAX_ITERATIONS = 20_000;
/** Target length of one timing sub-slot (ms): programs alternate at this granularity within a round. */
const SUB_SLOT_MS = 25;
const DEFAULT_WEIGHTS = DEFAULT_LEVELS;
/** Results hashed per slot (evenly spread; the first and the last call always among them). */
const CHECKS_PER_SLOT = 3;
/**
 * The harness times the calls (precise, untouched by effopt's own load); effopt's clock, read when
 * the ready/ran marks arrive, must agree: a harness that reports less than this share of what
 * effopt saw (less the slack for pipe latency) reported time it did not spend, when that happens
 * on many slots (effopt itself can wake late for a mark now and then).
 */
const CLOCK_SHARE = 0.8;
const CLOCK_SLACK_SECONDS = 0.002;
/** Disagreements that disqualify: at least this many, and at least this share of the program's slots. */
const CLOCK_STRIKES = 3;
const CLOCK_STRIKE_SHARE = 0.3;
/**
 * Cold-versus-warm, on nearby inputs once the code is warm: a program whose calls on inputs it has
 * not seen are far slower than its repeated calls, against the original's own ratio, remembers
 * answers. (First calls are not used: compilation and fresh memory pages make honest ones slow.)
 */
const NEARBY_LIMITS = { factor: 20, relative: 3 };
const NEARBY_MIN_SECONDS = 100e-6;
/**
 * Checking results after the clock stops is the same work for every correct program. The slack
 * covers a sandbox process preempted on its CPU by the rest of a busy machine (10 ms seen on CI-like
 * load): work hidden after the clock below it per call is not caught by this rule.
 */
const CHECK_FACTOR = 4;
const CHECK_SLACK_SECONDS = 0.015;
/** Beyond this a speedup needs a person's confirmation before it is applied. */
const IMPLAUSIBLE_SPEEDUP = 1000;

type Token = 'TLE' | 'MLE' | 'ERR';

interface BenchCase {
  id: string;
  set: string;
  index: number;
}

/** What the original did on a case while timed: the reference every candidate is held to. */
interface Reference {
  value?: EValue;
  argsAfter?: EValue[];
  digest?: string;
  /** The original itself answered differently between calls: results on this case are not compared. */
  unstable: boolean;
  awaited: boolean;
}

interface Contestant {
  key: string;
  program: PreparedProgram;
  timing: ProgramTiming;
  session?: HarnessSession;
  /** Set once the program stops being timed (load error, TLE/MLE/ERR on a level). */
  stopped?: { level: number; token: Token | 'load'; reason: string };
  failure?: Integrity['failure'];
  /** A check that did not pass but does not prove gaming: the result needs a person's confirmation. */
  concern?: { id: IntegrityCheckId; reason: string };
  /** Result digests already found equivalent to the original's, per case. */
  verified: Map<string, Set<string>>;
  /** Checking time per case (seconds), on single-call probes. */
  checkSeconds: Map<string, number[]>;
  effects: Effects;
  awaited?: boolean;
  slots: number;
  calls: number;
  checked: number;
  /** Slots whose reported time effopt's clock contradicted. */
  clockStrikes: number;
  /** Seconds of one call on a nearby input, after the level was timed, per case. */
  nearby: Map<string, number>;
  /** A level its sandbox lost (not its own failure): no verdict on it. */
  lostLevel?: { level: number; reason: string };
  /** The input sets its process holds, to build them again in a restarted process. */
  sets: Map<string, { code: string; seed: number; fingerprint: string }>;
}

/** A request on a program's session: its value, or what went wrong (`infrastructure`: not the program's doing). */
type Guarded<T> = { ok: true; value: T } | { ok: false; death?: SandboxDied; error?: HarnessError; infrastructure?: string };

/**
 * Deaths that say nothing about the code under test by themselves: a signal effopt did not send
 * (the OS's out-of-memory killer, a person), the harness crashing or failing to set up, the whole
 * process's wall clock running out over a long benchmark. Retried once in a fresh process.
 */
function isInfrastructureDeath(err: SandboxDied): boolean {
  return err.kind === 'crashed' || err.exit.killedBy === 'process-timeout';
}

const emptyEffects = (): Effects => ({ files: [], network: [], processes: [], secrets: [], pending: [] });

function validate(req: BenchmarkRequest): void {
  const ids = new Set<string>();
  for (const c of req.candidates) {
    if (!c.id || c.id === ORIGINAL) throw new ExecRequestError(`candidate id "${c.id}" is empty or reserved`);
    if (ids.has(c.id)) throw new ExecRequestError(`candidate id "${c.id}" is used twice`);
    ids.add(c.id);
  }
  if ((req.repeats ?? DEFAULT_REPEATS) < 3) throw new ExecRequestError('repeats must be at least 3');
  if (!(req.limits.timeoutMs > 0) || !(req.limits.memoryMb > 0)) throw new ExecRequestError('limits.timeoutMs and limits.memoryMb must be positive');
}

/** Times the candidates against the original; holds the process-wide CPU lock exclusively. */
export async function benchmark(req: BenchmarkRequest): Promise<BenchmarkResult> {
  validate(req);
  preflight(req.language, req);
  return cpuLock.exclusive(() => new BenchmarkRun(req).execute(), req.signal);
}

function deathToken(err: SandboxDied): Token {
  return err.kind === 'timeout' ? 'TLE' : err.kind === 'memory' ? 'MLE' : 'ERR';
}

const EFFECT_WORDS = {
  files: 'writes files',
  network: 'attempts network connections',
  processes: 'starts processes',
  secrets: 'reads secrets from the environment',
} as const;

const median0 = (xs: number[] | undefined): number | undefined => (xs && xs.length > 0 ? median(xs) : undefined);
const min0 = (xs: number[] | undefined): number | undefined => (xs && xs.length > 0 ? Math.min(...xs) : undefined);

const micro = (s: number): string => (s >= 1e-3 ? `${(s * 1e3).toPrecision(3)} ms` : `${(s * 1e6).toPrecision(3)} µs`);

class BenchmarkRun {
  private readonly det;
  private readonly generators: PreparedGenerator[];
  private readonly contestants: Contestant[];
  private readonly notes: string[] = [];
  private restarts = 0;
  private measureSeconds = 0;
  private readonly started = performance.now();
  private readonly levels: number[];
  private readonly repeats: number;
  private readonly noiseFloor: number;
  private cutoffSeconds: number;
  /** Input fingerprints of the original's generator sets. */
  private readonly fingerprints = new Map<string, string>();
  private readonly references = new Map<string, Reference>();
  private readonly nearbyReferences = new Map<string, Reference>();
  private readonly nearbyBroken = new Set<string>();
  /** While the original is probed, a failing case is dropped (with this reason) instead of stopping the level. */
  private probingOriginal = false;
  private dropped: string | undefined;
  /** Levels that could not be measured (the original's sandbox failed them), with why. */
  private readonly lost = new Map<number, string>();
  /** Per level: the size of its largest benchmarked case (../compare/sizes.ts), from the original's process. */
  private readonly sizes = new Map<number, number>();
  /** Stalls of effopt's own event loop, which delay its readings of the sandbox's clock marks. */
  private readonly hostLag = new HostLag();

  constructor(private readonly req: BenchmarkRequest) {
    this.det = resolveDeterminism(req);
    this.generators = prepareGenerators(req.language, req.generators, this.det.seed);
    this.levels = req.levels ?? [...new Set(req.generators.map((g) => g.level).filter((l) => l >= 1))].sort((a, b) => a - b);
    this.repeats = req.repeats ?? DEFAULT_REPEATS;
    this.noiseFloor = req.noiseFloor ?? 0.05;
    this.cutoffSeconds = req.limits.timeoutMs / 1000;
    const make = (key: string, program: PreparedProgram): Contestant => ({
      key,
      program,
      timing: { id: key, status: 'ok', levels: [], measureSeconds: 0 },
      verified: new Map(),
      checkSeconds: new Map(),
      effects: emptyEffects(),
      slots: 0,
      calls: 0,
      checked: 0,
      clockStrikes: 0,
      nearby: new Map(),
      sets: new Map(),
    });
    this.contestants = [
      make(ORIGINAL, prepareProgram(req.language, ORIGINAL, req.original, req)),
      ...req.candidates.map((c) => make(c.id, prepareProgram(req.language, c.id, c, req))),
    ];
    for (const c of this.contestants) if (c.program.error) this.stop(c, -1, 'load', c.program.error);
  }

  private get original(): Contestant {
    return this.contestants[0];
  }

  private live(): Contestant[] {
    return this.contestants.filter((c) => !c.stopped);
  }

  /** Programs still timed on `level`: a failure on a later level (found while probing) does not stop earlier ones (ENAMEL). */
  private liveAt(level: number): Contestant[] {
    return this.contestants.filter((c) => this.timedAt(c, level));
  }

  private timedAt(c: Contestant, level: number): boolean {
    return !this.lost.has(level) && !c.failure && (!c.stopped || (c.stopped.token !== 'load' && c.stopped.level > level));
  }

  private stop(c: Contestant, level: number, token: Token | 'load', reason: string): void {
    if (c.stopped && !(c.stopped.token !== 'load' && token !== 'load' && level < c.stopped.level)) return;
    c.stopped = { level, token, reason };
    c.timing.status = token === 'load' ? 'load-error' : 'failed';
    c.timing.error = reason;
  }

  /** An integrity check failed: the program is not timed any further and cannot win. */
  private disqualify(c: Contestant, id: IntegrityCheckId, verdict: 'wrong' | 'rejected', reason: string): void {
    if (c === this.original) {
      this.notes.push(`integrity check "${id}" on the original: ${reason}`);
      return;
    }
    if (c.failure) return;
    c.failure = { id, verdict, reason };
    c.timing.status = 'failed';
    c.timing.error = reason;
  }

  private progress(message: string, done?: number, total?: number): void {
    this.req.onProgress?.({ phase: 'benchmark', message, done, total });
  }

  /** A fresh sandbox process for one program, with only that program loaded. */
  private async openSession(c: Contestant): Promise<HarnessSession | undefined> {
    throwIfCancelled(this.req.signal);
    await c.session?.close();
    c.session = undefined;
    // Every program on the same core (the last one): programs in separate processes must not be
    // timed on different cores, whose speed can differ by tens of percent on a shared machine.
    const options = {
      ...sessionOptions(this.req.language, this.req.limits, this.det, this.req, this.original.program.filename, { signal: this.req.signal }),
      cpu: Math.max(0, availableParallelism() - 1),
    };
    const session = await HarnessSession.start(options);
    c.session = session;
    try {
      const r = await session.request<LoadResult>(
        { op: 'load', program: c.key, source: c.program.source, entry: c.program.entry, filename: c.program.filename },
        30_000,
      );
      if (r.tampered.length > 0) this.stop(c, -1, 'load', `its module changes builtins (${r.tampered.slice(0, 3).join(', ')})`);
    } catch (err) {
      if (err instanceof HarnessError) this.stop(c, -1, 'load', err.message);
      else if (err instanceof SandboxDied) {
        if (err.kind === 'cancelled' || this.req.signal?.aborted) throw new ExecCancelled();
        this.stop(c, -1, 'load', err.message);
      } else throw err;
    }
    return session;
  }

  /** A program's first process; a start that is lost to the sandbox (killed from outside) is tried once more. */
  private async openFirst(c: Contestant): Promise<void> {
    try {
      await this.openSession(c);
    } catch (err) {
      if (!(err instanceof SandboxDied) || err.kind === 'cancelled' || this.req.signal?.aborted || !isInfrastructureDeath(err)) throw err;
      this.notes.push(`the sandbox of ${c.key} was lost while starting (${err.message}): started again`);
      await this.openSession(c);
    }
  }

  /**
   * Runs fn on the program's own session. A dead sandbox is restarted first: the program is
   * loaded again and every input set its process held is built again from its code and seed, so
   * no request ever meets a process that lacks its inputs. A death that is not the program's doing
   * (killed from outside, the harness crashed, its whole-process clock ran out) and an input set
   * the harness does not know are retried once in a fresh process; when that fails too the
   * failure is returned with `infrastructure` saying why, so it is never read as a verdict.
   */
  private async guarded<T>(c: Contestant, fn: (s: HarnessSession) => Promise<T>): Promise<Guarded<T>> {
    for (let attempt = 0; ; attempt++) {
      let session = c.session?.alive ? c.session : undefined;
      if (!session) {
        const fresh = await this.restart(c);
        if ('lost' in fresh) {
          if (attempt === 0 && fresh.death && isInfrastructureDeath(fresh.death)) continue;
          return { ok: false, error: fresh.error, death: fresh.death, infrastructure: fresh.lost };
        }
        session = fresh.session;
      }
      try {
        return { ok: true, value: await fn(session) };
      } catch (err) {
        if (err instanceof SandboxDied) {
          if (err.kind === 'cancelled' || this.req.signal?.aborted) throw new ExecCancelled();
          if (!isInfrastructureDeath(err)) return { ok: false, death: err };
          if (attempt === 0) continue;
          return {
            ok: false,
            death: err,
            infrastructure: `the sandbox worker of ${c.key} failed, and again in a fresh process with its inputs built again: ${err.message}`,
          };
        }
        if (err instanceof HarnessError) {
          if (err.type !== 'UnknownInput') return { ok: false, error: err };
          // Cannot happen while restarts rebuild the inputs; if it does, start over once.
          if (attempt === 0) {
            await session.close();
            continue;
          }
          return { ok: false, error: err, infrastructure: `the sandbox worker of ${c.key} lost its inputs (${err.message}), even after a restart` };
        }
        throw err;
      }
    }
  }

  /** A fresh process for the program with every input set it held built again (fingerprints checked). */
  private async restart(c: Contestant): Promise<{ session: HarnessSession } | { lost: string; death?: SandboxDied; error?: HarnessError }> {
    this.restarts++;
    const held = [...c.sets];
    c.sets.clear();
    let session: HarnessSession | undefined;
    try {
      session = await this.openSession(c);
    } catch (err) {
      if (err instanceof SandboxDied && err.kind !== 'cancelled' && !this.req.signal?.aborted) {
        this.notes.push(`sandbox of ${c.key} could not be restarted (${this.restarts}): ${err.message}`);
        return { lost: `the sandbox worker of ${c.key} could not be restarted: ${err.message}`, death: err };
      }
      throw err;
    }
    if (!session || c.stopped?.token === 'load')
      return {
        lost: `the sandbox worker of ${c.key} was restarted but the program did not load again${c.stopped ? `: ${c.stopped.reason}` : ''}`,
        error: new HarnessError('no sandbox', 'NoSession'),
      };
    for (const [set, held1] of held) {
      try {
        const r = await session.request<GenerateResult>(
          { op: 'generate', program: c.key, set, code: held1.code, seed: held1.seed, previewNodes: 0, timeoutMs: this.req.limits.timeoutMs },
          hardCallLimitMs(this.req.limits.timeoutMs),
        );
        if (r.fingerprint !== held1.fingerprint)
          return {
            lost: `after a restart the sandbox worker of ${c.key} built different inputs for ${set} (fingerprint mismatch)`,
            error: new HarnessError('fingerprint mismatch', 'Fingerprint'),
          };
        c.sets.set(set, held1);
      } catch (err) {
        if (err instanceof SandboxDied && (err.kind === 'cancelled' || this.req.signal?.aborted)) throw new ExecCancelled();
        if (err instanceof SandboxDied || err instanceof HarnessError) {
          this.notes.push(`sandbox of ${c.key} restarted (${this.restarts}) but input set ${set} could not be built again: ${err.message}`);
          return {
            lost: `the sandbox worker of ${c.key} was restarted and input set ${set} could not be built again: ${err.message}`,
            ...(err instanceof SandboxDied ? { death: err } : { error: err }),
          };
        }
        throw err;
      }
    }
    this.notes.push(
      `sandbox of ${c.key} restarted (${this.restarts}) after a kill${held.length > 0 ? `; its ${held.length} input set(s) were built again (${held.map(([x]) => x).join(', ')})` : ''}: later samples come from a fresh process`,
    );
    return { session };
  }

  /** Builds input set `set` in the program's process; the process remembers it for restarts. */
  private async buildSet(c: Contestant, set: string, code: string, seed: number): Promise<Guarded<GenerateResult>> {
    const r = await this.guarded(c, (s) =>
      s.request<GenerateResult>(
        { op: 'generate', program: c.key, set, code, seed, previewNodes: 0, timeoutMs: this.req.limits.timeoutMs },
        hardCallLimitMs(this.req.limits.timeoutMs),
      ),
    );
    if (r.ok) c.sets.set(set, { code, seed, fingerprint: r.value.fingerprint });
    else c.sets.delete(set);
    return r;
  }

  private generateSet(c: Contestant, g: PreparedGenerator): Promise<Guarded<GenerateResult>> {
    return this.buildSet(c, g.set, g.code, g.seed);
  }

  /** Forgets input sets; a dead process holds none, so it is not restarted just to forget them. */
  private async releaseSets(c: Contestant, sets: string[]): Promise<void> {
    for (const set of sets) c.sets.delete(set);
    if (c.session?.alive) await this.guarded(c, (s) => s.request({ op: 'release', sets }, 30_000));
  }

  /** A level's input sets in the program's process: each result or error, and why when the cause is not the program. */
  private async generateLevel(level: number, c: Contestant): Promise<{ sets: Map<string, GenerateResult | string>; infrastructure?: string }> {
    const mine = new Map<string, GenerateResult | string>();
    let infrastructure: string | undefined;
    for (const g of this.generators.filter((x) => x.level === level)) {
      if (g.error) {
        mine.set(g.set, g.error);
        continue;
      }
      const r = await this.generateSet(c, g);
      mine.set(g.set, r.ok ? r.value : (r.infrastructure ?? r.error?.message ?? r.death?.message ?? 'failed'));
      if (!r.ok && r.infrastructure) infrastructure ??= `building input set ${g.set}: ${r.infrastructure}`;
    }
    return { sets: mine, infrastructure };
  }

  async execute(): Promise<BenchmarkResult> {
    this.hostLag.start();
    try {
      // One process per program, started together (nothing is timed yet).
      await Promise.all(this.contestants.filter((c) => !c.stopped).map((c) => this.openFirst(c)));
      if (this.original.stopped) {
        for (const c of this.contestants.slice(1)) this.stop(c, -1, 'load', `the original could not be timed: ${this.original.stopped.reason}`);
        return this.result();
      }
      // Every program gets the same history before it is timed: the level-0 inputs (small and
      // different from every timed input: the JIT warms up without seeing a timed input), then two
      // calls per case on every level, in level order.
      for (const c of this.live()) await this.warmOnLevelZero(c);
      const usable = new Map<number, BenchCase[]>();
      let slowest = 0;
      for (const level of this.levels) {
        this.probingOriginal = true;
        const cases = await this.probeLevel(level, [this.original], undefined, this.req.limits.timeoutMs);
        this.probingOriginal = false;
        if (cases.kept.length > 0 && !this.lost.has(level)) usable.set(level, cases.kept);
        slowest = Math.max(slowest, cases.slowest);
      }
      if (usable.size === 0) {
        this.notes.push('no level has a usable case: nothing was timed');
        // Levels lost to the sandbox are said as such (result()); otherwise the original fails every case.
        if (this.lost.size === 0) for (const c of this.contestants.slice(1)) this.stop(c, -1, 'ERR', 'no usable case');
        return this.result();
      }
      const alpha = this.req.timeLimitFactor ?? 2;
      this.cutoffSeconds = Math.min(this.req.limits.timeoutMs / 1000, Math.max(0.05, 2 * alpha * slowest));
      for (const [level, cases] of usable)
        await this.probeLevel(
          level,
          this.live().filter((c) => c !== this.original),
          cases,
          this.cutoffSeconds * 1000,
        );
      for (const [level, cases] of usable) {
        await this.timeLevel(level, cases);
        if (this.lost.has(level)) usable.delete(level);
      }
      this.finalChecks(usable);
      this.progress('timing done', this.levels.length, this.levels.length);
      return this.result();
    } finally {
      this.hostLag.stop();
      await Promise.all(this.contestants.map((c) => c.session?.close()));
    }
  }

  private async warmOnLevelZero(c: Contestant): Promise<void> {
    for (const g of this.generators.filter((x) => x.level === 0 && !x.error)) {
      const r = await this.generateSet(c, g);
      if (!r.ok) continue;
      for (let i = 0; i < Math.min(r.value.count, 8); i++) {
        // Warm-up only: a failure here is seen again (and judged) when the program is timed.
        await this.guarded(c, (s) =>
          s.request<MeasureResult>(
            {
              op: 'measure',
              program: c.key,
              input: { set: g.set, index: i },
              seed: caseSeed(this.det.seed, `L0/${g.set}/${i}`),
              iterations: 3,
              batch: 1,
              checks: 1,
              gc: false,
            },
            hardCallLimitMs(this.req.limits.timeoutMs),
          ),
        );
      }
      await this.releaseSets(c, [g.set]);
    }
  }

  /**
   * Builds a level's inputs for `programs` and times one call per case twice under `limitMs`
   * (the first is the program's first call on that input: its cold time).
   * Without `cases` (the original): picks the level's cases, drops those the original fails on.
   * With `cases` (candidates): a failure stops the candidate from this level on (TLE/MLE/ERR).
   */
  private async probeLevel(
    level: number,
    programs: Contestant[],
    given: BenchCase[] | undefined,
    limitMs: number,
  ): Promise<{ kept: BenchCase[]; slowest: number }> {
    throwIfCancelled(this.req.signal);
    if (programs.length === 0) return { kept: given ?? [], slowest: 0 };
    const sets = [...new Set(this.generators.filter((g) => g.level === level).map((g) => g.set))];
    let cases = given;
    for (const c of programs) {
      const { sets: generated, infrastructure } = await this.generateLevel(level, c);
      if (!cases) {
        // A generator lost to the sandbox is not dropped: the level would be measured without it.
        if (infrastructure) {
          this.loseLevel(level, infrastructure);
          await this.releaseSets(c, sets);
          return { kept: [], slowest: 0 };
        }
        cases = [];
        let largest: number | undefined;
        for (const [set, r] of generated) {
          if (typeof r === 'string') {
            this.notes.push(`level ${level}: generator ${set} dropped (${r})`);
            continue;
          }
          this.fingerprints.set(set, r.fingerprint);
          for (let i = 0; i < r.count && cases.length < (this.req.maxCasesPerLevel ?? 8); i++) {
            cases.push({ id: `L${level}/${set}/${i}`, set, index: i });
            const n = r.sizes?.[i];
            if (typeof n === 'number' && Number.isFinite(n) && (largest === undefined || n > largest)) largest = n;
          }
        }
        if (largest !== undefined) this.sizes.set(level, largest);
      } else this.checkInputs(c, level, generated, cases, infrastructure);
    }
    const kept: BenchCase[] = [];
    let slowest = 0;
    for (const bc of cases ?? []) {
      let caseOk = true;
      for (const c of programs) {
        if (!this.timedAt(c, level)) continue;
        for (let k = 0; k < 2 && this.timedAt(c, level); k++) {
          const m = await this.slot(c, level, bc, { iterations: 1, batch: 1, gc: false, probe: true }, limitMs, c === this.original && !given);
          if (!m) {
            if (c === this.original && !this.lost.has(level)) {
              this.notes.push(`case ${bc.id} not timed: the original ${this.dropped ?? 'failed'}`);
              this.dropped = undefined;
              caseOk = false;
            }
            break;
          }
          if (m.perCall > limitMs / 1000 && c !== this.original) {
            this.failLevel(c, level, 'TLE', `case ${bc.id}: ${micro(m.perCall)} per call, over the cut-off of ${micro(limitMs / 1000)}`);
            break;
          }
          if (c === this.original && k === 1) slowest = Math.max(slowest, m.perCall);
        }
        if (!caseOk) break;
      }
      if (caseOk) kept.push(bc);
    }
    for (const c of programs) await this.releaseSets(c, sets);
    return { kept, slowest };
  }

  /** A candidate's process must build the original's inputs (fingerprints). */
  private checkInputs(c: Contestant, level: number, generated: Map<string, GenerateResult | string>, cases: BenchCase[], infrastructure?: string): void {
    if (infrastructure) {
      this.failLevel(c, level, 'ERR', infrastructure, infrastructure);
      return;
    }
    for (const set of new Set(cases.map((x) => x.set))) {
      const mine = generated.get(set);
      if (typeof mine === 'string' || mine === undefined) this.failLevel(c, level, 'ERR', `inputs could not be built in its scope: ${mine ?? 'not run'}`);
      else if (mine.fingerprint !== this.fingerprints.get(set)) this.failLevel(c, level, 'ERR', 'its process built different inputs (fingerprint mismatch)');
    }
  }

  private levelOf(c: Contestant, level: number): LevelTiming {
    let lt = c.timing.levels.find((l) => l.level === level);
    if (!lt) {
      lt = { level, cases: [], worst: null };
      c.timing.levels.push(lt);
    }
    return lt;
  }

  /**
   * A program failed on a level. `infrastructure`: the cause is not the program (its sandbox was
   * lost); then it is no verdict: the original's level cannot be measured, a candidate's level is
   * said to be lost, not failed. The original failing a level it passed while probed also means
   * the level cannot be measured (its cases were chosen because the original runs them).
   */
  private failLevel(c: Contestant, level: number, token: Token, reason: string, infrastructure?: string): void {
    if (c === this.original) {
      if (this.probingOriginal && !infrastructure) this.dropped = reason;
      else this.loseLevel(level, infrastructure ?? `the original failed on it while timed (${reason})`);
      return;
    }
    const lt = this.levelOf(c, level);
    lt.failure = { token, reason };
    if (infrastructure) c.lostLevel ??= { level, reason: infrastructure };
    this.stop(c, level, token, `level ${level}: ${reason}`);
  }

  /** "level 2 (n = 200,000)" */
  private levelName(level: number): string {
    const n = this.sizes.get(level);
    return `level ${level}${n !== undefined ? ` (${sizeText(n)})` : ''}`;
  }

  /** The original's measurement of a level is lost: nobody is timed on it, and no verdict is made without it. */
  private loseLevel(level: number, reason: string): void {
    if (this.lost.has(level)) return;
    this.lost.set(level, reason);
    this.notes.push(`${this.levelName(level)} could not be measured: ${reason}`);
  }

  private async timeLevel(level: number, cases: BenchCase[]): Promise<void> {
    throwIfCancelled(this.req.signal);
    const index = this.levels.indexOf(level);
    this.progress(`timing level ${level}: ${cases.length} cases, ${this.liveAt(level).length} programs`, index, this.levels.length);
    const sets = [...new Set(cases.map((c) => c.set))];
    const finish = async (): Promise<void> => {
      for (const c of this.contestants) await this.releaseSets(c, sets);
    };
    for (const c of this.liveAt(level)) {
      if (this.lost.has(level)) break;
      const { sets: generated, infrastructure } = await this.generateLevel(level, c);
      if (c !== this.original) this.checkInputs(c, level, generated, cases, infrastructure);
      else {
        const missing = sets.find((set) => typeof generated.get(set) !== 'object');
        if (infrastructure || missing)
          this.failLevel(c, level, 'ERR', `its inputs could not be built again (${missing ? generated.get(missing) : infrastructure})`, infrastructure);
      }
    }
    if (this.lost.has(level)) return finish();

    // Calibration: a batch size per program (a batch sized for the fastest program would make a
    // slow one overrun its time slot many times over).
    const plan: Array<{ batch: Map<string, number>; perCall: Map<string, number>; fresh: 'call' | 'none' }> = [];
    const sizeFor = (seconds: number | undefined): number =>
      seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? Math.min(MAX_BATCH, Math.max(1, Math.ceil(MIN_ITERATION_SECONDS / seconds))) : 1;
    const limitMs = this.cutoffSeconds * 1000;
    for (const bc of cases) {
      const perCall = new Map<string, number>();
      const batch = new Map<string, number>();
      // A fresh copy per call where some program changes its arguments; else the stored input (copying
      // can cost more than a fast call; identity caches are seen on nearby inputs, new objects).
      let fresh: 'call' | 'none' = 'none';
      for (const c of this.liveAt(level)) {
        const r = await this.guarded(c, (s) =>
          s.request<MutatesResult>(
            { op: 'mutates', program: c.key, input: { set: bc.set, index: bc.index }, seed: caseSeed(this.det.seed, bc.id), timeoutMs: limitMs },
            hardCallLimitMs(limitMs),
          ),
        );
        if (!r.ok || r.value.mutates) fresh = 'call';
      }
      for (const c of this.liveAt(level)) {
        const first = await this.slot(c, level, bc, { iterations: 1, batch: 1, gc: false }, limitMs);
        let size = sizeFor(first?.median);
        if (first) perCall.set(c.key, first.median);
        // Timer overhead inflates a single fast call: measure again with the first batch size.
        if (first && size > 1) {
          const again = await this.slot(c, level, bc, { iterations: 1, batch: size, gc: false, fresh }, limitMs);
          if (again) {
            perCall.set(c.key, again.median);
            size = Math.max(size, sizeFor(again.median));
          }
        }
        batch.set(c.key, size);
      }
      plan.push({ batch, perCall, fresh });
    }
    if (!this.timedAt(this.original, level)) return finish();
    const iterationsFor = (c: Contestant, i: number, ms: number): number => {
      const per = (plan[i].perCall.get(c.key) ?? this.cutoffSeconds) * (plan[i].batch.get(c.key) ?? 1);
      return Math.max(1, Math.min(MAX_ITERATIONS, Math.round(ms / 1000 / Math.max(per, 1e-9))));
    };

    // Warm-up, then the rounds.
    const warmupMs = Math.max(5, (this.req.warmupMs ?? 100) / cases.length);
    for (let i = 0; i < cases.length; i++) {
      for (const c of this.liveAt(level))
        await this.slot(
          c,
          level,
          cases[i],
          { iterations: Math.max(2, iterationsFor(c, i, warmupMs)), batch: plan[i].batch.get(c.key) ?? 1, gc: true, fresh: plan[i].fresh },
          limitMs,
          false,
          plan[i].perCall.get(c.key),
        );
    }
    const slotMs = Math.max(1, (this.req.budgetMsPerLevel ?? 800) / (this.repeats * cases.length));
    // Each round alternates the programs in short sub-slots (ABAB… at ~25 ms): neighbours that
    // slow the machine down for a while slow every program alike. A round's sample is the median
    // of its sub-slot medians.
    const subSlots = Math.max(1, Math.min(8, Math.floor(slotMs / SUB_SLOT_MS)));
    const runs = new Map<string, TimedRun[][]>(this.contestants.map((c) => [c.key, cases.map(() => [])]));
    const mads = new Map<string, number[][]>(this.contestants.map((c) => [c.key, cases.map(() => [])]));
    for (let r = 0; r < this.repeats && !this.lost.has(level); r++) {
      throwIfCancelled(this.req.signal);
      this.progress(`timing level ${level}: round ${r + 1} of ${this.repeats}`, index, this.levels.length);
      for (let i = 0; i < cases.length; i++) {
        const medians = new Map<string, number[]>();
        const madsOf = new Map<string, number[]>();
        for (let k = 0; k < subSlots; k++) {
          const order = this.liveAt(level);
          const shift = r * subSlots + k;
          for (const c of order.map((_, j) => order[(j + shift) % order.length])) {
            if (!this.timedAt(c, level)) continue;
            const m = await this.slot(
              c,
              level,
              cases[i],
              { iterations: iterationsFor(c, i, slotMs / subSlots), batch: plan[i].batch.get(c.key) ?? 1, gc: true, fresh: plan[i].fresh },
              limitMs,
              false,
              plan[i].perCall.get(c.key),
            );
            if (!m) continue;
            (medians.get(c.key) ?? medians.set(c.key, []).get(c.key)!).push(m.median);
            (madsOf.get(c.key) ?? madsOf.set(c.key, []).get(c.key)!).push(m.mad);
          }
        }
        for (const c of this.contestants) {
          if (c.failure || (c.stopped && (c.stopped.token === 'load' || c.stopped.level < level))) continue;
          const got = medians.get(c.key);
          if (got && got.length === subSlots && this.timedAt(c, level)) {
            runs.get(c.key)![i].push(median(got));
            mads.get(c.key)![i].push(median(madsOf.get(c.key)!));
          } else if (c.stopped && c.stopped.level === level && c.stopped.token !== 'load') runs.get(c.key)![i].push(c.stopped.token);
        }
      }
    }
    if (this.lost.has(level)) return finish();
    await this.timeNearby(level, cases);
    for (const c of this.contestants) {
      if (c.failure || (c.stopped && (c.stopped.token === 'load' || c.stopped.level < level))) continue;
      const lt = this.levelOf(c, level);
      lt.cases = cases.map((bc, i): CaseTiming => {
        const rs = runs.get(c.key)![i];
        const numeric = rs.filter((x): x is number => typeof x === 'number');
        const nearby = c.nearby.get(bc.id);
        return {
          id: bc.id,
          runs: rs,
          hl: numeric.length === rs.length && rs.length > 0 ? hodgesLehmann(numeric) : null,
          slotMads: mads.get(c.key)![i],
          batch: plan[i]?.batch.get(c.key) ?? 1,
          ...(nearby !== undefined ? { nearbySeconds: nearby } : {}),
        };
      });
      lt.worst = lt.cases.length > 0 && lt.cases.every((x) => x.hl !== null) ? Math.max(...lt.cases.map((x) => x.hl as number)) : null;
    }
    await finish();
  }

  /**
   * Once every program is warm on a level: one call per case on a nearby input (two elements
   * swapped) that no program has seen. Only timed: its results are not compared.
   */
  private async timeNearby(level: number, cases: BenchCase[]): Promise<void> {
    for (const c of this.liveAt(level)) {
      for (const g of this.generators.filter((x) => x.level === level && !x.error && cases.some((bc) => bc.set === x.set))) {
        for (let v = 0; v < NEARBY_VARIANTS && !c.failure; v++) {
          const set = `${g.set}~${v}`;
          const made = await this.buildSet(c, set, nearbyGenerator(this.req.language, g.code, v), g.seed);
          if (!made.ok) break;
          // The original's process builds the nearby inputs first; a candidate's must build the same.
          if (c === this.original) this.fingerprints.set(set, made.value.fingerprint);
          else if (this.fingerprints.get(set) !== made.value.fingerprint) {
            this.disqualify(c, 'cold-start', 'rejected', `its module changes what the generator builds (nearby inputs of ${g.set} differ from the original's)`);
            break;
          }
          for (const bc of cases.filter((x) => x.set === g.set && x.index < made.value.count)) {
            const r = await this.guarded(c, (s) =>
              s.request<MeasureResult>(
                {
                  op: 'measure',
                  program: c.key,
                  input: { set, index: bc.index },
                  seed: caseSeed(this.det.seed, bc.id),
                  iterations: 1,
                  batch: 1,
                  checks: 2,
                  gc: false,
                },
                hardCallLimitMs(this.cutoffSeconds * 1000),
              ),
            );
            // Not a timed sample: a failure here only costs this check (a dead process restarts with its inputs).
            if (!r.ok) continue;
            const key = `${bc.id}~${v}`;
            // A nearby input the original fails on is outside what the function handles (the swap
            // broke its structure, say a chain of parents into a cycle): nobody is timed on it.
            if (r.value.error || this.nearbyBroken.has(key)) {
              if (c === this.original) this.nearbyBroken.add(key);
              continue;
            }
            // The call's own time (not the span: that also holds the harness's hop to a fresh task).
            c.nearby.set(bc.id, Math.min(c.nearby.get(bc.id) ?? Infinity, r.value.median));
            // The answers are checked too: a rewrite that hands out a remembered answer here is wrong.
            if (c === this.original)
              this.nearbyReferences.set(key, {
                value: r.value.value,
                argsAfter: r.value.argsAfter,
                digest: r.value.digests[0]?.digest,
                unstable: r.value.digests.length !== 1,
                awaited: r.value.awaited,
              });
            else {
              const ref = this.nearbyReferences.get(key);
              const diff = ref && !ref.unstable ? this.differs(ref, r.value) : undefined;
              if (diff)
                this.disqualify(
                  c,
                  'results',
                  'wrong',
                  `answered differently than the original on a nearby input of case ${bc.id} (two elements swapped): ${diff}`,
                );
            }
          }
          await this.releaseSets(c, [set]);
        }
      }
    }
  }

  /**
   * One timing slot with every check on it. Failures stop the program (TLE/MLE/ERR; a killed
   * sandbox is restarted) and failed integrity checks disqualify it. `reference`: this slot's
   * results become the case's reference (the original's first probe).
   */
  private async slot(
    c: Contestant,
    level: number,
    bc: BenchCase,
    o: { iterations: number; batch: number; gc: boolean; probe?: boolean; fresh?: 'call' | 'none' },
    limitMs: number,
    reference = false,
    perCall?: number,
  ): Promise<(MeasureResult & { observedSeconds: number; perCall: number }) | undefined> {
    if (!this.timedAt(c, level)) return undefined;
    // The slot plus a few of this program's iterations (its calibrated time, or the cut-off) and slack for copying and checking.
    const calls = o.iterations * o.batch;
    const limit = Math.max(limitMs, 1) * 1.2 + calls * (perCall ?? this.cutoffSeconds) * 4000 + 15_000;
    let ready: number | undefined;
    let ran: number | undefined;
    let replied = 0;
    this.hostLag.take();
    const r = await this.guarded(c, (s) =>
      s
        .request<MeasureResult>(
          {
            op: 'measure',
            program: c.key,
            input: { set: bc.set, index: bc.index },
            seed: caseSeed(this.det.seed, bc.id),
            iterations: o.iterations,
            batch: o.batch,
            checks: CHECKS_PER_SLOT,
            gc: o.gc,
            fresh: o.fresh ?? 'call',
          },
          limit,
          undefined,
          (kind, at) => {
            if (kind === 'ready') ready = at;
            else if (kind === 'ran') ran = at;
          },
        )
        .finally(() => (replied = performance.now())),
    );
    if (!r.ok) {
      // A dead process is restarted (with its inputs) by the next request that needs it.
      if (r.infrastructure) this.failLevel(c, level, 'ERR', `case ${bc.id} while timing: ${r.infrastructure}`, r.infrastructure);
      else if (r.death) this.failLevel(c, level, deathToken(r.death), `case ${bc.id} while timing: ${r.death.message}`);
      else this.failLevel(c, level, 'ERR', `case ${bc.id} while timing: ${r.error?.message}`);
      return undefined;
    }
    const m = r.value;
    this.measureSeconds += m.wallSeconds;
    c.timing.measureSeconds += m.wallSeconds;
    c.slots++;
    c.calls += m.calls;
    c.checked += m.checked;
    if (m.tampered.length > 0) {
      this.failLevel(c, level, 'ERR', `changed builtins while timed (${m.tampered.slice(0, 3).join(', ')})`);
      return undefined;
    }
    if (m.error) {
      const token: Token = /MemoryError|allocation failed/i.test(`${m.error.type} ${m.error.message}`) ? 'MLE' : 'ERR';
      this.failLevel(c, level, token, `case ${bc.id} while timing: ${m.error.type}: ${m.error.message}`);
      return undefined;
    }
    // effopt's clock, less the longest stall of its own event loop in the slot (a late reading of a mark).
    const lag = this.hostLag.take();
    const observedSeconds = ready !== undefined && ran !== undefined ? Math.max(0, (ran - ready) / 1000 - lag) : NaN;
    // Checking the results after 'ran', by effopt's clock (the harness's own figure could be forged).
    const afterSeconds = ran !== undefined ? Math.max(0, (replied - ran) / 1000 - lag) : m.checkSeconds;
    if (!this.checkSlot(c, bc, m, observedSeconds, o.probe ? afterSeconds : undefined, reference)) return undefined;
    const seen = m.timedSeconds / Math.max(1, m.calls);
    if (!(m.median > 0) || !(seen > 0)) {
      this.failLevel(c, level, 'ERR', `case ${bc.id}: the timer saw no time even for a batch of ${o.batch} calls`);
      return undefined;
    }
    return { ...m, observedSeconds, perCall: seen };
  }

  /** The integrity checks on one slot; false when the program was disqualified. */
  private checkSlot(c: Contestant, bc: BenchCase, m: MeasureResult, observedSeconds: number, afterSeconds: number | undefined, reference: boolean): boolean {
    // The clock: the harness cannot report less time than effopt saw pass between its marks.
    if (!(observedSeconds >= 0)) {
      this.disqualify(c, 'clock', 'rejected', `case ${bc.id}: the slot's clock marks did not arrive`);
      return !c.failure;
    }
    // A forged report disagrees on every slot; effopt itself waking late for a mark, now and then.
    if (m.timedSeconds < CLOCK_SHARE * observedSeconds - CLOCK_SLACK_SECONDS) {
      c.clockStrikes++;
      if (c.clockStrikes >= CLOCK_STRIKES && c.clockStrikes >= CLOCK_STRIKE_SHARE * c.slots) {
        this.disqualify(
          c,
          'clock',
          'rejected',
          `reported less time between its start and end marks than effopt's clock saw pass on ${c.clockStrikes} of ${c.slots} slots (last: case ${bc.id}, ${micro(m.timedSeconds)} reported, ${micro(observedSeconds)} seen): timings forged?`,
        );
        return !c.failure;
      }
    }
    // Work after return and side effects while timed.
    if (m.effects.pending.length > 0 && !(this.original.effects.pending.length > 0)) {
      this.disqualify(
        c,
        'after-return',
        'rejected',
        `works after returning: ${m.effects.pending.slice(0, 3).join(', ')} still alive after its calls on case ${bc.id}`,
      );
      return !c.failure;
    }
    for (const kind of ['files', 'network', 'processes', 'secrets'] as const) {
      const mine = c.effects[kind];
      for (const e of m.effects[kind]) if (!mine.includes(e)) mine.push(e);
      if (c === this.original) continue;
      const extra = m.effects[kind].filter((e) => !this.original.effects[kind].includes(e));
      if (extra.length > 0) {
        this.disqualify(
          c,
          'side-effects',
          kind === 'files' ? 'wrong' : 'rejected',
          `${EFFECT_WORDS[kind]} while timed (${extra.slice(0, 3).join(', ')}); the original does not`,
        );
        return !c.failure;
      }
    }
    // The contract: sync stays sync, async stays async.
    if (c === this.original) this.original.awaited ??= m.awaited;
    else if (this.original.awaited !== undefined && m.awaited !== this.original.awaited) {
      this.disqualify(
        c,
        'contract',
        'rejected',
        m.awaited
          ? 'returns a Promise/awaitable where the original returns a plain value (changed contract)'
          : 'returns a plain value where the original returns a Promise/awaitable (changed contract)',
      );
      return !c.failure;
    }
    // Only single-call probes are compared: there the checking is the same small job for every program
    // (after a long slot it also pays for collecting that slot's garbage, which grows with the call count).
    if (afterSeconds !== undefined) (c.checkSeconds.get(bc.id) ?? c.checkSeconds.set(bc.id, []).get(bc.id)!).push(afterSeconds);
    return this.checkResults(c, bc, m, reference);
  }

  /** Every checked call of a slot must answer like the original on that input. */
  private checkResults(c: Contestant, bc: BenchCase, m: MeasureResult, reference: boolean): boolean {
    if (reference && c === this.original) {
      this.references.set(bc.id, {
        value: m.value,
        argsAfter: m.argsAfter,
        digest: m.digests.length === 1 ? m.digests[0].digest : undefined,
        unstable: m.digests.length !== 1,
        awaited: m.awaited,
      });
    }
    const ref = this.references.get(bc.id);
    if (!ref || ref.unstable) return true;
    if (c === this.original) {
      if (m.digests.length !== 1 || m.digests[0].digest !== ref.digest) {
        ref.unstable = true;
        this.notes.push(`case ${bc.id}: the original answered differently between timed calls; results on it are not compared`);
      }
      return true;
    }
    if (m.digests.length !== 1) {
      this.disqualify(
        c,
        'results',
        'wrong',
        m.digests.length === 0
          ? `case ${bc.id}: its timing slot came back without any checked result (a forged reply?)`
          : `case ${bc.id}: answered ${m.digests.length} different ways within one timing slot (the original answers one way)`,
      );
      return !c.failure;
    }
    const seen = c.verified.get(bc.id) ?? c.verified.set(bc.id, new Set()).get(bc.id)!;
    const digest = m.digests[0].digest;
    if (seen.has(digest)) return true;
    const what = this.differs(ref, m);
    if (what) {
      this.disqualify(c, 'results', 'wrong', `answered differently while timed than the original on case ${bc.id}: ${what}`);
      return !c.failure;
    }
    seen.add(digest);
    return true;
  }

  /** The first difference between a result (and the arguments after it) and the original's, in words. */
  private differs(ref: Reference, m: MeasureResult): string | undefined {
    const flavour = runtimeOf(this.req.language) === 'python' ? 'py' : 'js';
    const diffs = m.value !== undefined && ref.value !== undefined ? compareValues(ref.value, m.value, this.req.equivalence ?? {}, flavour) : [];
    if (m.value === undefined || ref.value === undefined) diffs.push({ path: 'return', kind: 'missing' });
    (ref.argsAfter ?? []).forEach((a, i) => {
      const b = m.argsAfter?.[i];
      if (b === undefined) diffs.push({ path: `args[${i}]`, kind: 'missing' });
      else diffs.push(...compareValues(a, b, this.req.equivalence ?? {}, flavour, `args[${i}]`));
    });
    if (diffs.length === 0) return undefined;
    const d = diffs[0];
    return d.expected !== undefined || d.actual !== undefined
      ? `${d.path}: expected ${d.expected ?? '?'}, got ${d.actual ?? '?'}`
      : `${d.path}: ${d.kind}${m.value !== undefined ? ` (got ${renderValue(m.value, { flavour, maxChars: 80 })})` : ''}`;
  }

  /** Checks that need the whole level: work after the clock stopped, cold versus warm. */
  private finalChecks(usable: Map<number, BenchCase[]>): void {
    for (const c of this.contestants.slice(1)) {
      if (c.failure || c.stopped?.token === 'load') continue;
      const timed: BenchCase[] = [];
      for (const [level, cases] of usable) {
        if (!this.timedAt(c, level) && !(c.stopped && c.stopped.level >= level)) continue;
        timed.push(...cases);
        // Once warm, a nearby input costs what the timed one costs, unless answers are remembered.
        this.coldRule(
          c,
          level,
          cases,
          (x) => x.nearby,
          NEARBY_LIMITS,
          NEARBY_MIN_SECONDS,
          'the fastest of its calls on nearby inputs (the same input with two elements swapped), once warm,',
        );
      }
      if (!c.failure) this.checkAfterReturn(c, timed);
    }
  }

  /**
   * Work left for after the clock stops shows in every call, so on every case; a busy machine
   * delays effopt's own clock now and then, on one probe or one case. Per case the fastest probe
   * counts (delays only add), and the rule needs most cases to agree (every case when there are
   * fewer than three).
   */
  private checkAfterReturn(c: Contestant, cases: BenchCase[]): void {
    let compared = 0;
    const slow: Array<{ id: string; mine: number; theirs: number }> = [];
    for (const bc of cases) {
      const mine = min0(c.checkSeconds.get(bc.id));
      const theirs = min0(this.original.checkSeconds.get(bc.id));
      if (mine === undefined || theirs === undefined) continue;
      compared++;
      if (mine > CHECK_FACTOR * theirs + CHECK_SLACK_SECONDS) slow.push({ id: bc.id, mine, theirs });
    }
    const needed = compared < 3 ? compared : Math.ceil(compared / 2);
    if (slow.length === 0 || slow.length < needed) return;
    const w = slow[0];
    this.disqualify(
      c,
      'after-return',
      'rejected',
      `works after its calls return: checking its results took far longer than the original's on ${slow.length} of ${compared} case(s) (case ${w.id}: ${micro(w.mine)}, the original's ${micro(w.theirs)}): the work happened after the clock stopped`,
    );
  }

  /** A candidate whose calls on inputs it has not seen are far slower than its repeated calls profits from earlier calls. */
  private coldRule(
    c: Contestant,
    level: number,
    cases: BenchCase[],
    times: (x: Contestant) => Map<string, number>,
    limits: { factor: number; relative: number },
    minSeconds: number,
    what: string,
  ): void {
    const warmOf = (x: Contestant, id: string): number | null | undefined => x.timing.levels.find((l) => l.level === level)?.cases.find((k) => k.id === id)?.hl;
    const ratios: number[] = [];
    const originalRatios: number[] = [];
    let worst: { id: string; cold: number; warm: number } | undefined;
    for (const bc of cases) {
      const warm = warmOf(c, bc.id);
      const owarm = warmOf(this.original, bc.id);
      const cold = times(c).get(bc.id);
      const ocold = times(this.original).get(bc.id);
      if (!warm || !owarm || cold === undefined || ocold === undefined) continue;
      originalRatios.push(ocold / owarm);
      if (cold < minSeconds) continue;
      ratios.push(cold / warm);
      if (!worst || cold / warm > worst.cold / worst.warm) worst = { id: bc.id, cold, warm };
    }
    const ratio = median0(ratios);
    const theirs = median0(originalRatios) ?? 1;
    if (ratio !== undefined && worst && ratio > Math.max(limits.factor, limits.relative * theirs)) {
      // A heuristic (swapping two elements can change honest work): it asks a person, it does not reject.
      c.concern ??= {
        id: 'cold-start',
        reason: `may profit from earlier calls: ${what} took ${micro(worst.cold)} on level ${level} (${worst.id}), repeated calls on the same input ${micro(worst.warm)} (×${(worst.cold / worst.warm).toPrecision(3)}; the original ×${theirs.toPrecision(2)})`,
      };
    }
  }

  private integrity(c: Contestant, out: CandidateTiming): Integrity {
    const failed = c.failure;
    const concern = c.concern;
    const check = (id: IntegrityCheckId, detail: string): IntegrityCheck => {
      const why = failed?.id === id ? failed.reason : concern?.id === id ? concern.reason : undefined;
      return { id, passed: why === undefined, detail: why ?? detail };
    };
    const checks: IntegrityCheck[] = [
      check('isolated', 'timed in a sandbox process of its own, alternating with the original'),
      check('fresh-inputs', 'timed calls ran on a fresh copy each where a program changes its arguments; identity caches met new objects on nearby inputs'),
      check('results', `${c.checked} of ${c.calls} timed calls checked against the original's results`),
      check('clock', `effopt's own clock agreed with the harness's on ${c.slots - c.clockStrikes} of ${c.slots} slots`),
      check('after-return', "nothing left running after its calls; checking its results took as long as the original's"),
      check('side-effects', 'no files, network, processes or secrets touched while timed beyond what the original does'),
      check('contract', this.original.awaited ? 'returns an awaitable, like the original' : 'returns plain values, like the original'),
      check('cold-start', 'its calls on nearby inputs it had not seen (once warm) were not far slower than its repeated calls'),
    ];
    const integrity: Integrity = {
      checks,
      ...(failed ? { failure: failed } : {}),
      ...(concern && out.accepted ? { needsConfirmation: `${concern.reason}: check how it gets its speed before applying it` } : {}),
    };
    const top = out.overall ? Math.max(out.overall.estimate, ...out.speedups.map((s) => s.estimate)) : undefined;
    if (out.accepted && top !== undefined && top > IMPLAUSIBLE_SPEEDUP) {
      const implausible = `${top.toPrecision(3)}× is beyond what a rewrite usually buys: check how it gets there before applying it`;
      integrity.needsConfirmation = integrity.needsConfirmation ? `${integrity.needsConfirmation}; ${implausible}` : implausible;
      checks.push({ id: 'plausible', passed: false, detail: implausible });
    } else checks.push({ id: 'plausible', passed: true, detail: top !== undefined ? `speedup ≤ ${IMPLAUSIBLE_SPEEDUP}×` : 'no speedup to judge' });
    return integrity;
  }

  private result(): BenchmarkResult {
    const original = this.original.timing;
    // A lost level stays in the original's levels, empty, with why (reports show it, not skip it).
    for (const [level, reason] of this.lost) {
      const lt = this.levelOf(this.contestants[0], level);
      lt.cases = [];
      lt.worst = null;
      lt.lost = reason;
    }
    original.levels.sort((a, b) => a.level - b.level);
    const weightsFor = (level: number): number => (this.req.levelWeights ?? DEFAULT_WEIGHTS)[level] ?? 1;
    const candidates: CandidateTiming[] = this.contestants.slice(1).map((c) => {
      const out = this.candidateResult(c, original, weightsFor);
      out.integrity = this.integrity(c, out);
      if (c.failure) {
        out.accepted = false;
        out.reason = `integrity: ${c.failure.reason}`;
        out.verdict = 'integrity';
      }
      return out;
    });
    return {
      language: this.req.language,
      levels: this.levels,
      repeats: this.repeats,
      noiseFloor: this.noiseFloor,
      original,
      candidates,
      cutoffSeconds: this.cutoffSeconds,
      measureSeconds: this.measureSeconds,
      seconds: (performance.now() - this.started) / 1000,
      restarts: this.restarts,
      ...(this.lost.size > 0 ? { lostLevels: [...this.lost].sort(([a], [b]) => a - b).map(([level, reason]) => ({ level, reason })) } : {}),
      inputSizes: [...this.sizes].sort(([a], [b]) => a - b).map(([level, n]) => ({ level, n })),
      notes: [...this.notes, ...sandboxCapabilities().notes],
      sandbox: sandboxCapabilities(),
    };
  }

  private candidateResult(c: Contestant, original: ProgramTiming, weightsFor: (level: number) => number): CandidateTiming {
    const out: CandidateTiming = { ...c.timing, speedups: [], overall: null, accepted: false, reason: '', integrity: { checks: [] } };
    // Levels the sandbox lost are said as such: never a verdict on the rewrite.
    const lost = c.lostLevel
      ? `${this.levelName(c.lostLevel.level)} could not be measured for ${c.key}: ${c.lostLevel.reason}`
      : this.lost.size > 0
        ? [...this.lost]
            .sort(([a], [b]) => a - b)
            .map(([level, why]) => `${this.levelName(level)} could not be measured: ${why}`)
            .join('; ')
        : undefined;
    if (c.stopped) {
      out.reason = c.stopped.token === 'load' ? `not timed: ${c.stopped.reason}` : c.lostLevel && lost ? lost : `${c.stopped.token} — ${c.stopped.reason}`;
      out.verdict = c.lostLevel ? 'lost-level' : 'stopped';
      if (c.stopped.token === 'load') return out;
    }
    const comparable = original.levels.filter((ol) => {
      const cl = c.timing.levels.find((x) => x.level === ol.level);
      return ol.worst !== null && cl && cl.worst !== null && cl.cases.length === ol.cases.length;
    });
    if (comparable.length === 0) {
      out.reason ||= lost ?? 'no level could be compared';
      out.verdict ??= lost ? 'lost-level' : 'incomplete';
      return out;
    }
    const samples = comparable.map((ol) => {
      const cl = c.timing.levels.find((x) => x.level === ol.level) as LevelTiming;
      return { original: ol.cases.map((x) => x.runs as number[]), candidate: cl.cases.map((x) => x.runs as number[]), weight: weightsFor(ol.level) };
    });
    const analysis = analyseSpeedup(samples, { resamples: this.req.resamples ?? 2000, confidence: this.req.confidence ?? 0.95, seed: this.det.seed });
    const nf = this.noiseFloor;
    out.speedups = comparable.map((ol, j): LevelSpeedup => {
      const min = minRuleSpeedup(samples[j].original, samples[j].candidate);
      return { level: ol.level, ...analysis.levels[j], accepted: clearsNoiseFloor(analysis.levels[j], nf), minRule: { speedup: min, accepted: min > 1 + nf } };
    });
    if (analysis.overall) {
      const minOverall =
        weightedGeometricMean(
          out.speedups.map((s) => s.minRule.speedup),
          samples.map((s) => s.weight),
        ) ?? NaN;
      out.overall = { ...analysis.overall, accepted: clearsNoiseFloor(analysis.overall, nf), minRule: { speedup: minOverall, accepted: minOverall > 1 + nf } };
    }
    const slower = out.speedups.find((s) => significantlySlower(s, nf));
    const allLevels = comparable.length === original.levels.filter((l) => l.worst !== null).length && !c.stopped;
    const interval = (o: { estimate: number; low: number; high: number }): string =>
      `${o.estimate.toFixed(2)}× (95% interval ${o.low.toFixed(2)}–${o.high.toFixed(2)})`;
    if (!allLevels) {
      out.reason ||= 'not every level could be timed';
      out.verdict ??= 'incomplete';
    } else if (!out.overall) {
      out.reason = 'no weighted level to decide on';
      out.verdict = 'incomplete';
    } else if (lost) {
      // The levels that were measured are not the whole benchmark: no verdict either way.
      const seen = slower ? `significantly slower on level ${slower.level} (${interval(slower)})` : interval(out.overall);
      out.reason = `${lost}; no verdict without it (the levels measured give ${seen})`;
      out.verdict = 'lost-level';
    } else if (slower) {
      out.reason = `significantly slower on level ${slower.level} (${slower.estimate.toFixed(2)}×, interval ${slower.low.toFixed(2)}–${slower.high.toFixed(2)})`;
      out.verdict = 'slower';
    } else if (!out.overall.accepted) {
      out.reason = `speedup ${interval(out.overall)} does not clear 1 + ${nf}`;
      out.verdict = 'not-clear';
    } else {
      out.accepted = true;
      out.reason = `speedup ${interval(out.overall)} clears 1 + ${nf}`;
      out.verdict = 'accepted';
    }
    return out;
  }
}
