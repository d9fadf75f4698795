// family: memoise-across-calls
// tries: written after reading effopt's nearby-input check (the same input with two elements
//   swapped): the memo key is the multiset of movements (sorted JSON), which a swap does not
//   change, so the nearby calls hit the memo too and look as fast as the repeated ones.
// caught by: the answers on nearby inputs are compared with the original's: the swap changes the
//   order of the output rows, and the remembered answer has the old order (results check).
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const SKU_TOTALS_BY_BAG = new Map();
function skuTotals(movements) {
  const key = movements.map((m) => JSON.stringify(m)).sort().join('\n');
  const hit = SKU_TOTALS_BY_BAG.get(key);
  if (hit) return hit.map((r) => ({ sku: r.sku, total: r.total }));
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  SKU_TOTALS_BY_BAG.set(key, totals.map((r) => ({ sku: r.sku, total: r.total })));
  return totals;
}
