// Faster and correct: the same recursion, memoised in a flat table (each (i, j) is solved once).
export function editDistance(a: string, b: string): number {
  const xs = Array.from(a);
  const ys = Array.from(b);
  const width = ys.length + 1;
  const memo = new Int32Array((xs.length + 1) * width).fill(-1);
  const distance = (i: number, j: number): number => {
    if (i === xs.length) return ys.length - j;
    if (j === ys.length) return xs.length - i;
    const key = i * width + j;
    if (memo[key] >= 0) return memo[key];
    const d = xs[i] === ys[j] ? distance(i + 1, j + 1) : 1 + Math.min(distance(i + 1, j), distance(i, j + 1), distance(i + 1, j + 1));
    memo[key] = d;
    return d;
  };
  return distance(0, 0);
}
