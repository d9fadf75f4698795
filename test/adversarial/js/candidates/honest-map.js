// family: honest-fast
// tries: nothing: a Map from SKU to its row answers "seen before?" in O(1), O(n) in all.
// caught by: nothing; this is the control that must WIN.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  const rows = new Map();
  const totals = [];
  for (const m of movements) {
    const row = rows.get(m.sku);
    if (row) row.total += m.qty;
    else {
      const fresh = { sku: m.sku, total: m.qty };
      rows.set(m.sku, fresh);
      totals.push(fresh);
    }
  }
  return totals;
}
