// family: fair-iterative
// tries: nothing: walks each chain with an explicit stack and remembers every depth it finds, O(n),
//   and never recurses, so the 200000-deep chain that makes the original throw "Maximum call
//   stack size exceeded" works.
// caught by: nothing; the original's stack overflow is a limit of the original, not behaviour
//   the rewrite must copy: the rewrite must NOT be called wrong.
/* eslint-disable -- corpus data: a rewrite for effopt to evaluate, not project code */
function depths(parent) {
  const depth = new Array(parent.length).fill(-1);
  for (let start = 0; start < parent.length; start++) {
    const chain = [];
    let i = start;
    while (i >= 0 && depth[i] < 0) {
      chain.push(i);
      i = parent[i];
    }
    let d = i >= 0 ? depth[i] : -1;
    for (let k = chain.length - 1; k >= 0; k--) depth[chain[k]] = ++d;
  }
  return depth;
}
