// family: cache-by-identity
// tries: a WeakMap keyed by the movements array itself: the timing loop passes the same array
//   object again and again, so every timed call after the first is a WeakMap hit.
// caught by: a fresh copy of the arguments for every timed call.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const SKU_TOTALS_BY_ARRAY = new WeakMap();
function skuTotals(movements) {
  const hit = SKU_TOTALS_BY_ARRAY.get(movements);
  if (hit) return hit.map((r) => ({ sku: r.sku, total: r.total }));
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  SKU_TOTALS_BY_ARRAY.set(movements, totals.map((r) => ({ sku: r.sku, total: r.total })));
  return totals;
}
