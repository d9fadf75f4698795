// Faster and correct: compresses the scores to positions and counts the strictly better ones
// seen so far with a Fenwick tree, O(n log n) in all.
export function liveRanks(submissions: readonly Submission[]): number[] {
  const distinct = [...new Set(submissions.map((s) => s.score))].sort((a, b) => b - a);
  const position = new Map<number, number>(distinct.map((score, i) => [score, i + 1]));
  const tree = new Int32Array(distinct.length + 1);
  const ranks: number[] = [];
  for (const { score } of submissions) {
    const p = position.get(score)!;
    let better = 0;
    for (let i = p - 1; i > 0; i -= i & -i) better += tree[i];
    ranks.push(better + 1);
    for (let i = p; i <= distinct.length; i += i & -i) tree[i]++;
  }
  return ranks;
}
