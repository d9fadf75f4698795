// family: lazy-result
// tries: returns one row per SKU at once (a Set pass), each with a getter `total` that sums the
//   quantities only when read. Nothing in the timing loop reads it.
// caught by: a result with accessors is not the original's plain data (the encoder must not run
//   getters, and must say that they are there).
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  const rows = [];
  for (const sku of new Set(movements.map((m) => m.sku))) {
    const row = { sku };
    Object.defineProperty(row, 'total', {
      enumerable: true,
      get() {
        let sum = 0;
        let first = true;
        for (const m of movements) if (m.sku === sku) (sum = first ? m.qty : sum + m.qty), (first = false);
        return sum;
      },
    });
    rows.push(row);
  }
  return rows;
}
