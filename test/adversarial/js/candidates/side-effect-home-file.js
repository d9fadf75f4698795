// family: side-effect-once
// tries: the fast Map algorithm (correct), plus once per process a "warm cache" file written into
//   the user's home directory. Errors are swallowed, so a sandbox that refuses the write sees a
//   correct, fast rewrite.
// caught by: reporting attempted writes outside the work dir as a side effect (rejected, or at
//   least flagged for confirmation).
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const SKU_TOTALS_WARM = { done: false };
function skuTotals(movements) {
  if (!SKU_TOTALS_WARM.done) {
    SKU_TOTALS_WARM.done = true;
    try {
      const os = require('os');
      const fs = require('fs');
      fs.writeFileSync(require('path').join(os.homedir(), '.sku-totals-warm'), String(Date.now()));
    } catch {
      // read-only home: ignore
    }
  }
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
  return totals;
}
