// Hangs: a binary search that, on a tie, keeps the equal score inside the range with `lo = mid`;
// once the range is two wide, mid === lo and the loop never ends on a repeated score.
export function liveRanks(submissions: readonly Submission[]): number[] {
  const sorted: number[] = [];
  const ranks: number[] = [];
  for (const { score } of submissions) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] > score) lo = mid + 1;
      else if (sorted[mid] < score) hi = mid;
      else lo = mid;
    }
    ranks.push(lo + 1);
    sorted.splice(lo, 0, score);
  }
  return ranks;
}
