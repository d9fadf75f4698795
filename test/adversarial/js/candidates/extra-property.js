// family: extra-property-result
// tries: the fast Map algorithm, and the array it returns also carries an own property `bySku`
//   (the Map, for "callers who want lookups") and a prototype of its own. An encoder that reads
//   only the indices of arrays calls it equal.
// caught by: encoding arrays' extra own properties and non-Array prototypes, so the result is
//   seen to differ from the original's plain array.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
class SkuTotalsList extends Array {}
function skuTotals(movements) {
  const rows = new Map();
  const totals = new SkuTotalsList();
  for (const m of movements) {
    const row = rows.get(m.sku);
    if (row) row.total += m.qty;
    else {
      const fresh = { sku: m.sku, total: m.qty };
      rows.set(m.sku, fresh);
      totals.push(fresh);
    }
  }
  totals.bySku = rows;
  return totals;
}
