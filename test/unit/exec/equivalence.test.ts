import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalKey, compareValues, floatsClose, formatDifferences, valuesEqual } from '../../../src/core/exec/compare/equivalence';
import { compareOutcomes } from '../../../src/core/exec/compare/outcomes';
import { renderValue } from '../../../src/core/exec/compare/valueText';
import type { CaseOutcome } from '../../../src/core/exec/types';
import { containsOpaque, type EValue } from '../../../src/core/exec/compare/values';

const returned = (value: EValue, extra: Partial<CaseOutcome> = {}): CaseOutcome => ({
  status: 'returned',
  value,
  argsAfter: [],
  stdout: '',
  stdoutOverflow: false,
  seconds: 0,
  tampered: [],
  ...extra,
});

test('floats: default tolerance rel 1e-9 / abs 1e-12, NaN equals NaN, infinities by sign', () => {
  const o = { relTol: 1e-9, absTol: 1e-12 };
  assert.ok(floatsClose(0.1 + 0.2, 0.3, o));
  assert.ok(floatsClose(1e12, 1e12 + 1e2, o));
  assert.ok(!floatsClose(1e12, 1e12 + 1e4, o));
  assert.ok(floatsClose(0, 1e-13, o));
  assert.ok(!floatsClose(0, 1e-11, o));
  assert.ok(floatsClose(NaN, NaN, o));
  assert.ok(!floatsClose(NaN, 1, o));
  assert.ok(!floatsClose(Infinity, -Infinity, o));
  assert.ok(valuesEqual({ $: 'num', v: 'NaN' }, { $: 'num', v: 'NaN' }));
  assert.ok(!valuesEqual({ $: 'num', v: 'Infinity' }, 1e308));
  assert.ok(valuesEqual(0.30000000000000004, 0.3));
  assert.ok(!valuesEqual(0.31, 0.3));
  // Configurable.
  assert.ok(valuesEqual(1, 1.01, { relTol: 0.05 }));
});

test('types follow the language: -0 == 0 and int 1 == float 1.0 unless strict; 1n !== 1; list vs tuple differ', () => {
  assert.ok(valuesEqual({ $: 'num', v: '-0' }, 0));
  assert.ok(!valuesEqual({ $: 'num', v: '-0' }, 0, { strictTypes: true }));
  assert.ok(valuesEqual({ $: 'float', v: 1 }, 1));
  assert.ok(!valuesEqual({ $: 'float', v: 1 }, 1, { strictTypes: true }));
  assert.ok(!valuesEqual({ $: 'bigint', v: '1' }, 1));
  assert.ok(valuesEqual({ $: 'int', v: '9007199254740993' }, { $: 'int', v: '9007199254740993' }));
  assert.ok(!valuesEqual({ $: 'int', v: '9007199254740993' }, { $: 'int', v: '9007199254740992' }));
  assert.ok(!valuesEqual([1, 2], { $: 'tuple', v: [1, 2] }));
  assert.ok(!valuesEqual(true, 1));
  assert.ok(!valuesEqual(null, { $: 'undefined' }));
  assert.ok(!valuesEqual('1', 1));
});

test('unordered containers ignore order; classes and lengths matter', () => {
  assert.ok(valuesEqual({ $: 'set', v: [1, 2, 3] }, { $: 'set', v: [3, 1, 2] }));
  assert.ok(!valuesEqual({ $: 'set', v: [1, 2] }, { $: 'set', v: [1, 2, 3] }));
  assert.ok(valuesEqual({ $: 'set', v: [1] }, { $: 'set', cls: 'frozenset', v: [1] }));
  assert.ok(
    valuesEqual(
      {
        $: 'dict',
        v: [
          ['a', 1],
          ['b', 2],
        ],
      },
      {
        $: 'dict',
        v: [
          ['b', 2],
          ['a', 1],
        ],
      },
    ),
  );
  assert.ok(valuesEqual({ $: 'dict', v: [['a', 1]] }, { $: 'dict', cls: 'collections.OrderedDict', v: [['a', 1]] }));
  assert.ok(!valuesEqual({ $: 'map', v: [[1, 'x']] }, { $: 'map', v: [[1, 'y']] }));
  assert.ok(
    valuesEqual(
      {
        $: 'object',
        v: [
          ['x', 1],
          ['y', 2],
        ],
      },
      {
        $: 'object',
        v: [
          ['y', 2],
          ['x', 1],
        ],
      },
    ),
  );
  assert.ok(!valuesEqual({ $: 'object', cls: 'Point', v: [['x', 1]] }, { $: 'object', v: [['x', 1]] }));
  assert.ok(!valuesEqual([1, 2, 3], [1, 2]));
  assert.ok(!valuesEqual({ $: 'typed', cls: 'Uint8Array', v: [1] }, { $: 'typed', cls: 'Int8Array', v: [1] }));
  // Dict keys match across int/float like Python's hashing.
  assert.ok(valuesEqual({ $: 'dict', v: [[1, 'a']] }, { $: 'dict', v: [[{ $: 'float', v: 1 }, 'a']] }));
  // Keys that are containers are matched by canonical form regardless of inner order.
  assert.equal(canonicalKey({ $: 'set', v: [2, 1] }), canonicalKey({ $: 'set', v: [1, 2] }));
});

