// benchmark(): the shape of the results and how failures are recorded. No timing thresholds are
// asserted here (speed claims are measured by bench/noise.ts); budgets are tiny to stay fast.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { benchmark } from '../../../src/core/exec/benchmark/benchmark';
import { runGrid } from '../../../src/core/score/runGrid';
import { cpuLock } from '../../../src/core/exec/lock';
import { verify } from '../../../src/core/exec/verify/verify';
import type { BenchmarkRequest } from '../../../src/core/exec/types';
import { efficiencyScore } from '../../../src/core/score/efficiency';
import { leftovers } from './helpers';

const quick: Partial<BenchmarkRequest> = { repeats: 3, budgetMsPerLevel: 45, warmupMs: 3, resamples: 200 };
const limits = { timeoutMs: 2000, memoryMb: 256 };

after(async () => {
  assert.deepEqual(await leftovers(), []);
});

const jsGenerators = [
  {
    level: 1,
    language: 'javascript' as const,
    code: 'function generate(rng) { return [[Array.from({ length: 50 }, () => rng())], [Array.from({ length: 80 }, () => rng())]] }',
  },
  { level: 2, language: 'javascript' as const, code: 'function generate(rng) { return [[Array.from({ length: 400 }, () => rng())]] }' },
];

test('JavaScript: per level, per case, per round; HL, worst case, speedups with intervals; TLE, ERR and load errors', async () => {
  const r = await benchmark({
    language: 'javascript',
    original: {
      moduleText: 'function f(xs) { let s = 0; for (let i = 0; i < xs.length; i++) for (let j = 0; j < 4; j++) s += xs[i] * j; return s }',
      entry: 'f',
    },
    candidates: [
      {
        id: 'same',
        moduleText: 'function f(xs) { let s = 0; for (let i = 0; i < xs.length; i++) for (let j = 0; j < 4; j++) s += xs[i] * j; return s }',
        entry: 'f',
      },
      { id: 'hangs-on-big', moduleText: 'function f(xs) { if (xs.length > 100) for (;;) {} let s = 0; for (const x of xs) s += 6 * x; return s }', entry: 'f' },
      { id: 'throws', moduleText: 'function f(xs) { throw new Error("nope") }', entry: 'f' },
      { id: 'broken', moduleText: 'function f(xs) { return', entry: 'f' },
    ],
    generators: jsGenerators,
    limits,
    ...quick,
  });
  assert.deepEqual(r.levels, [1, 2]);
  assert.equal(r.repeats, 3);
  assert.ok(r.cutoffSeconds > 0 && r.cutoffSeconds <= 2);
  assert.ok(r.measureSeconds > 0);
  assert.equal(r.original.status, 'ok');
  assert.deepEqual(
    r.original.levels.map((l) => l.cases.map((c) => c.id)),
    [['L1/g0/0', 'L1/g0/1'], ['L2/g1/0']],
  );
  for (const level of r.original.levels) {
    for (const c of level.cases) {
      assert.equal(c.runs.length, 3);
      assert.ok(c.runs.every((t) => typeof t === 'number' && t > 0));
      assert.ok(c.hl !== null && c.hl > 0);
      assert.ok(c.batch >= 1);
    }
    assert.equal(level.worst, Math.max(...level.cases.map((c) => c.hl as number)));
  }

  // Once a level is timed, each case also gets calls on nearby inputs it has not seen (cold versus warm).
  for (const level of r.original.levels)
    assert.ok(
      level.cases.every((c) => c.nearbySeconds !== undefined && c.nearbySeconds > 0),
      JSON.stringify(level.cases),
    );
  const same = r.candidates.find((c) => c.id === 'same')!;
  assert.equal(same.status, 'ok');
  assert.equal(same.speedups.length, 2);
  for (const s of same.speedups) {
    assert.ok(s.low <= s.estimate && s.estimate <= s.high, JSON.stringify(s));
    assert.equal(s.accepted, s.low > 1.05);
    assert.ok(s.minRule.speedup > 0);
  }
  assert.ok(same.overall && same.overall.low <= same.overall.estimate);
  assert.equal(typeof same.reason, 'string');

  const hangs = r.candidates.find((c) => c.id === 'hangs-on-big')!;
  assert.equal(hangs.status, 'failed');
  assert.equal(hangs.accepted, false);
  assert.equal(hangs.levels.find((l) => l.level === 2)?.failure?.token, 'TLE');
  assert.match(hangs.reason, /^TLE — level 2: case L2\/g1\/0/);
  assert.equal(hangs.levels.find((l) => l.level === 1)?.cases.length, 2, 'level 1 was timed before the TLE');

  const throws = r.candidates.find((c) => c.id === 'throws')!;
  assert.equal(throws.levels[0].failure?.token, 'ERR');
  assert.match(throws.reason, /Error: nope/);

  const broken = r.candidates.find((c) => c.id === 'broken')!;
  assert.equal(broken.status, 'load-error');
  assert.match(broken.reason, /not timed: does not compile/);
  assert.equal(r.restarts, 1, "only the hanging program's own sandbox was killed and restarted");
  for (const c of [same, throws]) assert.equal(c.integrity.failure, undefined, `${c.id}: ${JSON.stringify(c.integrity.failure)}`);
  assert.ok(
    same.integrity.checks.every((k) => k.passed),
    JSON.stringify(same.integrity.checks),
  );
});

