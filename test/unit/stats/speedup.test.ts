import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyseSpeedup, clearsNoiseFloor, minRuleSpeedup, significantlySlower, worstCaseTime } from '../../../src/core/stats/speedup';
import { hodgesLehmann } from '../../../src/core/stats/hodgesLehmann';

/** Deterministic pseudo-noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

const rounds = (base: number, n: number, spread: number, r: () => number): number[] => Array.from({ length: n }, () => base * (1 + spread * r()));

test('level time is the worst case of per-case Hodges–Lehmann estimates', () => {
  const cases = [
    [1, 2, 3],
    [10, 11, 12],
  ];
  assert.equal(worstCaseTime(cases), hodgesLehmann([10, 11, 12]));
});

test('an exactly scaled candidate gets exactly that speedup with a degenerate interval', () => {
  const r = noise(7);
  const original = [rounds(1e-3, 6, 0.05, r), rounds(3e-3, 6, 0.05, r)];
  const candidate = original.map((reps) => reps.map((t) => t / 2));
  const a = analyseSpeedup([{ original, candidate, weight: 3 }], { resamples: 500 });
  assert.ok(Math.abs(a.levels[0].estimate - 2) < 1e-12);
  assert.ok(Math.abs(a.levels[0].low - 2) < 1e-9 && Math.abs(a.levels[0].high - 2) < 1e-9);
  assert.ok(a.overall && Math.abs(a.overall.estimate - 2) < 1e-12);
});

test('overall speedup is the weight-averaged geometric mean; weight-0 levels do not count', () => {
  const mk = (f: number) => ({ original: [[2, 2, 2]], candidate: [[2 / f, 2 / f, 2 / f]] });
  const a = analyseSpeedup([
    { ...mk(2), weight: 1 },
    { ...mk(8), weight: 1 },
    { ...mk(1000), weight: 0 },
  ]);
  assert.ok(a.overall);
  assert.ok(Math.abs(a.overall.estimate - 4) < 1e-9);
  assert.equal(analyseSpeedup([{ ...mk(2), weight: 0 }]).overall, null);
});

test('the interval is reproducible for a seed and brackets the estimate', () => {
  const r = noise(3);
  const level = { original: [rounds(1, 6, 0.1, r)], candidate: [rounds(0.8, 6, 0.1, r)], weight: 1 };
  const a = analyseSpeedup([level], { seed: 11 });
  const b = analyseSpeedup([level], { seed: 11 });
  assert.deepEqual(a, b);
  assert.ok(a.levels[0].low <= a.levels[0].estimate && a.levels[0].estimate <= a.levels[0].high);
  assert.ok(a.levels[0].high - a.levels[0].low > 0);
});

test('A/A on synthetic noise: the interval covers 1 and the rule rejects (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
      const r = noise(seed);
      const shared = Array.from({ length: 8 }, () => 1 + 0.3 * r());
      // Round-level drift shared by both sides (paired) plus 2% independent noise.
      const original = [shared.map((d) => 1e-3 * d * (1 + 0.02 * r()))];
      const candidate = [shared.map((d) => 1e-3 * d * (1 + 0.02 * r()))];
      const a = analyseSpeedup([{ original, candidate, weight: 1 }], { resamples: 400, seed });
      assert.ok(!clearsNoiseFloor(a.levels[0], 0.05), `false win at seed ${seed}: ${JSON.stringify(a.levels[0])}`);
    }),
    { numRuns: 60 },
  );
});

test('acceptance and slowdown rules', () => {
  assert.ok(clearsNoiseFloor({ estimate: 1.3, low: 1.06, high: 1.5 }, 0.05));
  assert.ok(!clearsNoiseFloor({ estimate: 1.3, low: 1.04, high: 1.5 }, 0.05));
  assert.ok(significantlySlower({ estimate: 0.8, low: 0.7, high: 0.9 }, 0.05));
  assert.ok(!significantlySlower({ estimate: 0.97, low: 0.9, high: 0.99 }, 0.05));
});

test('fixed-threshold baseline: minimum of the repeats, worst case', () => {
  assert.equal(
    minRuleSpeedup(
      [
        [3, 2, 4],
        [9, 8, 10],
      ],
      [
        [1, 1, 1],
        [4, 5, 6],
      ],
    ),
    2,
  );
});

test('malformed input is refused', () => {
  assert.throws(() => analyseSpeedup([{ original: [[1, 2]], candidate: [[1]], weight: 1 }]), RangeError);
  assert.throws(() => analyseSpeedup([{ original: [[1, 0]], candidate: [[1, 1]], weight: 1 }]), RangeError);
  assert.throws(() => analyseSpeedup([{ original: [], candidate: [], weight: 1 }]), RangeError);
  assert.throws(() => analyseSpeedup([{ original: [[1, NaN]], candidate: [[1, 1]], weight: 1 }]), RangeError);
});
