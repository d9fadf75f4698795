// The ENAMEL per-sample efficiency score e_i against a reference implementation (docs/SCORING.md),
// following the authors' evaluator (q-rz/enamel, enam/evaluate.py): levels, cases and repeats are
// walked in order; the first kill (timeout, memory or overflow error, or a time beyond the limit)
// right-censors that level and every later one, the first wrong answer or other exception makes
// the sample incorrect. Runs after the first such event are ignored and may be missing.

import { hodgesLehmann } from '../stats/hodgesLehmann';
import { effAtKs, passAtKOf } from './effk';
import { DEFAULT_LEVELS } from '../defaults';

/** A run killed by the limit (TLE), by running out of memory (MLE) or by an overflow (OVF). */
export type CensoredRun = 'TLE' | 'MLE' | 'OVF';
/** A run that returned a wrong answer (WA) or threw any other exception (ERR). */
export type FailedRun = 'WA' | 'ERR';
/** One timed run: its time (any unit, the same as the reference's) or what went wrong. */
export type RunResult = number | CensoredRun | FailedRun;
/** Runs indexed [level][case][repeat]. */
export type RunGrid<T> = ReadonlyArray<ReadonlyArray<ReadonlyArray<T>>>;

export interface EfficiencyConfig {
  /** Time-limit factor α > 1: T = α · max over weighted levels of the reference's level time. */
  alpha: number;
  /** Hardness weight h_j ≥ 0 per level (level 0 usually 0: correctness only); one must be > 0. */
  hardness: readonly number[];
  /** A measured time above T + tolerance counts as killed at the limit (ENAMEL: 0.01 s). Same unit as the times. */
  tolerance: number;
}

export const DEFAULT_EFFICIENCY_CONFIG: Readonly<EfficiencyConfig> = Object.freeze({
  alpha: 2,
  hardness: DEFAULT_LEVELS,
  tolerance: 0,
});

/** The reference's timing summary that every sample of a problem is scored against. */
export interface ReferenceProfile {
  config: EfficiencyConfig;
  /** t*_j: max over the level's cases of the reference's Hodges–Lehmann time; null on weight-0 levels. */
  levelTimes: (number | null)[];
  /** T = α · max_j t*_j */
  timeLimit: number;
}

export interface RunEvent {
  level: number;
  case: number;
  repeat: number;
  /** The token, or 'limit' for a measured time above T + tolerance. */
  outcome: CensoredRun | FailedRun | 'limit';
}

export interface SampleEfficiency {
  /** Correct: no wrong answer or exception, and not killed on level 0. */
  passed: boolean;
  /** e_i = Σ h_j e_j / Σ h_j; 0 when not passed. */
  score: number;
  /** e_j per level (0 on weight-0 levels, on censored levels and when not passed). */
  levelScores: number[];
  /** t_j: max over the level's cases of the sample's Hodges–Lehmann time; null when not reached or censored. */
  levelTimes: (number | null)[];
  /** T */
  timeLimit: number;
  /** The run that ended the walk early (a kill: censored; a wrong answer or error: incorrect). */
  stoppedBy?: RunEvent & { effect: 'censored' | 'incorrect' };
}

const CENSORED: ReadonlySet<string> = new Set<CensoredRun>(['TLE', 'MLE', 'OVF']);
const FAILED: ReadonlySet<string> = new Set<FailedRun>(['WA', 'ERR']);

