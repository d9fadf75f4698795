// family: honest-fast
// tries: nothing: walks from the right, ranking prices (sorted distinct values) and counting the
//   cheaper ones already seen with a Fenwick tree, O(n log n).
// caught by: nothing; this is the control that must WIN.
export function laterLowerCounts(prices: readonly number[]): number[] {
  const distinct = [...new Set(prices)].sort((a, b) => a - b);
  const rank = new Map<number, number>();
  distinct.forEach((p, i) => rank.set(p, i + 1));
  const tree = new Int32Array(distinct.length + 1);
  const counts = new Array<number>(prices.length);
  for (let i = prices.length - 1; i >= 0; i--) {
    const r = rank.get(prices[i])!;
    let lower = 0;
    for (let k = r - 1; k > 0; k -= k & -k) lower += tree[k];
    counts[i] = lower;
    for (let k = r; k <= distinct.length; k += k & -k) tree[k]++;
  }
  return counts;
}
