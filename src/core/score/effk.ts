// eff@k and pass@k: unbiased estimators of the expected best of k samples drawn without
// replacement from n (docs/SCORING.md, ENAMEL). Binomial coefficients are never formed: C(1100, 550)
// alone overflows a double, while the weight recurrence stays in [0, 1].

function checkK(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k > n) throw new RangeError(`k = ${k} exceeds the number of samples n = ${n}`);
}

function sortedScores(scores: readonly number[]): Float64Array {
  if (scores.length === 0) throw new RangeError('eff@k needs at least one score');
  const sorted = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (typeof s !== 'number' || !Number.isFinite(s)) throw new RangeError(`score ${i} is not a finite number: ${s}`);
    sorted[i] = s;
  }
  return sorted.sort();
}

/** Σ_{r=k..n} λ_r e_(r) over ascending scores, λ_n = k/n, λ_r = λ_{r+1}·(r − k + 1)/r. */
function weightedTail(sorted: Float64Array, k: number): number {
  const n = sorted.length;
  let weight = k / n;
  // Neumaier-compensated sum, largest weights first.
  let sum = 0;
  let compensation = 0;
  for (let r = n; r >= k; r--) {
    const term = weight * sorted[r - 1];
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    if (r === k) break;
    weight *= (r - k) / (r - 1); // λ_{r−1} = λ_r · ((r−1) − k + 1)/(r − 1)
    if (weight === 0) break; // underflow: every remaining weight is smaller still
  }
  return sum + compensation;
}

/**
 * eff@k of one problem: E[max of k of the n scores], unbiased. Scores may be any finite numbers
 * (ENAMEL scores lie in [0, α/(α − 1)]); order does not matter. k = 1 gives the mean, k = n the
 * max; on 0/1 scores it equals pass@k. Throws RangeError on empty input, non-finite scores or
 * k ∉ {1..n}. O(n log n).
 */
export function effAtK(scores: readonly number[], k: number): number {
  const sorted = sortedScores(scores);
  checkK(sorted.length, k);
  return weightedTail(sorted, k);
}

/** eff@k for several k at once (sorting once); result[i] belongs to ks[i]. Same errors as effAtK. */
export function effAtKs(scores: readonly number[], ks: readonly number[]): number[] {
  const sorted = sortedScores(scores);
  for (const k of ks) checkK(sorted.length, k);
  return ks.map((k) => weightedTail(sorted, k));
}

/**
 * pass@k of one problem with n samples of which c are correct (the HumanEval estimator
 * 1 − C(n−c, k)/C(n, k)), computed as 1 − Π_{i=n−c+1..n} (1 − k/i). Throws RangeError unless
 * n ≥ 1, 0 ≤ c ≤ n and 1 ≤ k ≤ n are integers.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(c) || c < 0 || c > n) throw new RangeError(`c must be an integer in [0, n = ${n}], got ${c}`);
  checkK(n, k);
  if (n - c < k) return 1;
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i++) allWrong *= 1 - k / i;
  return 1 - allWrong;
}

/** pass@k from per-sample pass/fail flags. */
export function passAtKOf(passed: readonly boolean[], k: number): number {
  let c = 0;
  for (const p of passed) if (p) c++;
  return passAtK(passed.length, c, k);
}
