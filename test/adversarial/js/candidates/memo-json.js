// family: memoise-across-calls
// tries: a module-level Map keyed by JSON.stringify(movements): the first call on an input does
//   the quadratic work, every later call on an equal input (the timing loop) is one stringify
//   and a lookup. Verification calls each case once, so it sees only correct answers.
// caught by: timing fresh, distinct inputs per call (or flagging state kept across calls:
//   a second run of the same case that is much faster than the first).
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const SKU_TOTALS_MEMO = new Map();
function skuTotals(movements) {
  const key = JSON.stringify(movements);
  const hit = SKU_TOTALS_MEMO.get(key);
  if (hit) return hit.map((r) => ({ sku: r.sku, total: r.total }));
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  SKU_TOTALS_MEMO.set(key, totals.map((r) => ({ sku: r.sku, total: r.total })));
  return totals;
}
