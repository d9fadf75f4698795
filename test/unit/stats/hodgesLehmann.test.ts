import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hodgesLehmann, median } from '../../../src/core/stats/hodgesLehmann';

test('median of odd and even samples', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

test('Hodges–Lehmann on small samples, by hand', () => {
  assert.equal(hodgesLehmann([5]), 5);
  // Walsh averages of [1, 2, 10]: 1, 1.5, 5.5, 2, 6, 10 → median of 6 values = (2 + 5.5) / 2
  assert.equal(hodgesLehmann([1, 2, 10]), 3.75);
  // one wild outlier barely moves it, unlike the mean
  const hl = hodgesLehmann([1, 1, 1, 1, 1, 1000]);
  assert.ok(hl >= 1 && hl < 2, `got ${hl}`);
});

test('Hodges–Lehmann is location- and scale-equivariant and within [min, max]', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      (xs, shift) => {
        const hl = hodgesLehmann(xs);
        assert.ok(hl >= Math.min(...xs) - 1e-9 && hl <= Math.max(...xs) + 1e-9);
        const shifted = hodgesLehmann(xs.map((x) => x + shift));
        assert.ok(Math.abs(shifted - (hl + shift)) <= 1e-6 * (1 + Math.abs(hl) + Math.abs(shift)));
      },
    ),
  );
});

test('rejects non-finite values instead of returning NaN', () => {
  assert.throws(() => hodgesLehmann([1, NaN]), RangeError);
  assert.throws(() => hodgesLehmann([1, Infinity]), RangeError);
});
