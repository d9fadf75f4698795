import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fuzzCases, renderArgsSource, type FuzzLanguage } from '../../../src/core/exec/verify/fuzz';
import type { GenerateResult } from '../../../src/core/exec/sandbox/protocol';
import type { HarnessSession } from '../../../src/core/exec/sandbox/session';
import type { EValue } from '../../../src/core/exec/compare/values';
import { leftovers, startSession } from './helpers';

const ROOT = resolve(__dirname, '../../..');
const ENCODE_TS = join(ROOT, 'src/core/exec/sandbox/harness/encode.ts');
const PY_HARNESS = join(ROOT, 'src/core/exec/sandbox/harness/python_harness.py');

const jsSeeds: EValue[][] = [
  [[3, 1, 2], 'ab c'],
  [[], ''],
  [[{ $: 'num', v: '-0' }, 0.5, { $: 'num', v: 'NaN' }], 'É😀'],
  [
    {
      $: 'object',
      v: [
        ['a', 1],
        ['__proto__', null],
        ['weird key', [true, { $: 'undefined' }]],
      ],
    },
    {
      $: 'map',
      v: [
        ['k', 1],
        [2, 'v'],
      ],
    },
  ],
  [
    { $: 'set', v: [1, 'a', { $: 'num', v: 'NaN' }] },
    { $: 'bigint', v: '123' },
  ],
  [
    { $: 'date', v: 1704067200000 },
    { $: 'typed', cls: 'Uint8Array', v: [1, 2, 3] },
  ],
  [[1, { $: 'hole' }, 3], { $: 'bytes', cls: 'ArrayBuffer', v: '00ff10' }],
  [
    { $: 'regexp', source: 'a+b', flags: 'gi' },
    { $: 'typed', cls: 'Float64Array', v: [1.5, { $: 'num', v: 'Infinity' }] },
  ],
];

const pySeeds: EValue[][] = [
  [[3, 1, 2], 'ab c'],
  [
    { $: 'tuple', v: [1] },
    { $: 'tuple', v: [] },
  ],
  [
    { $: 'tuple', v: [1, 'x', { $: 'float', v: 2 }] },
    { $: 'set', v: [1, 2, 'z'] },
  ],
  [
    {
      $: 'dict',
      v: [
        [{ $: 'tuple', v: [1, 2] }, 'a'],
        [3, null],
        ['s', [true]],
      ],
    },
    { $: 'bytes', v: '00ff' },
  ],
  [
    { $: 'set', cls: 'frozenset', v: [{ $: 'int', v: '123456789012345678901234567890' }] },
    { $: 'set', v: [] },
  ],
  [{ $: 'num', v: 'NaN' }, 2.5, { $: 'num', v: '-0' }],
  [
    { $: 'complex', re: 1.5, im: { $: 'num', v: '-0' } },
    { $: 'date', cls: 'date', v: '2024-01-02' },
    { $: 'bytes', cls: 'bytearray', v: 'ab' },
  ],
  ['e\u0301\u202e\u{1F600}\u0000\'"\\', { $: 'int', v: '-18446744073709551616' }],
];

const key = (args: EValue[]): string => JSON.stringify(args);

test('deterministic for a seed, different for another', () => {
  for (const [lang, seeds] of [
    ['javascript', jsSeeds],
    ['python', pySeeds],
  ] as const) {
    const a = fuzzCases(lang, seeds, { seed: 7 });
    const b = fuzzCases(lang, seeds, { seed: 7 });
    assert.deepEqual(a, b);
    const c = fuzzCases(lang, seeds, { seed: 8 });
    assert.notDeepEqual(a.cases, c.cases);
  }
});

test('new cases only: no seed, no repeats, arity kept, at most max', () => {
  for (const [lang, seeds] of [
    ['javascript', jsSeeds],
    ['python', pySeeds],
  ] as const) {
    for (const max of [5, 48, 500]) {
      const plan = fuzzCases(lang, seeds, { max, seed: 3 });
      assert.ok(plan.cases.length <= max);
      assert.ok(plan.cases.length >= Math.min(max, 40), `${lang} max ${max}: ${plan.cases.length} cases`);
      const seedKeys = new Set(seeds.map(key));
      const arities = new Set(seeds.map((s) => s.length));
      const keys = new Set<string>();
      for (const c of plan.cases) {
        assert.ok(!seedKeys.has(key(c)), `a seed repeated: ${key(c)}`);
        assert.ok(!keys.has(key(c)), `a case repeated: ${key(c)}`);
        keys.add(key(c));
        assert.ok(arities.has(c.length));
      }
    }
  }
});

