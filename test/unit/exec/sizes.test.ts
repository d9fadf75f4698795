// Input sizes per case ("n = 20,000"): the rule on encoded values, and both harnesses reporting
// them with every generated input set.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GenerateResult } from '../../../src/core/exec/sandbox/protocol';
import { caseSize, sizeText } from '../../../src/core/exec/compare/sizes';
import { leftovers, startSession } from './helpers';

after(async () => {
  assert.deepEqual(await leftovers(), []);
});

test('the size rule: largest container argument; integers only without a container; class instances by their largest field', () => {
  assert.equal(caseSize([[1, 2, 3], 'abcde']), 5);
  assert.equal(caseSize([[1, 2, 3], 1_000_000]), 3, 'an integer next to a container is not the size');
  assert.equal(caseSize([30]), 30);
  assert.equal(caseSize([-7, 3]), 7);
  assert.equal(caseSize([{ $: 'int', v: '10000000000000000' }]), 1e16);
  assert.equal(
    caseSize([
      {
        $: 'dict',
        v: [
          ['a', 1],
          ['b', 2],
        ],
      },
    ]),
    2,
  );
  assert.equal(caseSize([{ $: 'object', v: [['a', 1]] }]), 1, 'a plain object: its keys');
  assert.equal(
    caseSize([
      {
        $: 'object',
        cls: 'Stack',
        v: [
          ['items', [1, 2, 3, 4]],
          ['top', 3],
        ],
      },
      1,
    ]),
    4,
    'a receiver: its largest field',
  );
  assert.equal(
    caseSize([
      { $: 'set', v: [1, 2] },
      { $: 'map', v: [] },
      { $: 'tuple', v: [1, 2, 3] },
    ]),
    3,
  );
  assert.equal(caseSize([1.5]), null);
  assert.equal(caseSize([{ $: 'opaque', kind: 'size', why: 'too large' }]), null);
  assert.equal(sizeText(200_000), 'n = 200,000');
  assert.equal(sizeText(1_000_000), 'n = 1,000,000');
  assert.equal(sizeText(999), 'n = 999');
});

const generators = {
  node: {
    source: 'function f(xs) { return xs.length }',
    entry: 'f',
    filename: '/tmp/effopt-sizes.js',
    small: 'function generate(rng) { return [[Array.from({ length: 1000 }, () => rng())], [Array.from({ length: 20000 }, () => rng())]] }',
    ints: 'function generate() { return [[30], [12]] }',
  },
  python: {
    source: 'def f(xs):\n    return len(xs)\n',
    entry: 'f',
    filename: '/tmp/effopt-sizes.py',
    small: 'def generate(rng):\n    return [([rng.random() for _ in range(1000)],), ([rng.random() for _ in range(20000)],)]\n',
    ints: 'def generate(rng):\n    return [(30,), (12,)]\n',
  },
} as const;

for (const runtime of ['node', 'python'] as const) {
  test(`${runtime} harness: every generated input set comes with each case's size`, async () => {
    const g = generators[runtime];
    const session = await startSession(runtime);
    try {
      await session.request({ op: 'load', program: 'p', source: g.source, entry: g.entry, filename: g.filename }, 10_000);
      const big = await session.request<GenerateResult>(
        { op: 'generate', program: 'p', set: 'big', code: g.small, seed: 1, previewNodes: 0, timeoutMs: 5000 },
        20_000,
      );
      assert.deepEqual(big.sizes, [1000, 20000]);
      const ints = await session.request<GenerateResult>(
        { op: 'generate', program: 'p', set: 'ints', code: g.ints, seed: 1, previewNodes: 0, timeoutMs: 5000 },
        20_000,
      );
      assert.deepEqual(ints.sizes, [30, 12]);
    } finally {
      await session.close();
    }
  });
}
