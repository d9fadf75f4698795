// family: async-result
// tries: the original is synchronous; this returns a Promise and does the work in a .then, so a
//   timing loop that does not await measures only the scheduling; a checker that awaits the value
//   sees the right answer.
// caught by: a Promise (or thenable) from a function whose original returns plain data is a
//   different result: wrong, or at least flagged.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  return Promise.resolve().then(() => {
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
  });
}