test('opaque values are incomparable, never silently equal', () => {
  const fn: EValue = { $: 'opaque', kind: 'function', why: 'function f' };
  const diffs = compareValues(fn, fn);
  assert.equal(diffs.length, 1);
  assert.equal(diffs[0].kind, 'incomparable');
  assert.ok(containsOpaque([1, { $: 'object', v: [['cb', fn]] }]));
  assert.ok(!valuesEqual([fn], [fn]));
});

test('differences name the path, the expected and the actual value', () => {
  const e: EValue = [1, { $: 'object', v: [['x', [1, 2, 3]]] }];
  const a: EValue = [1, { $: 'object', v: [['x', [1, 2, 4]]] }];
  const diffs = compareValues(e, a, {}, 'js');
  assert.equal(diffs.length, 1);
  assert.equal(diffs[0].path, 'return[1].x[2]');
  assert.equal(diffs[0].expected, '3');
  assert.equal(diffs[0].actual, '4');
  assert.match(formatDifferences(diffs), /return\[1\]\.x\[2\]: value — expected 3 — got 4/);
  const missing = compareValues({ $: 'dict', v: [['k', 1]] }, { $: 'dict', v: [] }, {}, 'py');
  assert.equal(missing[0].kind, 'missing');
  assert.equal(missing[0].path, "return{'k'}");
});

test('rendering in each language flavour', () => {
  assert.equal(renderValue({ $: 'tuple', v: [1, null, true] }, { flavour: 'py' }), '(1, None, True)');
  assert.equal(renderValue({ $: 'tuple', v: [1] }, { flavour: 'py' }), '(1,)');
  assert.equal(renderValue({ $: 'dict', v: [['a', { $: 'float', v: 2 }]] }, { flavour: 'py' }), "{'a': 2.0}");
  assert.equal(renderValue({ $: 'set', v: [] }, { flavour: 'py' }), 'set()');
  assert.equal(renderValue({ $: 'map', v: [['a', 1]] }, { flavour: 'js' }), 'Map(1) {"a" => 1}');
  assert.equal(renderValue({ $: 'object', cls: 'Point', v: [['x', 1]] }, { flavour: 'js' }), 'Point { x: 1 }');
  assert.equal(renderValue([{ $: 'undefined' }, { $: 'num', v: '-0' }, { $: 'bigint', v: '5' }], { flavour: 'js' }), '[undefined, -0, 5n]');
  assert.equal(
    renderValue(
      [
        { $: 'num', v: 'NaN' },
        { $: 'num', v: '-Infinity' },
      ],
      { flavour: 'py' },
    ),
    '[nan, -inf]',
  );
  const long = renderValue(
    Array.from({ length: 100 }, (_, i) => i),
    { flavour: 'js', maxItems: 5 },
  );
  assert.equal(long, '[0, 1, 2, 3, 4, … 95 more]');
});

