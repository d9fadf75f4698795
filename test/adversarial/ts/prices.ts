// Price history of a product page: for every day, how many later days were cheaper. The chart
// uses it to shade "you could have waited" days.

/** For each index i, the number of j > i with prices[j] < prices[i]. */
export function laterLowerCounts(prices: readonly number[]): number[] {
  const counts: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    let lower = 0;
    for (let j = i + 1; j < prices.length; j++) {
      if (prices[j] < prices[i]) lower++;
    }
    counts.push(lower);
  }
  return counts;
}
