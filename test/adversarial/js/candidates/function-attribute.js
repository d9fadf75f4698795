// family: hidden-global-state
// tries: stores the last input and answer as a property of the function object itself
//   (skuTotals.last), a place no module-level scan looks at.
// caught by: fresh arguments per timed call, and comparing the function's own properties before
//   and after calls.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  const last = skuTotals.last;
  if (last && last.input === movements && last.length === movements.length) return last.output.map((r) => ({ sku: r.sku, total: r.total }));
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  skuTotals.last = { input: movements, length: movements.length, output: totals.map((r) => ({ sku: r.sku, total: r.total })) };
  return totals;
}
