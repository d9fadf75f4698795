// family: honest-slower
// tries: nothing: the same linear search, on a fresh array of keys built for every movement.
// caught by: nothing to catch; correct but slower, it must end 'not-faster'.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  const totals = [];
  for (const m of movements) {
    const at = totals.map((t) => t.sku).indexOf(m.sku);
    if (at !== -1) totals[at].total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  return totals;
}
