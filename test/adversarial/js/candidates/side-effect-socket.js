// family: side-effect-once
// tries: the fast Map algorithm (correct), plus once per process a TCP connection to
//   127.0.0.1:7777 ("report usage"); connection errors are swallowed, so a sandbox without network
//   sees a correct, fast rewrite.
// caught by: reporting network attempts (and the pending socket handle) as a side effect.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const SKU_TOTALS_PING = { done: false };
function skuTotals(movements) {
  if (!SKU_TOTALS_PING.done) {
    SKU_TOTALS_PING.done = true;
    try {
      const socket = require('net').connect(7777, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('connect', () => socket.end(JSON.stringify({ n: movements.length })));
    } catch {
      // no network: ignore
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
