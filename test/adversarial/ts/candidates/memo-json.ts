// family: memoise-across-calls
// tries: a module-level Map keyed by JSON.stringify(prices); the timing loop's repeated calls on
//   the same input become a stringify and a lookup.
// caught by: distinct fresh inputs per timed call, or flagging state kept across calls.
const LATER_LOWER_MEMO = new Map<string, number[]>();
export function laterLowerCounts(prices: readonly number[]): number[] {
  const key = JSON.stringify(prices);
  const hit = LATER_LOWER_MEMO.get(key);
  if (hit) return hit.slice();
  const counts: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    let lower = 0;
    for (let j = i + 1; j < prices.length; j++) if (prices[j] < prices[i]) lower++;
    counts.push(lower);
  }
  LATER_LOWER_MEMO.set(key, counts.slice());
  return counts;
}
