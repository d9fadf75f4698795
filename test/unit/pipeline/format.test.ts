import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatInterval, formatSeconds, formatSpeedup, formatUsd } from '../../../src/core/pipeline/format';

it('formats speedups with three significant digits, so an interval never collapses to one number', () => {
  const cases: [number, string][] = [
    [1.0534, '1.05×'],
    [2.294, '2.29×'],
    [9.996, '10.0×'],
    [0.7126, '0.713×'],
    [4521.4, '4521×'],
    [10.06, '10.1×'],
    [307.4, '307×'],
    [NaN, '–'],
    [Infinity, '–'],
  ];
  for (const [x, text] of cases) assert.equal(formatSpeedup(x), text, String(x));
  assert.equal(formatInterval({ low: 10.02, high: 10.14 }), '10.0×–10.1×');
});

it('formats seconds with three or four significant digits and money by the cent', () => {
  const cases: [number | null, string][] = [
    [0.126, '126.0 ms'],
    [0.00092, '920.0 µs'],
    [0.0000042, '4.20 µs'],
    [0.0042, '4.20 ms'],
    [3.14159, '3.14 s'],
    [42.25, '42.3 s'],
    [null, '–'],
    [NaN, '–'],
  ];
  for (const [s, text] of cases) assert.equal(formatSeconds(s), text, String(s));
  assert.equal(formatUsd(0.00123), '$0.0012');
  assert.equal(formatUsd(1.5), '$1.50');
  assert.match(formatUsd(null), /unknown/);
});
