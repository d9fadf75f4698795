// The status and reason of one candidate in the report, from what the run found out about it.
import type { CandidateTiming, ProgramVerification } from '../exec';
import { formatSpeedup } from './format';
import type { CandidateStatus } from './report';

export interface StatusInput {
  /** Why it never ran (parse rejection, conflict, no reply). */
  rejected?: string;
  /** Its verification, if it got that far. */
  verification?: Pick<ProgramVerification, 'status' | 'loadError' | 'firstFailure'>;
  /** Its timing, if it was benchmarked. */
  timing?: Pick<CandidateTiming, 'integrity' | 'overall' | 'accepted' | 'reason'>;
  /** Whether the benchmark stage ran at all (for the not-timed wording). */
  benchmarked: boolean;
  isWinner: boolean;
  /** Whether B4's selected set holds the original (the winner's reason says which set it came from). */
  originalInTop: boolean;
  /** Its B4 rank, if ranked. */
  b4Rank?: number;
}

/** Outcomes of a call that are a wrong answer rather than a crash. */
const ANSWERED = ['returned', 'threw', 'exited'];

/**
 * The first thing that decides, in run order: rejected → not verified (wrong or crashed) → not
 * timed → integrity failure → winner → faster by the rule → not faster.
 */
export function candidateStatus(c: StatusInput): { status: CandidateStatus; reason: string } {
  const v = c.verification;
  const t = c.timing;
  if (c.rejected) return { status: 'rejected', reason: c.rejected };
  if (!v) return { status: 'not-run', reason: 'the run stopped before it was verified' };
  if (v.status !== 'verified') {
    const f = v.firstFailure;
    const crashed = v.status === 'load-error' || v.status === 'unsupported' || (f && !ANSWERED.includes(f.outcome.status));
    const reason =
      v.status === 'load-error'
        ? `does not load: ${v.loadError}`
        : v.status === 'no-cases'
          ? 'no case could be compared'
          : `${f?.reason ?? 'differs from the original'} (case ${f?.caseId})`;
    return { status: crashed ? 'crashed' : 'wrong', reason };
  }
  if (!t) return { status: 'not-run', reason: c.benchmarked ? 'not timed' : 'verified; the run stopped before timing' };
  if (t.integrity.failure) return { status: t.integrity.failure.verdict, reason: t.integrity.failure.reason };
  const speedup = formatSpeedup(t.overall?.estimate ?? 1);
  if (c.isWinner) {
    const set = c.originalInTop ? "best e_i among B4's selected set" : 'best e_i among the rewrites equivalent to your code (B4 sides with the tests)';
    return {
      status: 'winner',
      reason: `verified and ${speedup} faster; ${set}${t.integrity.needsConfirmation ? `; needs your confirmation: ${t.integrity.needsConfirmation}` : ''}`,
    };
  }
  if (t.accepted)
    return {
      status: 'faster',
      reason: `verified and faster (${speedup}), not chosen: lower e_i${c.b4Rank !== undefined && c.b4Rank > 1 ? ' or outside B4’s winning set' : ''}`,
    };
  return { status: 'not-faster', reason: t.reason };
}
