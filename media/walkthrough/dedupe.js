// effopt's sample: a de-duplication that searches the output array for every element, so it
// takes quadratic time. Click "⚡ Optimize" above the function (or run "effopt: Optimize Function
// at Cursor") and effopt asks your model for faster rewrites, checks them against generated
// tests and benchmarks them before offering one.
function dedupe(xs) {
  const out = [];
  for (const x of xs) {
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

module.exports = { dedupe };
