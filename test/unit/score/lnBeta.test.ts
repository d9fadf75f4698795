import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { logBeta, logGamma } from '../../../src/core/score/lnBeta';

// ---- A high-precision reference, independent of the code under test -------------------------
// Fixed-point BigInt arithmetic with 256 fractional bits: lnΓ by the Stirling series (Bernoulli
// numbers computed exactly) after lifting the argument to ≥ 40, so the truncation error is
// ~1e-40; logs by the atanh series. Exact for the purpose of checking double results.

const BITS = 256n;
const ONE = 1n << BITS;

function fixed(x: number): bigint {
  // A double is m·2^-e with integer m: exact.
  let e = 0n;
  while (!Number.isInteger(x)) {
    x *= 2;
    e++;
  }
  return e <= BITS ? BigInt(x) << (BITS - e) : BigInt(x) >> (e - BITS);
}
const mul = (a: bigint, b: bigint): bigint => (a * b) >> BITS;
const div = (a: bigint, b: bigint): bigint => (a << BITS) / b;
const toNumber = (a: bigint): number => {
  // Keep ~64 significant bits before converting: Number(bigint) rounds correctly.
  const shift = BITS - 64n;
  return Number(a >> shift) / 2 ** 64;
};

/** atanh(z) for fixed-point |z| < 1 (series; fast for z ≤ 1/3). */
function atanh(z: bigint): bigint {
  const z2 = mul(z, z);
  let power = z;
  let sum = 0n;
  for (let k = 1n; power !== 0n; k += 2n) {
    sum += power / k;
    power = mul(power, z2);
  }
  return sum;
}
const LN2 = 2n * atanh(ONE / 3n);

function ln(x: bigint): bigint {
  if (x <= 0n) throw new RangeError('ln of a non-positive number');
  const k = BigInt(x.toString(2).length) - BITS - 1n; // x / 2^k in [1, 2)
  const y = k >= 0n ? x >> k : x << -k;
  return 2n * atanh(div(y - ONE, y + ONE)) + k * LN2;
}

/** π by Machin's formula. */
function atanInverse(n: bigint): bigint {
  let power = ONE / n;
  let sum = 0n;
  const n2 = n * n;
  for (let k = 1n, sign = 1n; power !== 0n; k += 2n, sign = -sign) {
    sum += (sign * power) / k;
    power /= n2;
  }
  return sum;
}
const PI = 16n * atanInverse(5n) - 4n * atanInverse(239n);
const HALF_LN_2PI = ln(2n * PI) / 2n;

/** Bernoulli numbers B_0..B_max as exact fractions (recurrence Σ_{k≤m} C(m+1, k) B_k = 0). */
function bernoulli(max: number): Array<[bigint, bigint]> {
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
  const B: Array<[bigint, bigint]> = [[1n, 1n]];
  for (let m = 1; m <= max; m++) {
    let num = 0n;
    let den = 1n;
    let binom = 1n; // C(m+1, k)
    for (let k = 0; k < m; k++) {
      const [bn, bd] = B[k];
      num = num * bd + binom * bn * den;
      den *= bd;
      const g = gcd(num, den);
      num /= g;
      den /= g;
      binom = (binom * BigInt(m + 1 - k)) / BigInt(k + 1);
    }
    // B_m = −sum / C(m+1, m)
    const n2 = -num;
    const d2 = den * BigInt(m + 1);
    const g = gcd(n2, d2);
    B.push([n2 / g, d2 / g]);
  }
  return B;
}
const BERNOULLI = bernoulli(30);

function lnGammaReference(xFixed: bigint): bigint {
  let x = xFixed;
  let product = ONE;
  while (x < 40n * ONE) {
    product = mul(product, x);
    x += ONE;
  }
  let series = 0n;
  const x2 = mul(x, x);
  let xPower = x; // x^(2k−1)
  for (let k = 1; k <= 15; k++) {
    const [bn, bd] = BERNOULLI[2 * k];
    series += div((bn * ONE) / (bd * BigInt(2 * k * (2 * k - 1))), xPower);
    xPower = mul(xPower, x2);
  }
  return mul(x - ONE / 2n, ln(x)) - x + HALF_LN_2PI + series - ln(product);
}

function logBetaReference(a: number, b: number): number {
  const fa = fixed(a);
  const fb = fixed(b);
  return toNumber(lnGammaReference(fa) + lnGammaReference(fb) - lnGammaReference(fa + fb));
}

