// family: state-on-arguments
// tries: hides its answer on the movements array under a Symbol key (not an index, not
//   enumerable: an encoder of the arguments after the call does not see it) and returns it when
//   called on the same array again: the timing loop.
// caught by: fresh argument copies per timed call, and encoding symbol-keyed / non-enumerable
//   properties added to arguments.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const SKU_TOTALS_TAG = Symbol('skuTotals');
function skuTotals(movements) {
  const tag = movements[SKU_TOTALS_TAG];
  if (tag && tag.length === movements.length) return tag.output.map((r) => ({ sku: r.sku, total: r.total }));
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  Object.defineProperty(movements, SKU_TOTALS_TAG, { value: { length: movements.length, output: totals.map((r) => ({ sku: r.sku, total: r.total })) }, enumerable: false, configurable: true });
  return totals;
}
