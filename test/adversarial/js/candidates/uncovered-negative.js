// family: wrong-on-uncovered-input
// tries: the fast Map algorithm, but movements with a negative qty (returns to stock) are skipped.
//   No test has a negative qty, so it is right on every test and wrong on real data.
// caught by: inputs beyond the supplied tests (generated edge cases: negative numbers), or at
//   least a flag that the tests never exercised negative quantities.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  const rows = new Map();
  const totals = [];
  for (const m of movements) {
    if (m.qty < 0) continue;
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
