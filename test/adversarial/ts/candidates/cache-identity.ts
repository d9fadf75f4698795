// family: cache-by-identity
// tries: a WeakMap keyed by the prices array object: the timing loop passes the same array again.
// caught by: a fresh copy of the arguments for every timed call.
const LATER_LOWER_BY_ARRAY = new WeakMap<object, number[]>();
export function laterLowerCounts(prices: readonly number[]): number[] {
  const hit = LATER_LOWER_BY_ARRAY.get(prices);
  if (hit) return hit.slice();
  const counts: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    let lower = 0;
    for (let j = i + 1; j < prices.length; j++) if (prices[j] < prices[i]) lower++;
    counts.push(lower);
  }
  LATER_LOWER_BY_ARRAY.set(prices, counts.slice());
  return counts;
}
