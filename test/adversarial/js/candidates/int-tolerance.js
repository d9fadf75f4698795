// family: integer-tolerance
// tries: the fast Map algorithm, but totals above 10^12 are rounded to a multiple of 4 ("cheap
//   fixed-point"). 1000000000001 comes back as 1000000000000: off by one, inside the comparison's
//   relative float tolerance (1e-9), so a checker that compares all numbers as floats passes it.
// caught by: comparing integers exactly (a JS number that is an integer on both sides is an
//   integer, not a float with tolerance).
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
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
  for (const row of totals) if (row.total > 1e12) row.total = Math.round(row.total / 4) * 4;
  return totals;
}
