import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatInterval, formatSpeedup } from '../../../src/core/pipeline/format';

it('formats speedups with three significant digits, so an interval never collapses to one number', () => {
  const cases: [number, string][] = [[1.0534, '1.05×'], [2.294, '2.29×'], [9.996, '10.0×'], [0.7126, '0.713×'], [4521.4, '4521×'], [10.06, '10.1×'], [307.4, '307×'], [NaN, '–'], [Infinity, '–']];
  for (const [x, text] of cases) assert.equal(formatSpeedup(x), text, String(x));
  assert.equal(formatInterval({ low: 10.02, high: 10.14 }), '10.0×–10.1×');
});
