// benchmark(): timing the original against candidates (DESIGN §2.6) under the exclusive CPU lock.
//
// One fresh sandbox process holds every program. Per level: inputs are regenerated from the
// generators' code and seeds (fingerprints checked against the original's), each program is
// probed once per case (a candidate slower than the cut-off is TLE for this and later levels),
// arguments are cloned for every call when any program mutates them, fast calls are batched so
// a timed iteration lasts ≥ 50 µs, every program is warmed up, then R rounds run the programs
// back to back on each case, in an order rotated every round (interleaving: drift and contention
// hit every program alike). A round's sample is the median per-call time of one timing slot
// (tinybench for JavaScript, perf_counter_ns loops for Python). Per case the Hodges–Lehmann
// estimate over rounds; per level the worst case; speedups with paired bootstrap intervals.
import { analyseSpeedup, clearsNoiseFloor, minRuleSpeedup, significantlySlower, weightedGeometricMean } from '../bench/speedup';
import { hodgesLehmann, median } from '../bench/hodgesLehmann';
import { cpuLock } from './lock';
import type { CallResult, GenerateResult, LoadResult, MeasureResult, MutatesResult } from './protocol';
import { ExecCancelled, ExecRequestError, preflight, prepareGenerators, prepareProgram, resolveDeterminism, sessionOptions, throwIfCancelled, hardCallLimitMs, type PreparedGenerator, type PreparedProgram } from './programs';
import { sandboxCapabilities } from './sandbox';
import { caseSeed } from './seeds';
import { HarnessError, HarnessSession, SandboxDied } from './session';
import type { BenchmarkRequest, BenchmarkResult, CandidateTiming, CaseTiming, LevelSpeedup, LevelTiming, ProgramTiming, TimedRun } from './types';

const ORIGINAL = 'original';
/** A timed iteration should last at least this long (timer resolution here is ~0.3–0.45 µs). */
const MIN_ITERATION_SECONDS = 50e-6;
const MAX_BATCH = 100_000;
/** Target length of one timing sub-slot (ms): programs alternate at this granularity within a round. */
const SUB_SLOT_MS = 25;
const DEFAULT_WEIGHTS = [0, 3, 3, 4];

type Token = 'TLE' | 'MLE' | 'ERR';

interface BenchCase {
  id: string;
  set: string;
  index: number;
}

interface Contestant {
  key: string;
  program: PreparedProgram;
  timing: ProgramTiming;
  /** Set once the program stops being timed (load error, TLE/MLE/ERR on a level). */
  stopped?: { level: number; token: Token | 'load'; reason: string };
}

