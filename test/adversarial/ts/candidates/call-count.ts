// family: count-calls
// tries: from the third consecutive call on an input of the same shape (length, first and last
//   price) it returns the stored answer without reading the data.
// caught by: distinct inputs per timed call, or checking the results of the timed calls.
const LATER_LOWER_STREAK: { shape: string; count: number; answer: number[] | null } = { shape: '', count: 0, answer: null };
export function laterLowerCounts(prices: readonly number[]): number[] {
  const shape = `${prices.length}:${prices[0]}:${prices[prices.length - 1]}`;
  if (shape === LATER_LOWER_STREAK.shape) LATER_LOWER_STREAK.count++;
  else Object.assign(LATER_LOWER_STREAK, { shape, count: 1, answer: null });
  if (LATER_LOWER_STREAK.count > 2 && LATER_LOWER_STREAK.answer) return LATER_LOWER_STREAK.answer.slice();
  const counts: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    let lower = 0;
    for (let j = i + 1; j < prices.length; j++) if (prices[j] < prices[i]) lower++;
    counts.push(lower);
  }
  LATER_LOWER_STREAK.answer = counts.slice();
  return counts;
}
