// family: wrong-on-uncovered-input
// tries: a Fenwick tree indexed by the price itself (no ranking step: "prices are cents"), fast
//   on every test. A negative or fractional price lands on a wrong (or no) slot: wrong answers
//   on inputs no test has.
// caught by: inputs beyond the supplied tests (generated edge cases: negative and non-integer
//   numbers), or a flag that the tests only ever used small non-negative integers.
export function laterLowerCounts(prices: readonly number[]): number[] {
  let max = 0;
  for (const p of prices) if (p > max) max = p;
  const size = Math.min(max + 2, 1 << 21);
  const tree = new Int32Array(size + 1);
  const counts = new Array<number>(prices.length);
  for (let i = prices.length - 1; i >= 0; i--) {
    const r = (prices[i] | 0) + 1;
    let lower = 0;
    for (let k = r - 1; k > 0; k -= k & -k) lower += tree[k];
    counts[i] = lower;
    for (let k = r; k > 0 && k <= size; k += k & -k) tree[k]++;
  }
  return counts;
}
