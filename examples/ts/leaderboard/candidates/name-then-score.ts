// Slower (but correct): sorts by user name first so that tied players are listed alphabetically,
// then by score (the sort is stable) — two sorts per submission for a rank that only needs scores.
const byUser = (a: Submission, b: Submission): number => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0);

export function liveRanks(submissions: readonly Submission[]): number[] {
  const board: Submission[] = [];
  const ranks: number[] = [];
  for (const submission of submissions) {
    board.push(submission);
    const standings = [...board].sort(byUser).sort(byScoreDescending);
    ranks.push(standings.findIndex((s) => s.score === submission.score) + 1);
  }
  return ranks;
}
