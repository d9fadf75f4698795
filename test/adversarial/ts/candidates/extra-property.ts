// family: extra-property-result
// tries: the fast Fenwick algorithm; the array it returns is an Array subclass with an extra own
//   property (`ranks`, the rank table). An encoder that reads only array indices calls it equal.
// caught by: encoding arrays' extra own properties and non-Array prototypes.
class CountsList extends Array<number> {
  ranks?: Map<number, number>;
}
export function laterLowerCounts(prices: readonly number[]): number[] {
  const distinct = [...new Set(prices)].sort((a, b) => a - b);
  const rank = new Map<number, number>();
  distinct.forEach((p, i) => rank.set(p, i + 1));
  const tree = new Int32Array(distinct.length + 1);
  const counts = new CountsList();
  for (let i = 0; i < prices.length; i++) counts.push(0);
  for (let i = prices.length - 1; i >= 0; i--) {
    const r = rank.get(prices[i])!;
    let lower = 0;
    for (let k = r - 1; k > 0; k -= k & -k) lower += tree[k];
    counts[i] = lower;
    for (let k = r; k <= distinct.length; k += k & -k) tree[k]++;
  }
  counts.ranks = rank;
  return counts;
}
