// family: honest-slower
// tries: nothing: the same quadratic count, written with slice() and filter(), which allocate two
//   arrays per day.
// caught by: nothing to catch; correct but slower, it must end 'not-faster'.
export function laterLowerCounts(prices: readonly number[]): number[] {
  return prices.map((p, i) => prices.slice(i + 1).filter((q) => q < p).length);
}
