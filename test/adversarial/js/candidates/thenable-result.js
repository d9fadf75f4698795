// family: async-result
// tries: returns a thenable (not a real Promise) that computes only when someone calls .then:
//   `await` in a checker runs the work, a timing loop that only stores the result does none.
// caught by: a thenable is not the original's array: wrong (or flagged), whether awaited or not.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function skuTotals(movements) {
  return {
    then(resolve, reject) {
      try {
        const totals = [];
        for (const m of movements) {
          const row = totals.find((t) => t.sku === m.sku);
          if (row) row.total += m.qty;
          else totals.push({ sku: m.sku, total: m.qty });
        }
        resolve(totals);
      } catch (err) {
        reject(err);
      }
    },
  };
}
