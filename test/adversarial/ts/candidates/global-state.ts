// family: hidden-global-state
// tries: keeps the last input and answer on globalThis under a symbol, non-enumerable, and
//   answers a repeated call on the same array from there.
// caught by: fresh arguments per timed call, and noticing new globalThis properties.
export function laterLowerCounts(prices: readonly number[]): number[] {
  const slot = Symbol.for('pricing.laterLowerCounts.last');
  const g = globalThis as unknown as Record<symbol, { input: readonly number[]; output: number[] } | undefined>;
  const last = g[slot];
  if (last && last.input === prices) return last.output.slice();
  const counts: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    let lower = 0;
    for (let j = i + 1; j < prices.length; j++) if (prices[j] < prices[i]) lower++;
    counts.push(lower);
  }
  Object.defineProperty(globalThis, slot, { value: { input: prices, output: counts.slice() }, configurable: true, writable: true, enumerable: false });
  return counts;
}
