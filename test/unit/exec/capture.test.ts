// Value capture through the real harnesses: what a function returns (and does to its arguments)
// survives the trip to effopt with its type.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EValue } from '../../../src/core/exec/compare/values';
import { runOnce, sessionForSuite } from './helpers';

const js = (body: string) => `function f() { ${body} }`;

describe('JavaScript values', () => {
  const s = sessionForSuite('node');
  const ret = async (body: string): Promise<EValue | undefined> => {
    const r = await runOnce(s, js(body), 'f', '[]');
    assert.equal(r.status, 'returned', JSON.stringify(r.error));
    return r.value;
  };

  test('primitives: undefined, NaN, ±Infinity, −0, BigInt, symbol', async () => {
    assert.deepEqual(await ret('return [undefined, NaN, Infinity, -Infinity, -0, 0, 2n ** 70n, Symbol("s"), null, "x", true, 1.5]'), [
      { $: 'undefined' },
      { $: 'num', v: 'NaN' },
      { $: 'num', v: 'Infinity' },
      { $: 'num', v: '-Infinity' },
      { $: 'num', v: '-0' },
      0,
      { $: 'bigint', v: '1180591620717411303424' },
      { $: 'symbol', v: 's' },
      null,
      'x',
      true,
      1.5,
    ]);
  });

  test('Map, Set, typed arrays, Buffer, ArrayBuffer, Date, RegExp, Error', async () => {
    assert.deepEqual(
      await ret(
        'return [new Map([[1, "a"]]), new Set([2, 3]), new Float64Array([1.5, NaN]), Buffer.from("hi"), new Uint8Array([1, 2]).buffer, new Date(0), new Date(NaN), /a+b/gi, new TypeError("bad")]',
      ),
      [
        { $: 'map', v: [[1, 'a']] },
        { $: 'set', v: [2, 3] },
        { $: 'typed', cls: 'Float64Array', v: [1.5, { $: 'num', v: 'NaN' }] },
        { $: 'typed', cls: 'Buffer', v: [104, 105] },
        { $: 'bytes', cls: 'ArrayBuffer', v: '0102' },
        { $: 'date', v: 0 },
        { $: 'date', v: null },
        { $: 'regexp', source: 'a+b', flags: 'gi' },
        { $: 'error', cls: 'TypeError', message: 'bad' },
      ],
    );
  });

  test('class instances keep the constructor name and own fields; getters are not run', async () => {
    const v = await ret(
      'class Point { constructor() { this.x = 1; this.y = [2]; } get norm() { throw new Error("ran") } } const o = new Point(); Object.defineProperty(o, "lazy", { get() { throw new Error("ran") }, enumerable: true }); return o',
    );
    assert.deepEqual(v, {
      $: 'object',
      cls: 'Point',
      v: [
        ['x', 1],
        ['y', [2]],
        ['lazy', { $: 'repr', cls: 'accessor', v: '[Getter]' }],
      ],
    });
    assert.deepEqual(await ret('return Object.assign(Object.create(null), { a: 1 })'), { $: 'object', v: [['a', 1]] });
  });

  test('cycles become references up the tree; shared objects are repeated', async () => {
    assert.deepEqual(await ret('const a = [1]; a.push(a); const o = { a }; o.self = o; return o'), {
      $: 'object',
      v: [
        ['a', [1, { $: 'cycle', up: 1 }]],
        ['self', { $: 'cycle', up: 1 }],
      ],
    });
    assert.deepEqual(await ret('const s = { k: 1 }; return [s, s]'), [
      { $: 'object', v: [['k', 1]] },
      { $: 'object', v: [['k', 1]] },
    ]);
  });

  test('sparse arrays keep their holes', async () => {
    assert.deepEqual(await ret('const a = [1]; a[2] = 3; return a'), [1, { $: 'hole' }, 3]);
  });

  test('unserialisable values are reported as such', async () => {
    const v = (await ret('return [() => 1, new Proxy({}, {}), new WeakMap(), Promise.resolve(1)]')) as EValue[];
    assert.deepEqual(
      v.map((x) => (x as { $: string; kind: string }).kind),
      ['function', 'Proxy', 'WeakMap', 'Promise'],
    );
    for (const x of v) assert.equal((x as { $: string }).$, 'opaque');
  });

  test('returned generators are consumed up to the cap; async results are awaited', async () => {
    assert.deepEqual(await ret('return (function* () { yield 1; yield 2; })()'), { $: 'iter', cls: 'Generator', v: [1, 2], more: false });
    const inf = (await ret('return (function* () { let i = 0; for (;;) yield i++; })()')) as { v: number[]; more: boolean };
    assert.equal(inf.v.length, 50);
    assert.equal(inf.more, true);
    const r = await runOnce(s, 'async function f() { await null; return new Set(["a"]) }', 'f', '[]');
    assert.deepEqual(r.value, { $: 'set', v: ['a'] });
  });

  test('arguments after the call show mutation; stdout is captured', async () => {
    const r = await runOnce(
      s,
      'function f(xs, m) { xs.reverse(); m.set("k", 2); console.log("len", xs.length); return xs.length }',
      'f',
      '[[1, 2, 3], new Map([["k", 1]])]',
    );
    assert.equal(r.value, 3);
    assert.deepEqual(r.argsAfter, [[3, 2, 1], { $: 'map', v: [['k', 2]] }]);
    assert.deepEqual(r.argsBefore, [[1, 2, 3], { $: 'map', v: [['k', 1]] }]);
    assert.equal(r.stdout, 'len 3\n');
  });

  test('exceptions carry their type; Math.random is seeded and the clock fixed', async () => {
    const r = await runOnce(s, 'function f() { null.x }', 'f', '[]');
    assert.equal(r.status, 'threw');
    assert.equal(r.error?.type, 'TypeError');
    const a = await runOnce(s, 'function f() { return [Math.random(), Date.now(), new Date().toISOString()] }', 'f', '[]');
    const b = await runOnce(s, 'function f() { return [Math.random(), Date.now(), new Date().toISOString()] }', 'f', '[]');
    assert.deepEqual(a.value, b.value);
    assert.equal((a.value as EValue[])[1], 1704067200000);
    assert.equal((a.value as EValue[])[2], '2024-01-01T00:00:00.000Z');
    const thrownString = await runOnce(s, 'function f() { throw "plain" }', 'f', '[]');
    assert.equal(thrownString.error?.type, 'string');
  });

  test('huge values become opaque ("too large") instead of exhausting memory', async () => {
    const v = (await ret('return Array.from({ length: 300000 }, (_, i) => i)')) as { $: string; kind: string };
    assert.equal(v.$, 'opaque');
    assert.equal(v.kind, 'size');
  });
});