function resolveConfig(config: Partial<EfficiencyConfig> | undefined): EfficiencyConfig {
  const resolved: EfficiencyConfig = {
    alpha: config?.alpha ?? DEFAULT_EFFICIENCY_CONFIG.alpha,
    hardness: [...(config?.hardness ?? DEFAULT_EFFICIENCY_CONFIG.hardness)],
    tolerance: config?.tolerance ?? DEFAULT_EFFICIENCY_CONFIG.tolerance,
  };
  if (!(resolved.alpha > 1) || !Number.isFinite(resolved.alpha)) throw new RangeError(`alpha must be a finite number > 1, got ${resolved.alpha}`);
  if (resolved.hardness.length === 0) throw new RangeError('hardness needs at least one level');
  for (const h of resolved.hardness) if (!(h >= 0) || !Number.isFinite(h)) throw new RangeError(`hardness weights must be finite and ≥ 0, got ${h}`);
  if (!resolved.hardness.some((h) => h > 0)) throw new RangeError('at least one level needs a positive hardness weight');
  if (!(resolved.tolerance >= 0) || !Number.isFinite(resolved.tolerance)) throw new RangeError(`tolerance must be finite and ≥ 0, got ${resolved.tolerance}`);
  return resolved;
}

function checkTime(where: string, t: number): void {
  if (!(t >= 0) || !Number.isFinite(t)) throw new RangeError(`${where}: a time must be a finite number ≥ 0, got ${t}`);
}

/**
 * Summarise the reference's runs ([level][case][repeat], plain times: the reference must not fail)
 * into t*_j and T. Throws RangeError on malformed input or config (α ≤ 1, no positive weight,
 * level count ≠ hardness length, empty cases on a weighted level, all-zero reference times).
 */
export function referenceProfile(referenceTimes: RunGrid<number>, config?: Partial<EfficiencyConfig>): ReferenceProfile {
  const resolved = resolveConfig(config);
  const levels = resolved.hardness.length;
  if (referenceTimes.length !== levels) throw new RangeError(`reference has ${referenceTimes.length} levels but hardness has ${levels}`);
  const levelTimes: (number | null)[] = [];
  let slowest = 0;
  for (let j = 0; j < levels; j++) {
    const cases = referenceTimes[j];
    if (resolved.hardness[j] === 0) {
      levelTimes.push(null);
      continue;
    }
    if (!Array.isArray(cases) || cases.length === 0) throw new RangeError(`reference level ${j} has no cases`);
    let worst = -Infinity;
    cases.forEach((reps, k) => {
      if (!Array.isArray(reps) || reps.length === 0) throw new RangeError(`reference level ${j} case ${k} has no runs`);
      for (const t of reps) {
        if (typeof t !== 'number') throw new RangeError(`reference level ${j} case ${k}: the reference must not fail, got ${String(t)}`);
        checkTime(`reference level ${j} case ${k}`, t);
      }
      worst = Math.max(worst, hodgesLehmann(reps));
    });
    levelTimes.push(worst);
    slowest = Math.max(slowest, worst);
  }
  if (!(slowest > 0)) throw new RangeError('reference times are all zero: no time limit can be derived');
  return { config: resolved, levelTimes, timeLimit: resolved.alpha * slowest };
}

function incorrect(levels: number, timeLimit: number, event: RunEvent): SampleEfficiency {
  return {
    passed: false,
    score: 0,
    levelScores: new Array<number>(levels).fill(0),
    levelTimes: new Array<number | null>(levels).fill(null),
    timeLimit,
    stoppedBy: { ...event, effect: 'incorrect' },
  };
}

