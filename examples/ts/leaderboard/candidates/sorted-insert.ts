// Faster and correct: keeps the scores seen so far sorted (descending) and finds the rank by
// binary search — the number of strictly better scores, plus one — instead of sorting every time.
export function liveRanks(submissions: readonly Submission[]): number[] {
  const sorted: number[] = [];
  const ranks: number[] = [];
  for (const { score } of submissions) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] > score) lo = mid + 1;
      else hi = mid;
    }
    ranks.push(lo + 1);
    sorted.splice(lo, 0, score);
  }
  return ranks;
}
