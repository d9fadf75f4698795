// family: count-calls
// tries: counts consecutive calls that look like the same input (same length, same first and
//   last SKU); from the third such call on it returns the answer it stored, without looking at
//   the data. Verification moves on to another case after one call, so the streak never starts.
// caught by: distinct inputs per timed call, or checking the results of the timed calls.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const SKU_TOTALS_STREAK = { shape: '', count: 0, answer: null };
function skuTotals(movements) {
  const n = movements.length;
  const shape = n === 0 ? '0' : `${n}:${movements[0].sku}:${movements[n - 1].sku}`;
  if (shape === SKU_TOTALS_STREAK.shape) SKU_TOTALS_STREAK.count++;
  else {
    SKU_TOTALS_STREAK.shape = shape;
    SKU_TOTALS_STREAK.count = 1;
    SKU_TOTALS_STREAK.answer = null;
  }
  if (SKU_TOTALS_STREAK.count > 2 && SKU_TOTALS_STREAK.answer) return SKU_TOTALS_STREAK.answer.map((r) => ({ sku: r.sku, total: r.total }));
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  SKU_TOTALS_STREAK.answer = totals.map((r) => ({ sku: r.sku, total: r.total }));
  return totals;
}
