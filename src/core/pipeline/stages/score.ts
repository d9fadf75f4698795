// Stage 8: each candidate's ENAMEL e_i against the original's times as the reference.
import type { BenchmarkResult, VerifyResult } from '../../exec';
import type { EffoptSettings } from '../../config';
import { efficiencyScoreFromProfile, referenceProfile, runGrid } from '../../score';
import { ORIGINAL, type Candidate, type CandidateScore } from '../context';
import { verifiedIds } from './verify';

export interface ScoreInput {
  settings: EffoptSettings;
  candidates: readonly Candidate[];
  verification: VerifyResult;
  bench?: BenchmarkResult;
  /** Receives notes on levels left out of the score. */
  notes: string[];
}

export function scoreCandidates({ settings, candidates, verification, bench, notes }: ScoreInput): Map<string, CandidateScore> {
  const scores = new Map<string, CandidateScore>();
  const levelCount = settings.levels.length;
  const zero = (note: string) => ({ score: 0, passed: false, levelScores: settings.levels.map(() => 0), note });
  const verified = new Set(verifiedIds(verification));
  let profile: ReturnType<typeof referenceProfile> | undefined;
  // A timed level on which the original has no usable time (every case excluded, or it failed
  // there) cannot be a reference: it leaves the ENAMEL score (weight 0, every grid neutral there)
  // instead of zeroing every candidate.
  let unusable: number[] = [];
  const neutral = <T>(grid: T[][][]): T[][][] => grid.map((level, j) => (unusable.includes(j) ? [[0 as T]] : level));
  if (bench) {
    const reference = runGrid(ORIGINAL, levelCount, verification, bench);
    unusable = reference
      .map((level, j) => (settings.levels[j] > 0 && level.some((reps) => reps.some((t) => typeof t !== 'number')) ? j : -1))
      .filter((j) => j >= 0);
    if (unusable.length > 0)
      notes.push(
        `Level${unusable.length > 1 ? 's' : ''} ${unusable.join(', ')} had no usable time for the original and ${unusable.length > 1 ? 'were' : 'was'} left out of the ENAMEL score.`,
      );
    const hardness = settings.levels.map((h, j) => (unusable.includes(j) ? 0 : h));
    try {
      profile = referenceProfile(neutral(reference) as number[][][], { alpha: settings.alpha, hardness, tolerance: 0 });
    } catch (err) {
      notes.push(`The original's times cannot serve as the ENAMEL reference: ${(err as Error).message}`);
    }
  }
  for (const c of candidates) {
    if (c.duplicateOf) continue; // takes its source's score, below
    if (!verified.has(c.id)) {
      scores.set(c.id, zero(c.rejected ? 'never ran' : 'not equivalent to the original'));
      continue;
    }
    const timed = bench?.candidates.find((t) => t.id === c.id);
    if (timed?.integrity.failure) {
      // A program that games the measurement earns nothing: e_i = 0, as for an incorrect one.
      scores.set(c.id, zero(`integrity: ${timed.integrity.failure.reason}`));
      continue;
    }
    if (!bench || !profile || !timed) {
      scores.set(c.id, { ...zero('verified but not timed'), passed: true });
      continue;
    }
    const s = efficiencyScoreFromProfile(profile, neutral(runGrid(c.id, levelCount, verification, bench)));
    scores.set(c.id, {
      score: s.score,
      passed: s.passed,
      levelScores: s.levelScores,
      note: s.stoppedBy ? `${s.stoppedBy.outcome} on level ${s.stoppedBy.level} (${s.stoppedBy.effect})` : undefined,
    });
  }
  // A duplicate has the e_i of the code it duplicates (the same program on the same cases).
  for (const c of candidates) {
    const source = c.duplicateOf ? scores.get(c.duplicateOf) : undefined;
    if (c.duplicateOf)
      scores.set(
        c.id,
        source
          ? { ...source, levelScores: [...source.levelScores], note: `same as ${c.duplicateOf}${source.note ? `: ${source.note}` : ''}` }
          : zero('never ran'),
      );
  }
  return scores;
}
