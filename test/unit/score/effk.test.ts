import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { effAtK, effAtKs, passAtK, passAtKOf } from '../../../src/core/score/effk';
import { loadVectorFiles } from './vectors';

interface EffkVector {
  name: string;
  n: number;
  scores: number[];
  expected_eff_at_k: Record<string, number>;
  expected_exact_rational?: Record<string, string>;
  passed?: boolean[];
  expected_pass_at_k?: Record<string, number>;
}
interface EffkFile {
  effk_vectors: EffkVector[];
}

const ABS_TOL = 1e-9; // the vector file's tolerance

// ---- exact rational reference (BigInt), independent of the recurrence -----------------------

/** A finite double as an exact fraction num / 2^shift. */
function dyadic(x: number): { num: bigint; shift: bigint } {
  let shift = 0n;
  while (!Number.isInteger(x)) {
    x *= 2;
    shift++;
  }
  return { num: BigInt(x), shift };
}

/** Exact E[max of k] = Σ_r C(r−1, k−1) e_(r) / C(n, k), as a double (correctly rounded to ~1e-17). */
function effAtKExact(scores: readonly number[], k: number): number {
  const sorted = [...scores].sort((a, b) => a - b);
  const n = sorted.length;
  const parts = sorted.map(dyadic);
  const maxShift = parts.reduce((m, p) => (p.shift > m ? p.shift : m), 0n);
  // C(r−1, k−1) for r = k..n, updated incrementally.
  let binom = 1n;
  let numerator = 0n;
  for (let r = k; r <= n; r++) {
    if (r > k) binom = (binom * BigInt(r - 1)) / BigInt(r - k);
    const p = parts[r - 1];
    numerator += binom * (p.num << (maxShift - p.shift));
  }
  let total = 1n; // C(n, k)
  for (let i = 1; i <= k; i++) total = (total * BigInt(n - k + i)) / BigInt(i);
  return ratio(numerator, total << maxShift);
}

function ratio(num: bigint, den: bigint): number {
  // Scale to keep 80 significant bits before the final rounding.
  const neg = num < 0n;
  const a = neg ? -num : num;
  if (a === 0n) return 0;
  const shift = BigInt(den.toString(2).length - a.toString(2).length + 80);
  const q = shift >= 0n ? (a << shift) / den : a / (den << -shift);
  const value = Number(q) / 2 ** Number(shift);
  return neg ? -value : value;
}

function parseRational(text: string): number {
  const [num, den = '1'] = text.split('/');
  return ratio(BigInt(num), BigInt(den));
}

// ---- the shared vectors ----------------------------------------------------------------------

for (const { source, data } of loadVectorFiles<EffkFile>('effk')) {
  for (const v of data.effk_vectors) {
    test(`eff@k vector "${v.name}" (${source})`, () => {
      assert.equal(v.scores.length, v.n);
      for (const [k, expected] of Object.entries(v.expected_eff_at_k)) {
        const got = effAtK(v.scores, Number(k));
        assert.ok(Math.abs(got - expected) <= ABS_TOL, `eff@${k}: got ${got}, expected ${expected}`);
        // The recurrence against the exact rational value of the estimator.
        const exact = effAtKExact(v.scores, Number(k));
        assert.ok(Math.abs(got - exact) <= 1e-14 * Math.max(1, Math.abs(exact)), `eff@${k}: got ${got}, exact ${exact}`);
        const rational = v.expected_exact_rational?.[k];
        if (rational !== undefined) assert.ok(Math.abs(got - parseRational(rational)) <= ABS_TOL, `eff@${k} vs ${rational}`);
      }
      assert.deepEqual(
        effAtKs(v.scores, Object.keys(v.expected_eff_at_k).map(Number)),
        Object.keys(v.expected_eff_at_k).map((k) => effAtK(v.scores, Number(k))),
      );
      if (v.expected_pass_at_k) {
        assert.ok(v.passed, 'pass@k needs the passed flags');
        for (const [k, expected] of Object.entries(v.expected_pass_at_k)) {
          const got = passAtKOf(v.passed, Number(k));
          assert.ok(Math.abs(got - expected) <= ABS_TOL, `pass@${k}: got ${got}, expected ${expected}`);
        }
      }
    });
  }
}