test('every timed call gets a fresh copy (a mutating original still times); a rewrite that leaves the arguments differently is caught while timed; fast calls are batched', async () => {
  const r = await benchmark({
    language: 'javascript',
    original: { moduleText: 'function f(xs) { xs.sort((a, b) => a - b); return xs[0] }', entry: 'f' },
    candidates: [{ id: 'min', moduleText: 'function f(xs) { let m = Infinity; for (const x of xs) if (x < m) m = x; return m }', entry: 'f' }],
    generators: [{ level: 1, language: 'javascript', code: 'function generate(rng) { return [[Array.from({ length: 30 }, () => rng())]] }' }],
    limits,
    ...quick,
  });
  const c = r.original.levels[0].cases[0];
  assert.ok(
    c.runs.every((t) => typeof t === 'number'),
    'the sorting original is timed on fresh copies',
  );
  const min = r.candidates.find((x) => x.id === 'min')!;
  assert.equal(min.integrity.failure?.id, 'results', 'the original sorts its argument, this rewrite does not');
  const tiny = await benchmark({
    language: 'javascript',
    original: { moduleText: 'function inc(x) { return x + 1 }', entry: 'inc' },
    candidates: [],
    generators: [{ level: 1, language: 'javascript', code: 'function generate() { return [[1]] }' }],
    limits,
    ...quick,
  });
  assert.ok(tiny.original.levels[0].cases[0].batch > 1, 'a call of a few ns is timed in batches');
});

test('Python: the same shape; a candidate whose module changes the inputs is not timed', async () => {
  const r = await benchmark({
    language: 'python',
    original: { moduleText: 'N = 3\ndef f(xs):\n    return sorted(xs)[:N]\n', entry: 'f' },
    candidates: [
      { id: 'heap', moduleText: 'import heapq\nN = 3\ndef f(xs):\n    return heapq.nsmallest(N, xs)\n', entry: 'f' },
      { id: 'rescaled', moduleText: 'N = 4\ndef f(xs):\n    return sorted(xs)[:3]\n', entry: 'f' },
    ],
    generators: [{ level: 1, language: 'python', code: 'def generate(rng):\n    return [([rng.random() for _ in range(200 * N)],)]\n' }],
    limits,
    ...quick,
  });
  assert.equal(r.original.status, 'ok');
  assert.equal(r.original.levels[0].cases[0].runs.length, 3);
  const heap = r.candidates.find((c) => c.id === 'heap')!;
  assert.equal(heap.status, 'ok');
  assert.equal(heap.speedups.length, 1);
  const rescaled = r.candidates.find((c) => c.id === 'rescaled')!;
  assert.equal(rescaled.status, 'failed');
  assert.match(rescaled.reason, /fingerprint mismatch/);
});

test('the benchmark holds the CPU lock exclusively: verification waits for it', async () => {
  const order: string[] = [];
  const bench = benchmark({
    language: 'javascript',
    original: { moduleText: 'function f(x) { return x }', entry: 'f' },
    candidates: [],
    generators: [{ level: 1, language: 'javascript', code: 'function generate() { return [[1]] }' }],
    limits,
    ...quick,
  }).then(() => order.push('benchmark'));
  await new Promise((r) => setImmediate(r));
  assert.equal(cpuLock.state.exclusive, true);
  const ver = verify({
    language: 'javascript',
    original: { moduleText: 'function f(x) { return x }', entry: 'f' },
    candidates: [],
    tests: { generators: [{ level: 0, language: 'javascript', code: 'function generate() { return [[1]] }' }] },
    limits,
    skipDeterminismCheck: true,
  }).then(() => order.push('verify'));
  await Promise.all([bench, ver]);
  assert.deepEqual(order, ['benchmark', 'verify']);
});

test('ENAMEL run grid from verification + benchmark, accepted by the efficiency scorer', async () => {
  const original = {
    moduleText: 'function f(xs) { let s = 0; for (let i = 0; i < xs.length; i++) for (let j = 0; j < 3; j++) s += xs[i]; return s }',
    entry: 'f',
  };
  const candidates = [
    { id: 'fast', moduleText: 'function f(xs) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return 3 * s }', entry: 'f' },
    { id: 'wrong', moduleText: 'function f(xs) { return xs.length }', entry: 'f' },
  ];
  const generators = [{ level: 0, language: 'javascript' as const, code: 'function generate() { return [[[]], [[1, 2]]] }' }, ...jsGenerators];
  const v = await verify({ language: 'javascript', original, candidates, tests: { generators }, limits, equivalence: { relTol: 1e-6 } });
  const b = await benchmark({ language: 'javascript', original, candidates, generators, limits, ...quick });
  const ref = runGrid('original', 3, v, b);
  assert.equal(ref.length, 3);
  assert.deepEqual(
    ref.map((l) => l.length),
    [2, 2, 1],
  );
  assert.ok(ref.flat(2).every((t) => typeof t === 'number'));
  assert.deepEqual(ref[0], [[0], [0]], 'level 0 is correctness only');
  const fast = runGrid('fast', 3, v, b);
  const wrong = runGrid('wrong', 3, v, b);
  assert.deepEqual(wrong[0], [['WA']]);
  const h = { hardness: [0, 3, 4], alpha: 2, tolerance: 0 };
  const refTimes = ref as number[][][];
  assert.equal(efficiencyScore(refTimes, wrong, h).passed, false);
  const fe = efficiencyScore(refTimes, fast, h);
  assert.equal(fe.passed, true, JSON.stringify({ fe, fast }));
  assert.ok(fe.score > 0);
});
