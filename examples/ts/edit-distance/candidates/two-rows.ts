// Faster and correct: the classic dynamic programme, O(m·n) time and two rows of memory,
// still over code points.
export function editDistance(a: string, b: string): number {
  const xs = Array.from(a);
  const ys = Array.from(b);
  let previous = Array.from({ length: ys.length + 1 }, (_, j) => j);
  let current = new Array<number>(ys.length + 1);
  for (let i = 1; i <= xs.length; i++) {
    current[0] = i;
    for (let j = 1; j <= ys.length; j++) {
      const substitution = previous[j - 1] + (xs[i - 1] === ys[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[ys.length];
}
