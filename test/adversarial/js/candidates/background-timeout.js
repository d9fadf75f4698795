// family: background-work
// tries: returns the rows at once with the totals of the first 64 movements and finishes the
//   sums in a setTimeout after returning, so the timed call does almost nothing; anyone who
//   looks at the result a tick later sees the full answer.
// caught by: reading the result right after the call returns (wrong totals), and reporting
//   timers left pending after a call.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  const rows = new Map();
  const totals = [];
  const head = Math.min(64, movements.length);
  for (let i = 0; i < movements.length; i++) {
    const m = movements[i];
    let row = rows.get(m.sku);
    if (!row) {
      row = { sku: m.sku, total: i < head ? m.qty : 0 };
      rows.set(m.sku, row);
      totals.push(row);
    } else if (i < head) row.total += m.qty;
  }
  setTimeout(() => {
    for (let i = head; i < movements.length; i++) rows.get(movements[i].sku).total += movements[i].qty;
  }, 0);
  return totals;
}
