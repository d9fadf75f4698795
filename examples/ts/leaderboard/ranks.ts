// A live contest leaderboard: after every submission the submitter sees their rank so far.
// Rank 1 is the best score; equal scores share a rank ("1, 2, 2, 4" standard competition ranking).
export interface Submission {
  user: string;
  score: number;
}

const byScoreDescending = (a: Submission, b: Submission): number => b.score - a.score;

/** For each submission in arrival order, its rank among all submissions up to and including it. */
export function liveRanks(submissions: readonly Submission[]): number[] {
  const board: Submission[] = [];
  const ranks: number[] = [];
  for (const submission of submissions) {
    board.push(submission);
    const standings = [...board].sort(byScoreDescending);
    ranks.push(standings.findIndex((s) => s.score === submission.score) + 1);
  }
  return ranks;
}