test('every seed gets its share and each case keeps its own seed arity', () => {
  const seeds: EValue[][] = [[1], ['a', 'b'], [[1, 2], true, null]];
  const plan = fuzzCases('javascript', seeds, { max: 12 });
  const counts = [1, 2, 3].map((n) => plan.cases.filter((c) => c.length === n).length);
  assert.ok(
    counts.every((n) => n >= 3),
    `counts ${counts}`,
  );
  // null is kept as it is
  for (const c of plan.cases) if (c.length === 3) assert.equal(c[2], null);
});

test('small inputs first', () => {
  const seeds: EValue[][] = [[[5, 4, 3, 2, 1, 0, 9, 8], 'a longer string value']];
  const plan = fuzzCases('javascript', seeds, { max: 30 });
  const size = (v: unknown): number => JSON.stringify(v).length;
  const first = plan.cases[0];
  assert.ok(size(first) <= Math.min(...plan.cases.map(size)) + 8, `first case ${key(first)}`);
  // the list shrunk to empty comes before the list doubled
  const order = (pred: (c: EValue[]) => boolean): number => plan.cases.findIndex(pred);
  const empty = order((c) => Array.isArray(c[0]) && c[0].length === 0);
  const doubled = order((c) => Array.isArray(c[0]) && c[0].length === 16);
  if (empty >= 0 && doubled >= 0) assert.ok(empty < doubled);
  assert.ok(empty >= 0, 'the empty list is among the cases');
});

test('type-preserving mutations', () => {
  const js = fuzzCases('javascript', [[7, 2.5, true, 'x', { $: 'bigint', v: '5' }]], { max: 500 });
  const at = (i: number): string[] => js.cases.filter((c) => c.length === 5).map((c) => JSON.stringify(c[i]));
  // integers never become NaN/Infinity/-0; floats may
  assert.ok(!at(0).some((s) => s.includes('NaN') || s.includes('Infinity') || s.includes('-0')));
  assert.ok(at(0).includes(String(2 ** 53 - 1)) && at(0).includes('1000000000000000') && at(0).includes('0') && at(0).includes('-7') && at(0).includes('8'));
  assert.ok(at(1).includes('{"$":"num","v":"NaN"}') && at(1).includes('{"$":"num","v":"-0"}'));
  assert.ok(at(2).includes('false'));
  assert.ok(at(3).includes('""') && at(3).includes('"X"') && at(3).includes('"😀"'));
  assert.ok(at(4).every((s) => s.includes('bigint')));
  const py = fuzzCases('python', [[7, 2.5, { $: 'tuple', v: [1, 2] }]], { max: 500 });
  const pat = (i: number): string[] => py.cases.map((c) => JSON.stringify(c[i]));
  assert.ok(pat(0).includes('{"$":"int","v":"18446744073709551616"}'));
  assert.ok(!pat(0).some((s) => s.includes('NaN') || s.includes('float')));
  assert.ok(
    pat(1).includes('{"$":"float","v":0}') &&
      pat(1).includes('{"$":"num","v":"Infinity"}') &&
      pat(1).includes('{"$":"float","v":1e+300}') &&
      pat(1).includes('3.5'),
  );
  assert.ok(
    py.cases.every((c) => (c[2] as { $: string; v: EValue[] }).$ === 'tuple' && (c[2] as { v: EValue[] }).v.length === 2),
    'tuples keep their length',
  );
});

