// Stock movements of a small warehouse app. Every movement is { sku, qty }; the daily report lists
// each SKU once, in the order it first moved, with the sum of its quantities.
'use strict';

/** Totals per SKU in first-seen order: [{ sku, total }]. */
function skuTotals(movements) {
  const totals = [];
  for (const m of movements) {
    const row = totals.find((t) => t.sku === m.sku);
    if (row) row.total += m.qty;
    else totals.push({ sku: m.sku, total: m.qty });
  }
  return totals;
}

module.exports = { skuTotals };
