// Bridges verification and benchmark results to the ENAMEL scorer's input (efficiency.ts):
// runs indexed [level][case][repeat], each a time in seconds or TLE / MLE / WA / ERR.
import type { RunResult } from './efficiency';
import type { BenchmarkResult, CaseOutcome, ProgramTiming, VerifyResult } from '../exec/types';
import { ORIGINAL_ID } from '../defaults';

/** A level-0 run: 0 s when it ran correctly (level 0 is not timed: a cold single call says nothing about speed), else its token. */
function outcomeToken(o: CaseOutcome): RunResult {
  switch (o.status) {
    case 'timeout':
      return 'TLE';
    case 'memory':
      return 'MLE';
    case 'returned':
    case 'threw':
    case 'exited':
      return 0;
    default:
      return 'ERR';
  }
}

/**
 * The run grid of one program ('original' or a candidate id) for levels 0..levelCount-1.
 * Level 0 (correctness only, weight 0) comes from verification: one run per included level-0
 * case, recorded as 0 s when the program passed (not timed: only correctness counts there), WA
 * when it returned something else, TLE/MLE/ERR when it failed otherwise. Timed levels come from the benchmark; a case that failed
 * verification on that level becomes WA there. A level without cases gets one ERR run, since
 * the scorer needs every level present.
 */
export function runGrid(programId: string, levelCount: number, verification: VerifyResult, bench: BenchmarkResult): RunResult[][][] {
  const isOriginal = programId === ORIGINAL_ID;
  const candidate = verification.candidates.find((c) => c.id === programId);
  const verdictOf = (caseId: string): { pass: boolean; outcome?: CaseOutcome } => {
    if (isOriginal) return { pass: true };
    const v = candidate?.verdicts.find((x) => x.caseId === caseId);
    return { pass: v?.status === 'pass' || v?.status === 'excluded', outcome: v?.outcome };
  };
  const timing: ProgramTiming | undefined = isOriginal ? bench.original : bench.candidates.find((c) => c.id === programId);
  const grid: RunResult[][][] = [];
  for (let level = 0; level < levelCount; level++) {
    const cases = verification.cases.filter((c) => c.included && c.level === level);
    const failed = cases.find((c) => !verdictOf(c.id).pass);
    const timed = timing?.levels.find((l) => l.level === level);
    if (failed) {
      const o = verdictOf(failed.id).outcome;
      const token = o && !['returned', 'threw', 'exited'].includes(o.status) ? outcomeToken(o) : 'WA';
      grid.push([[token]]);
      continue;
    }
    if (timed && timed.cases.length > 0) {
      grid.push(timed.cases.map((c) => c.runs.map((r) => r)));
      continue;
    }
    if (level === 0 && cases.length > 0) {
      grid.push(cases.map((c) => [isOriginal ? outcomeToken(c.original) : outcomeToken(verdictOf(c.id).outcome ?? c.original)]));
      continue;
    }
    grid.push([[timed?.failure?.token ?? 'ERR']]);
  }
  return grid;
}
