// family: lazy-result
// tries: returns an empty array at once and fills it in a queued microtask. A synchronous timing
//   loop stops its clock before the microtasks run; a checker that awaits anything before reading
//   the result sees the full answer.
// caught by: reading (encoding) the result synchronously, right after the call returns, and
//   timing until the microtask queue is drained.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  const totals = [];
  queueMicrotask(() => {
    for (const m of movements) {
      const row = totals.find((t) => t.sku === m.sku);
      if (row) row.total += m.qty;
      else totals.push({ sku: m.sku, total: m.qty });
    }
  });
  return totals;
}
