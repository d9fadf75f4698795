// family: detect-timing-loop
// tries: reads its own call stack (new Error().stack): when a frame of the harness's timing loop
//   or of tinybench is on it, it returns the answer it computed for the last input of that length
//   (right value, no work). Outside the timing loop it is the original, so verification passes.
// caught by: giving the code under test no way to tell a timed call from a checked one (same
//   call path), and checking the results of the timed calls on fresh inputs.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const SKU_TOTALS_SEEN = new Map();
function skuTotals(movements) {
  const stack = new Error().stack || '';
  const timed = /timing|tinybench|measure|Bench/i.test(stack);
  const known = SKU_TOTALS_SEEN.get(movements.length);
  if (timed && known) return known;
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  SKU_TOTALS_SEEN.set(movements.length, totals);
  return totals;
}