function validate(req: BenchmarkRequest): void {
  const ids = new Set<string>();
  for (const c of req.candidates) {
    if (!c.id || c.id === ORIGINAL) throw new ExecRequestError(`candidate id "${c.id}" is empty or reserved`);
    if (ids.has(c.id)) throw new ExecRequestError(`candidate id "${c.id}" is used twice`);
    ids.add(c.id);
  }
  if ((req.repeats ?? 6) < 3) throw new ExecRequestError('repeats must be at least 3');
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

function callToken(r: CallResult): Token | undefined {
  if (r.status === 'returned') return undefined;
  if (r.status === 'timeout') return 'TLE';
  if (r.memory) return 'MLE';
  return 'ERR';
}

class BenchmarkRun {
  private readonly det;
  private readonly generators: PreparedGenerator[];
  private readonly contestants: Contestant[];
  private readonly notes: string[] = [];
  private session: HarnessSession | undefined;
  private restarts = 0;
  private measureSeconds = 0;
  private readonly started = performance.now();
  private readonly levels: number[];
  private readonly repeats: number;
  private readonly noiseFloor: number;
  private cutoffSeconds: number;
  /** Input fingerprints of the original's generator sets. */
  private readonly fingerprints = new Map<string, string>();

  constructor(private readonly req: BenchmarkRequest) {
    this.det = resolveDeterminism(req);
    this.generators = prepareGenerators(req.language, req.generators, this.det.seed);
    this.levels = req.levels ?? [...new Set(req.generators.map((g) => g.level).filter((l) => l >= 1))].sort((a, b) => a - b);
    this.repeats = req.repeats ?? 6;
    this.noiseFloor = req.noiseFloor ?? 0.05;
    this.cutoffSeconds = req.limits.timeoutMs / 1000;
    const make = (key: string, program: PreparedProgram): Contestant => ({ key, program, timing: { id: key, status: 'ok', levels: [], measureSeconds: 0 } });
    this.contestants = [make(ORIGINAL, prepareProgram(req.language, ORIGINAL, req.original, req)), ...req.candidates.map((c) => make(c.id, prepareProgram(req.language, c.id, c, req)))];
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
    return !c.stopped || (c.stopped.token !== 'load' && c.stopped.level > level);
  }

  private stop(c: Contestant, level: number, token: Token | 'load', reason: string): void {
    if (c.stopped && !(c.stopped.token !== 'load' && token !== 'load' && level < c.stopped.level)) return;
    c.stopped = { level, token, reason };
    c.timing.status = token === 'load' ? 'load-error' : 'failed';
    c.timing.error = reason;
  }

  private progress(message: string, done?: number, total?: number): void {
    this.req.onProgress?.({ phase: 'benchmark', message, done, total });
  }

  private async openSession(): Promise<HarnessSession> {
    throwIfCancelled(this.req.signal);
    await this.session?.close();
    const options = sessionOptions(this.req.language, this.req.limits, this.det, this.req, this.original.program.filename, { signal: this.req.signal, exposeGc: true });
    const session = await HarnessSession.start(options);
    this.session = session;
    for (const c of this.contestants.filter((x) => !x.stopped || x.stopped.token !== 'load')) {
      try {
        const r = await session.request<LoadResult>({ op: 'load', program: c.key, source: c.program.source, entry: c.program.entry, filename: c.program.filename }, 30_000);
        if (r.tampered.length > 0) this.stop(c, -1, 'load', `its module changes builtins (${r.tampered.slice(0, 3).join(', ')}): not timed next to other programs`);
      } catch (err) {
        if (err instanceof HarnessError) this.stop(c, -1, 'load', err.message);
        else throw err;
      }
    }
    return session;
  }

  /** Runs fn on the session; a dead sandbox is restarted (programs reloaded) and the death returned. */
  private async guarded<T>(fn: (s: HarnessSession) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; death?: SandboxDied; error?: HarnessError }> {
    const session = this.session?.alive ? this.session : await this.restart();
    try {
      return { ok: true, value: await fn(session) };
    } catch (err) {
      if (err instanceof SandboxDied) {
        if (err.kind === 'cancelled' || this.req.signal?.aborted) throw new ExecCancelled();
        return { ok: false, death: err };
      }
      if (err instanceof HarnessError) return { ok: false, error: err };
      throw err;
    }
  }

  private async restart(): Promise<HarnessSession> {
    this.restarts++;
    this.notes.push(`sandbox restarted (${this.restarts}) after a kill: later samples come from a fresh process`);
    return this.openSession();
  }

  /** After a kill: a fresh process with the live programs and this level's inputs rebuilt. */
  private async recover(level: number): Promise<void> {
    await this.restart();
    const generators = this.generators.filter((g) => g.level === level && !g.error);
    for (const p of this.liveAt(level)) {
      for (const g of generators) {
        await this.guarded((s) => s.request({ op: 'generate', program: p.key, set: g.set, code: g.code, seed: g.seed, previewNodes: 0, timeoutMs: this.req.limits.timeoutMs }, hardCallLimitMs(this.req.limits.timeoutMs)));
      }
    }
  }

  private async generateLevel(level: number, programs: Contestant[]): Promise<Map<string, Map<string, GenerateResult | string>>> {
    const out = new Map<string, Map<string, GenerateResult | string>>();
    for (const c of programs) {
      const mine = new Map<string, GenerateResult | string>();
      out.set(c.key, mine);
      for (const g of this.generators.filter((x) => x.level === level)) {
        if (g.error) {
          mine.set(g.set, g.error);
          continue;
        }
        const r = await this.guarded((s) => s.request<GenerateResult>({ op: 'generate', program: c.key, set: g.set, code: g.code, seed: g.seed, previewNodes: 0, timeoutMs: this.req.limits.timeoutMs }, hardCallLimitMs(this.req.limits.timeoutMs)));
        mine.set(g.set, r.ok ? r.value : (r.error?.message ?? r.death?.message ?? 'failed'));
      }
    }
    return out;
  }

  async execute(): Promise<BenchmarkResult> {
    try {
      if (!this.original.stopped) await this.openSession();
      if (this.original.stopped) {
        for (const c of this.contestants.slice(1)) this.stop(c, -1, 'load', `the original could not be timed: ${this.original.stopped.reason}`);
        return this.result();
      }
      // Every program gets the same history before it is timed: two calls per case on every
      // level, in level order (JIT state depends on what a function has seen).
      const usable = new Map<number, BenchCase[]>();
      let slowest = 0;
      for (const level of this.levels) {
        const cases = await this.probeLevel(level, [this.original], undefined, this.req.limits.timeoutMs);
        if (cases.kept.length > 0) usable.set(level, cases.kept);
        slowest = Math.max(slowest, cases.slowest);
      }
      if (usable.size === 0) {
        this.notes.push('no level has a usable case: nothing was timed');
        for (const c of this.contestants.slice(1)) this.stop(c, -1, 'ERR', 'no usable case');
        return this.result();
      }
      const alpha = this.req.timeLimitFactor ?? 2;
      this.cutoffSeconds = Math.min(this.req.limits.timeoutMs / 1000, Math.max(0.05, 2 * alpha * slowest));
      for (const [level, cases] of usable) await this.probeLevel(level, this.live().filter((c) => c !== this.original), cases, this.cutoffSeconds * 1000);
      for (const [level, cases] of usable) await this.timeLevel(level, cases);
      this.progress('timing done', this.levels.length, this.levels.length);
      return this.result();
    } finally {
      await this.session?.close();
    }
  }

  /**
   * Builds a level's inputs for `programs` and calls each twice per case under `limitMs`.
   * Without `cases` (the original): picks the level's cases, drops those the original fails on.
   * With `cases` (candidates): a failure stops the candidate from this level on (TLE/MLE/ERR).
   */
  private async probeLevel(level: number, programs: Contestant[], given: BenchCase[] | undefined, limitMs: number): Promise<{ kept: BenchCase[]; slowest: number }> {
    throwIfCancelled(this.req.signal);
    if (programs.length === 0) return { kept: given ?? [], slowest: 0 };
    const generated = await this.generateLevel(level, programs);
    const sets = [...new Set(this.generators.filter((g) => g.level === level).map((g) => g.set))];
    let cases = given;
    if (!cases) {
      cases = [];
      const mine = generated.get(ORIGINAL) as Map<string, GenerateResult | string>;
      for (const [set, r] of mine) {
        if (typeof r === 'string') {
          this.notes.push(`level ${level}: generator ${set} dropped (${r})`);
          continue;
        }
        this.fingerprints.set(set, r.fingerprint);
        for (let i = 0; i < r.count && cases.length < (this.req.maxCasesPerLevel ?? 8); i++) cases.push({ id: `L${level}/${set}/${i}`, set, index: i });
      }
    } else {
      for (const c of programs) this.checkInputs(c, level, generated.get(c.key), cases);
    }
    const kept: BenchCase[] = [];
    let slowest = 0;
    for (const bc of cases) {
      let caseOk = true;
      for (const c of programs) {
        if (c.stopped) continue;
        for (let k = 0; k < 2 && !c.stopped; k++) {
          const r = await this.guarded((s) => s.request<CallResult>({ op: 'call', program: c.key, input: { set: bc.set, index: bc.index }, seed: caseSeed(this.det.seed, bc.id), timeoutMs: limitMs, capture: false, previewNodes: 0 }, hardCallLimitMs(limitMs)));
          let failure: { token: Token; reason: string } | undefined;
          if (!r.ok) failure = r.death ? { token: deathToken(r.death), reason: r.death.message } : { token: 'ERR', reason: r.error?.message ?? 'failed' };
          else {
            const token = callToken(r.value);
            if (token) failure = { token, reason: `${r.value.status}${r.value.error ? ` (${r.value.error.type}: ${r.value.error.message})` : ''}` };
            else if (c === this.original) slowest = Math.max(slowest, k === 1 ? r.value.seconds : 0);
          }
          if (failure) {
            if (c === this.original) {
              this.notes.push(`case ${bc.id} not timed: the original ${failure.reason}`);
              caseOk = false;
            } else this.failLevel(c, level, failure.token, `case ${bc.id}: ${failure.reason}`);
            if (!r.ok && r.death) await this.recover(level);
            else if (r.ok && r.value.dirty) await this.recover(level);
            break;
          }
        }
        if (!caseOk) break;
      }
      if (caseOk) kept.push(bc);
    }
    await this.guarded((s) => s.request({ op: 'release', sets }, 30_000));
    return { kept, slowest };
  }

  /** A candidate's process must build the original's inputs (fingerprints). */
  private checkInputs(c: Contestant, level: number, generated: Map<string, GenerateResult | string> | undefined, cases: BenchCase[]): void {
    for (const set of new Set(cases.map((x) => x.set))) {
      const mine = generated?.get(set);
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

  private failLevel(c: Contestant, level: number, token: Token, reason: string): void {
    const lt = this.levelOf(c, level);
    lt.failure = { token, reason };
    this.stop(c, level, token, `level ${level}: ${reason}`);
    if (c.key === ORIGINAL) this.notes.push(`the original failed on level ${level} (${reason}): that level has no speedups`);
  }

  private async timeLevel(level: number, cases: BenchCase[]): Promise<void> {
    throwIfCancelled(this.req.signal);
    const index = this.levels.indexOf(level);
    this.progress(`timing level ${level}: ${cases.length} cases, ${this.liveAt(level).length} programs`, index, this.levels.length);
    const sets = [...new Set(cases.map((c) => c.set))];
    const generated = await this.generateLevel(level, this.liveAt(level));
    for (const c of this.liveAt(level)) if (c !== this.original) this.checkInputs(c, level, generated.get(c.key), cases);
    const cutoffMs = this.cutoffSeconds * 1000;

    // Mutation → fresh copies; calibration → a batch size per program (a batch sized for the
    // fastest program would make a slow one overrun its time slot many times over).
    const plan: Array<{ clone: boolean; batch: Map<string, number>; perCall: Map<string, number> }> = [];
    for (let i = 0; i < cases.length; i++) {
      const bc = cases[i];
      let clone = false;
      for (const c of this.liveAt(level)) {
        const r = await this.guarded((s) => s.request<MutatesResult>({ op: 'mutates', program: c.key, input: { set: bc.set, index: bc.index }, seed: caseSeed(this.det.seed, bc.id), timeoutMs: cutoffMs }, hardCallLimitMs(cutoffMs)));
        if (r.ok && r.value.mutates) {
          clone = true;
          // The call changed this program's stored input: build it again from the generator.
          const g = this.generators.find((x) => x.set === bc.set) as PreparedGenerator;
          await this.guarded((s) => s.request({ op: 'generate', program: c.key, set: g.set, code: g.code, seed: g.seed, previewNodes: 0, timeoutMs: this.req.limits.timeoutMs }, hardCallLimitMs(this.req.limits.timeoutMs)));
        }
      }
      const perCall = new Map<string, number>();
      const batch = new Map<string, number>();
      const sizeFor = (seconds: number | undefined): number => (seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? Math.min(MAX_BATCH, Math.max(1, Math.ceil(MIN_ITERATION_SECONDS / seconds))) : 1);
      for (const c of this.liveAt(level)) {
        const first = await this.measure(c, level, bc, { budgetMs: 5, minIters: 1, batch: 1, clone, gc: false }, new Map());
        let size = sizeFor(first?.median);
        if (first) perCall.set(c.key, first.median);
        // Timer overhead inflates a single fast call: measure again with the first batch size.
        if (size > 1) {
          const again = await this.measure(c, level, bc, { budgetMs: 5, minIters: 1, batch: size, clone, gc: false }, new Map());
          if (again) {
            perCall.set(c.key, again.median);
            size = Math.max(size, sizeFor(again.median));
          }
        }
        batch.set(c.key, size);
      }
      plan.push({ clone, batch, perCall });
    }
    if (!this.timedAt(this.original, level)) return;

    // Warm-up, then the rounds.
    const warmupMs = Math.max(5, (this.req.warmupMs ?? 100) / cases.length);
    for (let i = 0; i < cases.length; i++) for (const c of this.liveAt(level)) await this.measure(c, level, cases[i], { budgetMs: warmupMs, minIters: 2, batch: plan[i].batch.get(c.key) ?? 1, clone: plan[i].clone, gc: true }, plan[i].perCall);
    const slotMs = Math.max(1, (this.req.budgetMsPerLevel ?? 800) / (this.repeats * cases.length));
    // Each round alternates the programs in short sub-slots (ABAB… at ~25 ms): neighbours that
    // slow the machine down for a while slow every program alike. A round's sample is the median
    // of its sub-slot medians.
    const subSlots = Math.max(1, Math.min(8, Math.floor(slotMs / SUB_SLOT_MS)));
    const runs = new Map<string, TimedRun[][]>(this.contestants.map((c) => [c.key, cases.map(() => [])]));
    const mads = new Map<string, number[][]>(this.contestants.map((c) => [c.key, cases.map(() => [])]));
    for (let r = 0; r < this.repeats; r++) {
      throwIfCancelled(this.req.signal);
      for (let i = 0; i < cases.length; i++) {
        const medians = new Map<string, number[]>();
        const madsOf = new Map<string, number[]>();
        for (let k = 0; k < subSlots; k++) {
          const order = this.liveAt(level);
          const shift = r * subSlots + k;
          for (const c of order.map((_, j) => order[(j + shift) % order.length])) {
            if (!this.timedAt(c, level)) continue;
            const m = await this.measure(c, level, cases[i], { budgetMs: slotMs / subSlots, minIters: 1, batch: plan[i].batch.get(c.key) ?? 1, clone: plan[i].clone, gc: true }, plan[i].perCall);
            if (!m) continue;
            (medians.get(c.key) ?? medians.set(c.key, []).get(c.key)!).push(m.median);
            (madsOf.get(c.key) ?? madsOf.set(c.key, []).get(c.key)!).push(m.mad);
          }
        }
        for (const c of this.contestants) {
          if (c.stopped && (c.stopped.token === 'load' || c.stopped.level < level)) continue;
          const got = medians.get(c.key);
          if (got && got.length === subSlots && this.timedAt(c, level)) {
            runs.get(c.key)![i].push(median(got));
            mads.get(c.key)![i].push(median(madsOf.get(c.key)!));
          } else if (c.stopped && c.stopped.level === level && c.stopped.token !== 'load') runs.get(c.key)![i].push(c.stopped.token);
        }
      }
    }
    for (const c of this.contestants) {
      if (c.stopped && (c.stopped.token === 'load' || c.stopped.level < level)) continue;
      const lt = this.levelOf(c, level);
      lt.cases = cases.map((bc, i): CaseTiming => {
        const rs = runs.get(c.key)![i];
        const numeric = rs.filter((x): x is number => typeof x === 'number');
        return { id: bc.id, runs: rs, hl: numeric.length === rs.length && rs.length > 0 ? hodgesLehmann(numeric) : null, slotMads: mads.get(c.key)![i], batch: plan[i]?.batch.get(c.key) ?? 1, cloned: plan[i]?.clone ?? false };
      });
      lt.worst = lt.cases.length > 0 && lt.cases.every((x) => x.hl !== null) ? Math.max(...lt.cases.map((x) => x.hl as number)) : null;
    }
    await this.guarded((s) => s.request({ op: 'release', sets }, 30_000));
  }

  /** One timing slot; failures stop the program (TLE/MLE/ERR) and restart a killed sandbox. */
  private async measure(
    c: Contestant,
    level: number,
    bc: BenchCase,
    o: { budgetMs: number; minIters: number; batch: number; clone: boolean; gc: boolean },
    perCall: Map<string, number>,
  ): Promise<MeasureResult | undefined> {
    if (!this.timedAt(c, level)) return undefined;
    // The slot plus a few of this program's iterations (its calibrated time, or the cut-off) and slack for copying.
    const iterationMs = o.batch * (perCall.get(c.key) ?? this.cutoffSeconds) * 1000;
    const limitMs = o.budgetMs * 4 + Math.max(1, o.minIters) * 4 * iterationMs + 2 * this.cutoffSeconds * 1000 + 15_000;
    const r = await this.guarded((s) => s.request<MeasureResult>({ op: 'measure', program: c.key, input: { set: bc.set, index: bc.index }, seed: caseSeed(this.det.seed, bc.id), ...o }, limitMs));
    if (!r.ok) {
      if (r.death) {
        this.failLevel(c, level, deathToken(r.death), `case ${bc.id} while timing: ${r.death.message}`);
        await this.recover(level);
      } else this.failLevel(c, level, 'ERR', `case ${bc.id} while timing: ${r.error?.message}`);
      return undefined;
    }
    this.measureSeconds += r.value.wallSeconds;
    c.timing.measureSeconds += r.value.wallSeconds;
    if (r.value.tampered.length > 0) {
      this.failLevel(c, level, 'ERR', `changed builtins while timed (${r.value.tampered.slice(0, 3).join(', ')})`);
      return undefined;
    }
    if (r.value.error) {
      const token: Token = /MemoryError|allocation failed/i.test(`${r.value.error.type} ${r.value.error.message}`) ? 'MLE' : 'ERR';
      this.failLevel(c, level, token, `case ${bc.id} while timing: ${r.value.error.type}: ${r.value.error.message}`);
      return undefined;
    }
    if (!(r.value.median > 0)) {
      this.failLevel(c, level, 'ERR', `case ${bc.id}: the timer saw no time even for a batch of ${o.batch} calls`);
      return undefined;
    }
    return r.value;
  }

  private result(): BenchmarkResult {
    const original = this.original.timing;
    const weightsFor = (level: number): number => (this.req.levelWeights ?? DEFAULT_WEIGHTS)[level] ?? 1;
    const candidates: CandidateTiming[] = this.contestants.slice(1).map((c) => this.candidateResult(c, original, weightsFor));
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
      notes: [...this.notes, ...sandboxCapabilities().notes],
      sandbox: sandboxCapabilities(),
    };
  }

  private candidateResult(c: Contestant, original: ProgramTiming, weightsFor: (level: number) => number): CandidateTiming {
    const out: CandidateTiming = { ...c.timing, speedups: [], overall: null, accepted: false, reason: '' };
    if (c.stopped) {
      out.reason = c.stopped.token === 'load' ? `not timed: ${c.stopped.reason}` : `${c.stopped.token} — ${c.stopped.reason}`;
      if (c.stopped.token === 'load') return out;
    }
    const comparable = original.levels.filter((ol) => {
      const cl = c.timing.levels.find((x) => x.level === ol.level);
      return ol.worst !== null && cl && cl.worst !== null && cl.cases.length === ol.cases.length;
    });
    if (comparable.length === 0) {
      out.reason ||= 'no level could be compared';
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
      const minOverall = weightedGeometricMean(out.speedups.map((s) => s.minRule.speedup), samples.map((s) => s.weight)) ?? NaN;
      out.overall = { ...analysis.overall, accepted: clearsNoiseFloor(analysis.overall, nf), minRule: { speedup: minOverall, accepted: minOverall > 1 + nf } };
    }
    const slower = out.speedups.find((s) => significantlySlower(s, nf));
    const allLevels = comparable.length === original.levels.filter((l) => l.worst !== null).length && !c.stopped;
    if (!allLevels) out.reason ||= 'not every level could be timed';
    else if (!out.overall) out.reason = 'no weighted level to decide on';
    else if (slower) out.reason = `significantly slower on level ${slower.level} (${slower.estimate.toFixed(2)}×, interval ${slower.low.toFixed(2)}–${slower.high.toFixed(2)})`;
    else if (!out.overall.accepted) out.reason = `speedup ${out.overall.estimate.toFixed(2)}× (95% interval ${out.overall.low.toFixed(2)}–${out.overall.high.toFixed(2)}) does not clear 1 + ${nf}`;
    else {
      out.accepted = true;
      out.reason = `speedup ${out.overall.estimate.toFixed(2)}× (95% interval ${out.overall.low.toFixed(2)}–${out.overall.high.toFixed(2)}) clears 1 + ${nf}`;
    }
    return out;
  }
}
