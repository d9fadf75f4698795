// family: hidden-global-state
// tries: keeps the last input and its answer on globalThis under a symbol (invisible to
//   Object.keys, survives anything module-scoped being reset) and returns the stored answer when
//   called again with the same array.
// caught by: fresh arguments per timed call, and noticing new properties on globalThis.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  const slot = Symbol.for('warehouse.skuTotals.last');
  const last = globalThis[slot];
  if (last && last.input === movements && last.length === movements.length) return last.output.map((r) => ({ sku: r.sku, total: r.total }));
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  Object.defineProperty(globalThis, slot, { value: { input: movements, length: movements.length, output: totals.map((r) => ({ sku: r.sku, total: r.total })) }, configurable: true, writable: true, enumerable: false });
  return totals;
}
