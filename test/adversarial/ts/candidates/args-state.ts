// family: state-on-arguments
// tries: hides its answer on the prices array under a non-enumerable Symbol key and returns it
//   when called with the same array again (the timing loop).
// caught by: fresh argument copies per timed call, and encoding symbol-keyed properties that a
//   call added to its arguments.
const LATER_LOWER_TAG = Symbol('laterLowerCounts');
export function laterLowerCounts(prices: readonly number[]): number[] {
  const holder = prices as unknown as Record<symbol, number[] | undefined>;
  const tag = holder[LATER_LOWER_TAG];
  if (tag && tag.length === prices.length) return tag.slice();
  const counts: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    let lower = 0;
    for (let j = i + 1; j < prices.length; j++) if (prices[j] < prices[i]) lower++;
    counts.push(lower);
  }
  Object.defineProperty(prices, LATER_LOWER_TAG, { value: counts.slice(), enumerable: false, configurable: true });
  return counts;
}