describe('Python values', () => {
  const s = sessionForSuite('python');
  const ret = async (expr: string, prelude = ''): Promise<EValue | undefined> => {
    const r = await runOnce(s, `${prelude}\ndef f():\n    return ${expr}\n`, 'f', '[]');
    assert.equal(r.status, 'returned', JSON.stringify(r.error));
    return r.value;
  };

  test('tuples vs lists, sets, dicts with any keys, bytes', async () => {
    assert.deepEqual(await ret('[(1, 2), [1, 2], {1, 2}, frozenset([3]), {(1, 2): "t", 3: None}, b"\\x00\\xff", bytearray(b"a"), ()]'), [
      { $: 'tuple', v: [1, 2] },
      [1, 2],
      { $: 'set', v: [1, 2] },
      { $: 'set', cls: 'frozenset', v: [3] },
      {
        $: 'dict',
        v: [
          [{ $: 'tuple', v: [1, 2] }, 't'],
          [3, null],
        ],
      },
      { $: 'bytes', v: '00ff' },
      { $: 'bytes', cls: 'bytearray', v: '61' },
      { $: 'tuple', v: [] },
    ]);
  });

  test('floats: nan, inf, -0.0, integral floats apart from ints; big ints; complex', async () => {
    assert.deepEqual(await ret('[float("nan"), float("inf"), -float("inf"), -0.0, 1.0, 1, 2 ** 70, 0.5, 3 + 4j, True]'), [
      { $: 'num', v: 'NaN' },
      { $: 'num', v: 'Infinity' },
      { $: 'num', v: '-Infinity' },
      { $: 'num', v: '-0' },
      { $: 'float', v: 1 },
      1,
      { $: 'int', v: '1180591620717411303424' },
      0.5,
      { $: 'complex', re: { $: 'float', v: 3 }, im: { $: 'float', v: 4 } },
      true,
    ]);
  });

  test('objects via __dict__ and __slots__, namedtuples, dataclasses, enums, Decimal', async () => {
    const prelude = [
      'import collections, dataclasses, enum, decimal',
      'class P:',
      '    def __init__(self): self.x = 1; self.y = [2]',
      'class S:',
      '    __slots__ = ("a",)',
      '    def __init__(self): self.a = 3',
      'NT = collections.namedtuple("NT", "u v")',
      '@dataclasses.dataclass',
      'class D:',
      '    q: int = 4',
      'class Color(enum.Enum):',
      '    RED = 1',
    ].join('\n');
    assert.deepEqual(await ret('[P(), S(), NT(1, 2), D(), Color.RED, decimal.Decimal("1.10")]', prelude), [
      {
        $: 'object',
        cls: 'P',
        v: [
          ['x', 1],
          ['y', [2]],
        ],
      },
      { $: 'object', cls: 'S', v: [['a', 3]] },
      { $: 'tuple', cls: 'NT', v: [1, 2] },
      { $: 'object', cls: 'D', v: [['q', 4]] },
      { $: 'repr', cls: 'Color', v: 'Color.RED' },
      { $: 'repr', cls: 'Decimal', v: "Decimal('1.10')" },
    ]);
  });

  test('generators are consumed up to the cap; cycles; functions are opaque', async () => {
    assert.deepEqual(await ret('(i * i for i in range(3))'), { $: 'iter', cls: 'generator', v: [0, 1, 4], more: false });
    const inf = (await ret('__import__("itertools").count()')) as { v: number[]; more: boolean; cls: string };
    assert.equal(inf.v.length, 50);
    assert.equal(inf.more, true);
    assert.deepEqual(await ret('(lambda a: (a.append(a), a)[1])([1])'), [1, { $: 'cycle', up: 1 }]);
    const fn = (await ret('len')) as { $: string; kind: string };
    assert.equal(fn.$, 'opaque');
  });

  test('mutation, stdout, exception type, seeded random, fixed clock', async () => {
    const r = await runOnce(s, 'def f(xs, d):\n    xs.sort()\n    d["k"] = 2\n    print("n", len(xs))\n    return None\n', 'f', '([3, 1, 2], {"k": 1})');
    assert.deepEqual(r.argsAfter, [[1, 2, 3], { $: 'dict', v: [['k', 2]] }]);
    assert.equal(r.stdout, 'n 3\n');
    const e = await runOnce(s, 'def f():\n    return {}["missing"]\n', 'f', '()');
    assert.equal(e.status, 'threw');
    assert.equal(e.error?.type, 'KeyError');
    const src = 'import random, time, datetime\ndef f():\n    return (random.random(), time.time(), datetime.datetime.now().year)\n';
    const a = await runOnce(s, src, 'f', '()');
    const b = await runOnce(s, src, 'f', '()');
    assert.deepEqual(a.value, b.value);
    assert.deepEqual((a.value as { v: EValue[] }).v.slice(1), [{ $: 'float', v: 1704067200 }, 2024]);
  });
});
