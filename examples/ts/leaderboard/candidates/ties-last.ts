// Faster but WRONG on an edge case: the binary search stops after the equal scores, so a tie
// gets the rank after everyone it ties with ("1, 2, 3") instead of sharing it ("1, 2, 2").
export function liveRanks(submissions: readonly Submission[]): number[] {
  const sorted: number[] = [];
  const ranks: number[] = [];
  for (const { score } of submissions) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] >= score) lo = mid + 1;
      else hi = mid;
    }
    ranks.push(lo + 1);
    sorted.splice(lo, 0, score);
  }
  return ranks;
}