/** Score one sample's runs ([level][case][repeat]) against a precomputed reference profile. */
export function efficiencyScoreFromProfile(profile: ReferenceProfile, sampleTimes: RunGrid<RunResult>): SampleEfficiency {
  const { hardness, tolerance } = profile.config;
  const T = profile.timeLimit;
  const levels = hardness.length;
  if (sampleTimes.length > levels) throw new RangeError(`sample has ${sampleTimes.length} levels, the reference ${levels}`);
  const levelScores = new Array<number>(levels).fill(0);
  const levelTimes = new Array<number | null>(levels).fill(null);
  let stoppedBy: SampleEfficiency['stoppedBy'];

  walk: for (let j = 0; j < levels; j++) {
    const cases = sampleTimes[j];
    if (!Array.isArray(cases) || cases.length === 0) throw new RangeError(`sample has no runs on level ${j}`);
    let worst = -Infinity;
    for (let k = 0; k < cases.length; k++) {
      const reps = cases[k];
      if (!Array.isArray(reps) || reps.length === 0) throw new RangeError(`sample level ${j} case ${k} has no runs`);
      const times: number[] = [];
      for (let r = 0; r < reps.length; r++) {
        const run: unknown = reps[r];
        let killed: RunEvent['outcome'] | undefined;
        if (typeof run === 'number') {
          checkTime(`sample level ${j} case ${k}`, run);
          if (run > T + tolerance) killed = 'limit';
          else times.push(run);
        } else if (typeof run === 'string' && CENSORED.has(run)) {
          killed = run as CensoredRun;
        } else if (typeof run === 'string' && FAILED.has(run)) {
          return incorrect(levels, T, { level: j, case: k, repeat: r, outcome: run as FailedRun });
        } else {
          throw new RangeError(`sample level ${j} case ${k}: unknown run result ${JSON.stringify(run)} (expected a time, TLE, MLE, OVF, WA or ERR)`);
        }
        if (killed !== undefined) {
          const event: RunEvent = { level: j, case: k, repeat: r, outcome: killed };
          // Killed before correctness was established on level 0: incorrect (ENAMEL).
          if (j === 0) return incorrect(levels, T, event);
          stoppedBy = { ...event, effect: 'censored' };
          break walk;
        }
      }
      worst = Math.max(worst, hodgesLehmann(times));
    }
    levelTimes[j] = worst;
    const reference = profile.levelTimes[j];
    if (hardness[j] > 0 && reference !== null) levelScores[j] = Math.max(0, T - worst) / (T - reference);
  }

  let weighted = 0;
  let total = 0;
  for (let j = 0; j < levels; j++) {
    weighted += hardness[j] * levelScores[j];
    total += hardness[j];
  }
  const result: SampleEfficiency = { passed: true, score: weighted / total, levelScores, levelTimes, timeLimit: T };
  if (stoppedBy) result.stoppedBy = stoppedBy;
  return result;
}

/**
 * ENAMEL efficiency score of one sample. referenceTimes: the reference's runs [level][case][repeat]
 * (times only); sampleTimes: the sample's runs on the same cases (times or TLE/MLE/OVF/WA/ERR).
 * Config defaults: α = 2, hardness [0, 3, 3, 4], tolerance 0. Throws RangeError on malformed input.
 */
export function efficiencyScore(referenceTimes: RunGrid<number>, sampleTimes: RunGrid<RunResult>, config?: Partial<EfficiencyConfig>): SampleEfficiency {
  return efficiencyScoreFromProfile(referenceProfile(referenceTimes, config), sampleTimes);
}

export interface ProblemScore {
  samples: SampleEfficiency[];
  /** The requested k that are ≤ n, ascending (ENAMEL drops the others). */
  ks: number[];
  effAtK: Record<number, number>;
  passAtK: Record<number, number>;
}

/** Score every sample of one problem and its eff@k / pass@k for each requested k ≤ n. */
export function scoreProblem(
  referenceTimes: RunGrid<number>,
  samples: readonly RunGrid<RunResult>[],
  ks: readonly number[],
  config?: Partial<EfficiencyConfig>,
): ProblemScore {
  if (samples.length === 0) throw new RangeError('a problem needs at least one sample');
  const profile = referenceProfile(referenceTimes, config);
  const scored = samples.map((s) => efficiencyScoreFromProfile(profile, s));
  const usable = [...new Set(ks)].filter((k) => k <= scored.length).sort((a, b) => a - b);
  const effs = effAtKs(
    scored.map((s) => s.score),
    usable,
  );
  const passed = scored.map((s) => s.passed);
  const effAtK: Record<number, number> = {};
  const passAtK: Record<number, number> = {};
  usable.forEach((k, i) => {
    effAtK[k] = effs[i];
    passAtK[k] = passAtKOf(passed, k);
  });
  return { samples: scored, ks: usable, effAtK, passAtK };
}
