// family: lazy-result
// tries: returns an empty array and fills it in a queued microtask, after a synchronous timing
//   loop has stopped its clock but before a checker that awaits anything reads it.
// caught by: reading the result synchronously after the call, timing until microtasks drain.
export function laterLowerCounts(prices: readonly number[]): number[] {
  const counts: number[] = [];
  queueMicrotask(() => {
    for (let i = 0; i < prices.length; i++) {
      let lower = 0;
      for (let j = i + 1; j < prices.length; j++) if (prices[j] < prices[i]) lower++;
      counts.push(lower);
    }
  });
  return counts;
}
