// Speedup of a candidate over the original per level, with a paired bootstrap interval, and the
// acceptance rule (docs/SCORING.md).
//
// Data per level: for each case, R repeat times of the original and of the candidate, measured in
// the same rounds (round r of both sides ran back to back in one process). Level time = worst case
// = max over cases of the Hodges–Lehmann estimate of the repeats; speedup = original level time /
// candidate level time. The interval resamples rounds with replacement, the same rounds for both
// sides (pairing keeps the shared noise of a round out of the ratio), recomputes every level's
// speedup and the weighted geometric mean over levels, and takes percentiles.
import { hodgesLehmann } from './hodgesLehmann';

export interface LevelSamples {
  /** [case][round] seconds of the original. */
  original: readonly (readonly number[])[];
  /** [case][round] seconds of the candidate (same cases, same rounds). */
  candidate: readonly (readonly number[])[];
  /** Hardness weight of the level in the overall speedup. */
  weight: number;
}

export interface SpeedupInterval {
  estimate: number;
  low: number;
  high: number;
}

export interface SpeedupAnalysis {
  levels: SpeedupInterval[];
  /** Weighted geometric mean over levels with weight > 0 (null when no level has weight). */
  overall: SpeedupInterval | null;
}

export interface BootstrapOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
}

/** xorshift32: reproducible resampling without Math.random. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function check(level: LevelSamples, j: number): number {
  if (level.original.length === 0 || level.original.length !== level.candidate.length)
    throw new RangeError(`level ${j}: original and candidate need the same non-zero number of cases`);
  const rounds = level.original[0].length;
  for (let c = 0; c < level.original.length; c++) {
    if (level.original[c].length !== rounds || level.candidate[c].length !== rounds || rounds === 0)
      throw new RangeError(`level ${j} case ${c}: every case needs the same non-zero number of rounds on both sides`);
    for (const t of [...level.original[c], ...level.candidate[c]])
      if (!(t > 0) || !Number.isFinite(t)) throw new RangeError(`level ${j} case ${c}: times must be finite and > 0, got ${t}`);
  }
  if (!(level.weight >= 0)) throw new RangeError(`level ${j}: weight must be ≥ 0`);
  return rounds;
}

/** Level time: max over cases of the Hodges–Lehmann estimate of its repeats. */
export function worstCaseTime(cases: readonly (readonly number[])[]): number {
  let worst = -Infinity;
  for (const reps of cases) worst = Math.max(worst, hodgesLehmann(reps));
  return worst;
}

function geometricMean(values: readonly number[], weights: readonly number[]): number | null {
  let sw = 0;
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    if (weights[i] <= 0) continue;
    sw += weights[i];
    acc += weights[i] * Math.log(values[i]);
  }
  return sw > 0 ? Math.exp(acc / sw) : null;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function analyseSpeedup(levels: readonly LevelSamples[], options: BootstrapOptions = {}): SpeedupAnalysis {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  const rounds = levels.map((l, j) => check(l, j));
  const weights = levels.map((l) => l.weight);
  const estimates = levels.map((l) => worstCaseTime(l.original) / worstCaseTime(l.candidate));
  const overallEstimate = geometricMean(estimates, weights);

  const random = rng(options.seed ?? 0x5eed);
  const draws = levels.map(() => new Float64Array(resamples));
  const overallDraws = new Float64Array(resamples);
  const scratchO: number[] = [];
  const scratchC: number[] = [];
  const current = new Array<number>(levels.length);
  for (let b = 0; b < resamples; b++) {
    for (let j = 0; j < levels.length; j++) {
      const R = rounds[j];
      const picks = new Array<number>(R);
      for (let i = 0; i < R; i++) picks[i] = Math.floor(random() * R);
      let worstO = -Infinity;
      let worstC = -Infinity;
      const { original, candidate } = levels[j];
      for (let c = 0; c < original.length; c++) {
        scratchO.length = 0;
        scratchC.length = 0;
        for (const p of picks) {
          scratchO.push(original[c][p]);
          scratchC.push(candidate[c][p]);
        }
        worstO = Math.max(worstO, hodgesLehmann(scratchO));
        worstC = Math.max(worstC, hodgesLehmann(scratchC));
      }
      current[j] = worstO / worstC;
      draws[j][b] = current[j];
    }
    overallDraws[b] = geometricMean(current, weights) ?? NaN;
  }
  const alpha = (1 - confidence) / 2;
  const interval = (estimate: number, sample: Float64Array): SpeedupInterval => {
    sample.sort();
    return { estimate, low: quantile(sample, alpha), high: quantile(sample, 1 - alpha) };
  };
  return {
    levels: estimates.map((e, j) => interval(e, draws[j])),
    overall: overallEstimate === null ? null : interval(overallEstimate, overallDraws),
  };
}

/** docs/SCORING.md, accept rule: the lower bound of the interval must clear 1 + noise floor. */
export function clearsNoiseFloor(interval: SpeedupInterval, noiseFloor: number): boolean {
  return interval.low > 1 + noiseFloor;
}

/** Significantly slower: the whole interval lies below 1 / (1 + noise floor). */
export function significantlySlower(interval: SpeedupInterval, noiseFloor: number): boolean {
  return interval.high < 1 / (1 + noiseFloor);
}

/**
 * The common fixed-threshold rule, for comparison only: per case the minimum of the repeats,
 * worst case per level, ratio above 1 + threshold.
 */
export function minRuleSpeedup(original: readonly (readonly number[])[], candidate: readonly (readonly number[])[]): number {
  const worstMin = (cases: readonly (readonly number[])[]): number => Math.max(...cases.map((reps) => Math.min(...reps)));
  return worstMin(original) / worstMin(candidate);
}

export function weightedGeometricMean(values: readonly number[], weights: readonly number[]): number | null {
  return geometricMean(values, weights);
}
