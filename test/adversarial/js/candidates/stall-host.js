// family: stall-host
// tries: the honest O(n) Map, but on large inputs (the timed levels, not the small correctness
//   cases) every call writes 256 KiB to stdout, so that effopt's own event loop, reading the
//   sandbox's output, stalls while a slot is timed: a stalled loop is what the clock and
//   after-return checks forgive (they subtract effopt's event-loop stalls), so a forger could hope
//   to hide a clock gap behind it. The function's answer is right.
// caught by: stdout is part of the behaviour compared with the original's (the original prints
//   nothing), and the harness captures a call's output inside the sandbox, capped, so it never
//   reaches effopt's loop while timed.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
const NOISE = 'x'.repeat(256 * 1024);
function skuTotals(movements) {
  if (movements.length > 500) process.stdout.write(NOISE);
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
