// The winner rule (docs/SCORING.md): among the rewrites faster by the rule, the best e_i; when B4's
// selected set holds the original, only rewrites in that set (equivalent to your code) are eligible.
import type { CandidateTiming } from '../exec';
import { ORIGINAL } from './context';
import type { RunStatus } from './report';

export interface WinnerInput {
  /** B4's selected set, by id (`original` for the user's code). */
  top: ReadonlySet<string>;
  /** The timed candidates. */
  timings: readonly Pick<CandidateTiming, 'id' | 'accepted' | 'integrity' | 'overall'>[];
  /** Each candidate's e_i. */
  scores: ReadonlyMap<string, { score: number }>;
}

export interface WinnerChoice {
  status: Extract<RunStatus, 'improved' | 'no-improvement' | 'tests-disagree'>;
  winner?: string;
}

/**
 * Ordered by: not needing a person's confirmation first (a flagged rewrite wins only when no other
 * one qualifies), then higher e_i, then the higher speedup estimate; ties keep the timing order.
 * When B4 sides with the tests against the original, the run reports `tests-disagree` and the
 * winner (if any) is only a suggestion, never applied automatically.
 */
export function pickWinner({ top, timings, scores }: WinnerInput): WinnerChoice {
  const originalInTop = top.has(ORIGINAL);
  const eligible = timings.filter((t) => t.accepted && (originalInTop ? top.has(t.id) : true));
  const flagged = (t: (typeof eligible)[number]): number => (t.integrity.needsConfirmation ? 1 : 0);
  const best = [...eligible].sort(
    (a, b) =>
      flagged(a) - flagged(b) || (scores.get(b.id)?.score ?? 0) - (scores.get(a.id)?.score ?? 0) || (b.overall?.estimate ?? 0) - (a.overall?.estimate ?? 0),
  )[0];
  if (!originalInTop) return { status: 'tests-disagree', winner: best?.id };
  return best ? { status: 'improved', winner: best.id } : { status: 'no-improvement' };
}