test('receiver: the instance state is kept as an object/dict of its fields, never dropped', () => {
  const jsSeedsR: EValue[][] = [
    [
      {
        $: 'object',
        cls: 'Bag',
        v: [
          ['items', [1, 2]],
          ['n', 2],
        ],
      },
      3,
    ],
  ];
  const js = fuzzCases('javascript', jsSeedsR, { receiver: true, max: 40 });
  assert.ok(js.cases.length > 10);
  for (const c of js.cases) {
    assert.equal(c.length, 2);
    const s = c[0] as { $: string; cls?: string; v: Array<[string, EValue]> };
    assert.equal(s.$, 'object');
    assert.equal(s.cls, undefined);
    assert.deepEqual(
      s.v.map(([k]) => k),
      ['items', 'n'],
    );
  }
  // the state itself (as a plain object) is not repeated either
  assert.ok(
    !js.cases.some(
      (c) =>
        key(c) ===
        key([
          {
            $: 'object',
            v: [
              ['items', [1, 2]],
              ['n', 2],
            ],
          },
          3,
        ]),
    ),
  );
  assert.match(js.code, /\{"items": \[/);
  const py = fuzzCases(
    'python',
    [
      [{ $: 'object', cls: 'Bag', v: [['items', [1]]] }, 'x'],
      [5, 'not a state'],
    ],
    { receiver: true },
  );
  assert.equal(py.skipped, 1);
  for (const c of py.cases) assert.equal((c[0] as { $: string }).$, 'dict');
  assert.match(py.code, /\{'items': \[/);
});

test('seeds that cannot be rendered are skipped and counted', () => {
  const bad: EValue[][] = [
    [{ $: 'opaque', kind: 'function', why: 'function f' }],
    [[1, { $: 'cycle', up: 1 }]],
    [{ $: 'object', cls: 'Point', v: [['x', 1]] }],
    [{ $: 'symbol', v: 'x' }],
    [{ $: 'repr', cls: 'Decimal', v: "Decimal('1.5')" }],
    [Array.from({ length: 6000 }, (_, i) => i)],
    [{ $: 'tuple', v: [1] }], // a Python tuple has no JS form
  ];
  const js = fuzzCases('javascript', [...bad, [1]], {});
  assert.equal(js.skipped, bad.length);
  assert.ok(js.cases.every((c) => c.length === 1 && typeof c[0] === 'number'));
  const py = fuzzCases('python', [[{ $: 'undefined' }], [{ $: 'dict', cls: 'collections.OrderedDict', v: [] }], [{ $: 'object', cls: 'P', v: [] }], [1]], {});
  assert.equal(py.skipped, 3);
  const none = fuzzCases('python', [], {});
  assert.deepEqual(none.cases, []);
  assert.equal(none.skipped, 0);
});

// ---- round trip through the real runtimes ----

const dir = mkdtempSync(join(tmpdir(), 'effopt-fuzz-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function evaluate(lang: FuzzLanguage, code: string): EValue[][] {
  if (lang === 'python') {
    const file = join(dir, 'gen.py');
    writeFileSync(file, code);
    const script = [
      'import importlib.util, json, random, sys',
      `spec = importlib.util.spec_from_file_location('effopt_harness_copy', ${JSON.stringify(PY_HARNESS)})`,
      'h = importlib.util.module_from_spec(spec)',
      'spec.loader.exec_module(h)',
      'h._trust_stdlib()  # what configure does before any value is encoded',
      'ns = {}',
      "exec(compile(open(sys.argv[1], encoding='utf-8').read(), '<generator>', 'exec'), ns)",
      "cases = ns['generate'](random.Random(1))",
      'sys.stdout.write(json.dumps([h._encode(list(c), 10 ** 6) for c in cases], ensure_ascii=True, allow_nan=False))',
    ].join('\n');
    return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8', timeout: 20_000 })) as EValue[][];
  }
  const file = join(dir, 'gen.js');
  writeFileSync(file, code);
  const runner = join(dir, 'run.mts');
  writeFileSync(
    runner,
    [
      `import { encodeValue } from ${JSON.stringify(ENCODE_TS)};`,
      "import { readFileSync } from 'node:fs';",
      "const code = readFileSync(process.argv[2], 'utf8');",
      "const generate = new Function(code + '\\n;return generate;')();",
      'const cases = generate(() => 0.5);',
      'process.stdout.write(JSON.stringify(cases.map((c) => encodeValue(c, { maxNodes: 1e6 }))));',
    ].join('\n'),
  );
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', runner, file], { encoding: 'utf8', timeout: 20_000, cwd: ROOT })) as EValue[][];
}

/** Python sets have no order of their own: compare their elements sorted. */
function sortSets(v: EValue): EValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(sortSets);
  switch (v.$) {
    case 'set':
      return { ...v, v: v.v.map(sortSets).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
    case 'tuple':
      return { ...v, v: v.v.map(sortSets) };
    case 'dict':
      return { ...v, v: v.v.map(([k, x]): [EValue, EValue] => [sortSets(k), sortSets(x)]) };
    default:
      return v;
  }
}

for (const [lang, seeds] of [
  ['javascript', jsSeeds],
  ['python', pySeeds],
] as const) {
  test(`round trip through ${lang === 'python' ? 'python3' : 'node'}: the code rebuilds exactly the cases`, () => {
    const plan = fuzzCases(lang, seeds, { max: 300, seed: 11 });
    assert.equal(plan.skipped, 0);
    assert.ok(plan.cases.length > 100);
    // the seeds themselves round-trip too (rendering covers every kind they use)
    const all = [...seeds, ...plan.cases];
    const got = evaluate(
      lang,
      plan.code.replace(/return \[\n/, (m) => m + seedLines(lang, seeds)),
    );
    const norm = lang === 'python' ? (xs: EValue[][]) => xs.map((c) => c.map(sortSets)) : (xs: EValue[][]) => xs;
    assert.deepEqual(norm(got), norm(all));
    if (lang === 'python') {
      assert.match(plan.code, /^def generate\(rng\):\n {4}return \[\n/);
      assert.match(plan.code, /float\('nan'\)|-0\.0/);
    } else {
      assert.match(plan.code, /^function generate\(rng\) \{\n {2}return \[\n/);
    }
  });
}

/** The seeds as generator lines (rendered by the module's own renderer). */
const seedLines = (lang: FuzzLanguage, seeds: EValue[][]): string =>
  seeds.map((s) => `${' '.repeat(lang === 'python' ? 8 : 4)}${renderArgsSource(lang, s)},\n`).join('');

// ---- the harnesses' own generate op: the form they expect, receivers built from the state ----

for (const [runtime, lang, seeds] of [
  ['node', 'javascript', jsSeeds],
  ['python', 'python', pySeeds],
] as const) {
  describe(`through the ${runtime} harness`, () => {
    let s: HarnessSession | undefined;
    // A stale build or a harness of another protocol version fails here, with its reason (never a skip).
    before(async () => {
      s = await startSession(runtime);
    });
    after(async () => {
      if (!s) return;
      await s.close();
      assert.deepEqual(await leftovers(), []);
    });
    const py = runtime === 'python';
    const filename = py ? '/tmp/effopt-fuzz-test.py' : '/tmp/effopt-fuzz-test.js';
    const generate = async (program: string, source: string, entry: string, code: string): Promise<GenerateResult> => {
      await s!.request({ op: 'load', program, source, entry, filename }, 10_000);
      return s!.request<GenerateResult>({ op: 'generate', program, set: 'fuzz', code, seed: 1, previewNodes: 100_000, timeoutMs: 5000 }, 15_000);
    };

    test('generate(rng) returns the cases', async () => {
      const plan = fuzzCases(lang, seeds, { seed: 5 });
      assert.equal(plan.cases.length, 48);
      const source = py ? 'def f(*args):\n    return len(args)\n' : 'function f(...args) { return args.length; }\nmodule.exports = { f };\n';
      const r = await generate('plain', source, 'f', plan.code);
      assert.equal(r.count, plan.cases.length);
      const norm = (xs: EValue[][]) => (py ? xs.map((c) => c.map(sortSets)) : xs);
      assert.deepEqual(norm(r.previews), norm(plan.cases));
    });

    test('receiver: the state becomes the instance', async () => {
      const seedsR: EValue[][] = [
        [
          {
            $: 'object',
            cls: 'Bag',
            v: [
              ['items', [1, 2, 3]],
              ['label', 'b'],
            ],
          },
          2,
        ],
      ];
      const plan = fuzzCases(lang, seedsR, { receiver: true, max: 20 });
      const source = py
        ? 'class Bag:\n    def __init__(self):\n        raise RuntimeError("no")\n    def take(self, n):\n        return self.items[:n]\n'
        : 'class Bag { constructor() { throw new Error("no"); } take(n) { return this.items.slice(0, n); } }\nmodule.exports = { Bag };\n';
      const r = await generate('recv', source, py ? 'Bag.take' : 'Bag.prototype.take', plan.code);
      assert.equal(r.count, plan.cases.length);
      const asInstance = (c: EValue[]): EValue[] => {
        const state = c[0] as { v: Array<[EValue, EValue]> };
        return [{ $: 'object', cls: 'Bag', v: state.v.map(([k, x]): [string, EValue] => [k as string, x]) }, ...c.slice(1)];
      };
      assert.deepEqual(r.previews, plan.cases.map(asInstance));
    });
  });
}