test('outcomes: exception type, mutation, stdout, tampering', () => {
  const base = returned(1, { argsAfter: [[1, 2]], stdout: 'hi\n' });
  assert.ok(compareOutcomes(base, returned(1, { argsAfter: [[1, 2]], stdout: 'hi\n' })).equal);
  const mutated = compareOutcomes(base, returned(1, { argsAfter: [[2, 1]], stdout: 'hi\n' }));
  assert.ok(!mutated.equal);
  assert.equal(mutated.diffs[0].path, 'args[0][0]');
  assert.ok(compareOutcomes(base, returned(1, { argsAfter: [[2, 1]], stdout: 'hi\n' }), { compareArgs: false }).equal);
  const printed = compareOutcomes(base, returned(1, { argsAfter: [[1, 2]], stdout: 'ho\n' }));
  assert.ok(!printed.equal);
  assert.equal(printed.diffs[0].path, 'stdout');
  assert.ok(compareOutcomes(base, returned(1, { argsAfter: [[1, 2]], stdout: '' }), { compareStdout: false }).equal);
  const threw = (type: string): CaseOutcome => ({
    status: 'threw',
    error: { type, message: 'm' },
    argsAfter: [],
    stdout: '',
    stdoutOverflow: false,
    seconds: 0,
    tampered: [],
  });
  assert.ok(compareOutcomes(threw('TypeError'), threw('TypeError')).equal);
  assert.ok(!compareOutcomes(threw('TypeError'), threw('RangeError')).equal);
  const mixed = compareOutcomes(base, threw('TypeError'), {}, 'js');
  assert.ok(!mixed.equal);
  assert.match(mixed.reason ?? '', /expected it to have returned 1, but it threw TypeError/);
  const tampered = compareOutcomes(base, returned(1, { argsAfter: [[1, 2]], stdout: 'hi\n', tampered: ['JSON.stringify'] }));
  assert.ok(!tampered.equal);
  assert.match(tampered.reason ?? '', /modified builtins: JSON\.stringify/);
  // A callback argument (opaque on both sides) is not a mutation.
  const cb: EValue = { $: 'opaque', kind: 'function', why: 'function cmp' };
  assert.ok(compareOutcomes(returned(1, { argsAfter: [cb] }), returned(1, { argsAfter: [cb] })).equal);
});

// Arbitrary encoded values (JSON-native plus a few tags) for property tests.
const evalue: fc.Arbitrary<EValue> = fc.letrec<{ v: EValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
    fc.string(),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(tie('v'), { maxLength: 4 }).map((v): EValue => ({ $: 'tuple', v })),
    fc.array(fc.tuple(fc.string(), tie('v')), { maxLength: 4 }).map((v): EValue => ({ $: 'object', v: [...new Map(v)] })),
    fc.uniqueArray(fc.integer(), { maxLength: 5 }).map((v): EValue => ({ $: 'set', v })),
  ),
})).v;

test('property: every value equals itself and a copy with reordered unordered parts', () => {
  fc.assert(
    fc.property(evalue, (v) => {
      assert.deepEqual(compareValues(v, structuredClone(v)), []);
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 8 }), (xs) => {
      assert.ok(valuesEqual({ $: 'set', v: xs }, { $: 'set', v: [...xs].reverse() }));
      assert.ok(!valuesEqual({ $: 'set', v: xs }, { $: 'set', v: xs.slice(1) }));
    }),
  );
});

test('integers compare exactly; the tolerance is for floats', () => {
  assert.ok(!valuesEqual(1000000000, 1000000001));
  assert.ok(!valuesEqual({ $: 'int', v: '100000000000000000000' }, { $: 'int', v: '100000000000000000001' }));
  assert.ok(!valuesEqual({ $: 'bigint', v: '9007199254740993' }, { $: 'bigint', v: '9007199254740992' }));
  assert.ok(valuesEqual(0.1 + 0.2, 0.3));
  // A Python float that happens to be integral keeps the tolerance.
  assert.ok(valuesEqual({ $: 'float', v: 1e15 }, { $: 'float', v: 1e15 + 0.125 }));
});

test('property: relative perturbations below the tolerance pass, above fail (floats)', () => {
  fc.assert(
    fc.property(fc.double({ min: 1, max: 1e12, noNaN: true }), fc.constantFrom(-1, 1), (x, sign) => {
      // Integral values compare exactly (previous test): perturb floats only.
      fc.pre(!Number.isInteger(x) && !Number.isInteger(x * (1 + sign * 1e-10)));
      assert.ok(valuesEqual(x, x * (1 + sign * 1e-10)));
      assert.ok(!valuesEqual(x, x * (1 + sign * 1e-6)));
    }),
  );
});

test('invisible and look-alike characters are escaped when values are shown', () => {
  assert.equal(renderValue('a\u00a0b\u2003c d\u200b', { flavour: 'js' }), '"a\\u00a0b\\u2003c d\\u200b"');
  assert.equal(renderValue('x\u{e0001}\r', { flavour: 'py' }), "'x\\U000e0001\\u000d'");
  assert.equal(renderValue('tab\tand é', { flavour: 'py' }), "'tab\\tand é'");
});