/** Exact lnB for integers: B(a, b) = 1 / ((a + b − 1)·C(a + b − 2, a − 1)). Only for small min(a, b). */
function logBetaExactInteger(a: number, b: number): number {
  const p = BigInt(Math.min(a, b));
  const q = BigInt(Math.max(a, b));
  let binom = 1n;
  for (let i = 1n; i <= p - 1n; i++) binom = (binom * (q - 1n + i)) / i; // C(q − 1 + p − 1, p − 1)
  const denominator = (p + q - 1n) * binom;
  return -toNumber(ln(denominator * ONE));
}

// ---- tests -----------------------------------------------------------------------------------

test('the reference itself: Bernoulli numbers, π, ln 2 and exact integer Beta agree with known values', () => {
  assert.deepEqual(BERNOULLI[2], [1n, 6n]);
  assert.deepEqual(BERNOULLI[12], [-691n, 2730n]);
  assert.deepEqual(BERNOULLI[30], [8615841276005n, 14322n]);
  assert.equal(toNumber(PI), Math.PI);
  assert.equal(toNumber(LN2), Math.LN2);
  for (const [a, b] of [
    [1, 1],
    [3, 7],
    [12, 1e7],
    [40, 123456],
  ]) {
    const exact = logBetaExactInteger(a, b);
    assert.ok(Math.abs(exact - logBetaReference(a, b)) <= 1e-15 * Math.max(1, Math.abs(exact)), `${a},${b}`);
  }
});

const close = (got: number, want: number, rel: number) => Math.abs(got - want) <= rel * Math.max(1, Math.abs(want));

test('logBeta matches exact integer values where the naive lgamma difference fails (arguments to 1e7)', () => {
  const cases: Array<[number, number]> = [
    [1, 1e7],
    [2, 1e7],
    [1001, 1e7],
    [1, 1e6 + 1e4],
    [3, 9_999_999],
    [1004, 1],
    [1003, 2],
    [2, 10_000],
    [1, 10_000],
    [57, 5_000_000],
  ];
  for (const [a, b] of cases) {
    const exact = logBetaExactInteger(a, b);
    assert.ok(close(logBeta(a, b), exact, 2e-15), `lnB(${a}, ${b}) = ${logBeta(a, b)}, exact ${exact}`);
    assert.ok(close(logBeta(b, a), exact, 2e-15), 'symmetric');
  }
  // The test has teeth: the naive difference is off by far more than the tolerance at 1e7.
  const naive = logGamma(1) + logGamma(1e7) - logGamma(1e7 + 1);
  assert.ok(Math.abs(naive - logBetaExactInteger(1, 1e7)) > 1e-10, `naive error ${naive - logBetaExactInteger(1, 1e7)}`);
});

test('logBeta matches the high-precision reference for large and non-integer arguments', () => {
  const cases: Array<[number, number]> = [
    [5e6, 5e6],
    [1e7, 1e7],
    [9_999_999.5, 0.5],
    [1e-3, 1e7],
    [0.5, 0.5],
    [2.5, 9.75],
    [10, 10],
    [9.999, 10.001],
    [1e4 + 0.25, 1e6 + 0.75],
    [123.456, 7_654_321.5],
  ];
  for (const [a, b] of cases) {
    const ref = logBetaReference(a, b);
    assert.ok(close(logBeta(a, b), ref, 2e-14), `lnB(${a}, ${b}) = ${logBeta(a, b)}, reference ${ref}`);
  }
});

test('logBeta agrees with the reference on random arguments in [1e-3, 1e7] (relative 2e-14)', () => {
  const logUniform = fc.double({ min: Math.log(1e-3), max: Math.log(1e7), noNaN: true }).map(Math.exp);
  fc.assert(
    fc.property(logUniform, logUniform, (a, b) => {
      const ref = logBetaReference(a, b);
      return close(logBeta(a, b), ref, 2e-14);
    }),
    { numRuns: 150, seed: 20250601 },
  );
});

test('logGamma matches the reference from 1e-3 to 1e7', () => {
  for (const x of [1e-3, 0.5, 1, 1.5, 2, 3, 9.99, 10, 10.5, 100, 12345.678, 1e7]) {
    const ref = toNumber(lnGammaReference(fixed(x)));
    assert.ok(close(logGamma(x), ref, 5e-15), `lnΓ(${x}) = ${logGamma(x)}, reference ${ref}`);
  }
});

test('logBeta and logGamma reject non-positive and non-finite arguments', () => {
  for (const bad of [0, -1, NaN, Infinity]) {
    assert.throws(() => logBeta(bad, 1), RangeError);
    assert.throws(() => logBeta(1, bad), RangeError);
    assert.throws(() => logGamma(bad), RangeError);
  }
});