// ---- properties ------------------------------------------------------------------------------

const scoreArray = fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 1, maxLength: 60 });

test('eff@k is non-decreasing in k, the mean at k = 1 and the max at k = n', () => {
  fc.assert(
    fc.property(scoreArray, (scores) => {
      const n = scores.length;
      const all = effAtKs(
        scores,
        Array.from({ length: n }, (_, i) => i + 1),
      );
      for (let k = 1; k < n; k++) assert.ok(all[k] >= all[k - 1] - 1e-12, `eff@${k + 1} < eff@${k}`);
      const mean = scores.reduce((a, b) => a + b, 0) / n;
      assert.ok(Math.abs(all[0] - mean) <= 1e-12);
      assert.ok(Math.abs(all[n - 1] - Math.max(...scores)) <= 1e-12);
    }),
    { seed: 7 },
  );
});

test('eff@k on 0/1 scores equals pass@k, and pass@k equals 1 − C(n−c, k)/C(n, k) exactly', () => {
  fc.assert(
    fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }), fc.nat(), (passed, kSeed) => {
      const n = passed.length;
      const k = 1 + (kSeed % n);
      const c = passed.filter(Boolean).length;
      const pass = passAtK(n, c, k);
      assert.ok(Math.abs(effAtK(passed.map(Number), k) - pass) <= 1e-12);
      const choose = (a: number, b: number): bigint => {
        if (b < 0 || b > a) return 0n;
        let r = 1n;
        for (let i = 1; i <= b; i++) r = (r * BigInt(a - b + i)) / BigInt(i);
        return r;
      };
      const exact = 1 - ratio(choose(n - c, k), choose(n, k));
      assert.ok(Math.abs(pass - exact) <= 1e-13, `pass@${k} n=${n} c=${c}: ${pass} vs ${exact}`);
    }),
    { seed: 11 },
  );
});

test('eff@k matches the exact rational estimator and ignores the order of the scores', () => {
  fc.assert(
    fc.property(scoreArray, fc.nat(), (scores, kSeed) => {
      const k = 1 + (kSeed % scores.length);
      const got = effAtK(scores, k);
      assert.ok(Math.abs(got - effAtKExact(scores, k)) <= 1e-13);
      assert.equal(effAtK([...scores].reverse(), k), got);
    }),
    { seed: 13 },
  );
});

test('n in the thousands: the recurrence stays exact where binomials overflow', () => {
  let s = 42;
  const next = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 1.5;
  const scores = Array.from({ length: 3000 }, next);
  for (const k of [1, 2, 10, 1500, 2999, 3000]) {
    const got = effAtK(scores, k);
    const exact = effAtKExact(scores, k);
    assert.ok(Number.isFinite(got));
    assert.ok(Math.abs(got - exact) <= 1e-13, `eff@${k}: ${got} vs exact ${exact}`);
  }
});

test('eff@k and pass@k reject bad input', () => {
  assert.throws(() => effAtK([], 1), RangeError);
  assert.throws(() => effAtK([0.5, NaN], 1), RangeError);
  assert.throws(() => effAtK([0.5, Infinity], 1), RangeError);
  assert.throws(() => effAtK([0.5, 1], 3), /exceeds/);
  assert.throws(() => effAtK([0.5, 1], 0), RangeError);
  assert.throws(() => effAtK([0.5, 1], 1.5), RangeError);
  assert.throws(() => effAtKs([0.5, 1], [1, 3]), RangeError);
  assert.throws(() => passAtK(0, 0, 1), RangeError);
  assert.throws(() => passAtK(5, 6, 1), RangeError);
  assert.throws(() => passAtK(5, -1, 1), RangeError);
  assert.throws(() => passAtK(5, 2, 6), RangeError);
  assert.equal(passAtK(5, 0, 3), 0);
  assert.equal(passAtK(5, 3, 3), 1);
});
