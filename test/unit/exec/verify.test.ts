// verify(): equivalence of candidates with the original, end to end through real sandboxes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { verify } from '../../../src/core/exec/verify/verify';
import { passMatrix } from '../../../src/core/score/passMatrix';
import { ExecCancelled } from '../../../src/core/exec/sandbox/programs';
import { RuntimeUnavailableError } from '../../../src/core/exec/sandbox/runtimes';
import type { VerifyRequest, VerifyResult } from '../../../src/core/exec/types';
import type { InputGenerator } from '../../../src/core/testgen/types';
import { leftovers } from './helpers';

const limits = { timeoutMs: 2000, memoryMb: 256 };
const jsGen = (level: number, code: string): InputGenerator => ({ level, language: 'javascript', code });
const pyGen = (level: number, code: string): InputGenerator => ({ level, language: 'python', code });

after(async () => {
  assert.deepEqual(await leftovers(), []);
});

function cand(r: VerifyResult, id: string) {
  const c = r.candidates.find((x) => x.id === id);
  assert.ok(c, `no candidate ${id}`);
  return c;
}

const sortJs: Pick<VerifyRequest, 'language' | 'original' | 'tests' | 'limits'> = {
  language: 'javascript',
  original: { moduleText: 'function sorted(xs) { const out = xs.slice(); out.sort((a, b) => a - b); return out }', entry: 'sorted' },
  tests: {
    generators: [
      jsGen(0, 'function generate(rng) { return [[[]], [[1]], [[3, 1, 2]], [[2, 2, -1]]] }'),
      jsGen(1, 'function generate(rng) { return [[Array.from({ length: 200 }, () => Math.floor(rng() * 1000))]] }'),
    ],
    assertions: [
      { id: 'small', argsExpr: '[[2, 1]]', expectedExpr: '[1, 2]' },
      { id: 'believed-wrong', argsExpr: '[[2, 1]]', expectedExpr: '[2, 1]' },
      { id: 'broken', argsExpr: '[[2, 1]', expectedExpr: '[1, 2]' },
    ],
  },
  limits,
};

test('JavaScript: equivalent, wrong, mutating and broken candidates; assertions; the B4 matrix', async () => {
  const r = await verify({
    ...sortJs,
    candidates: [
      { id: 'typed', moduleText: 'function sorted(xs) { return Array.from(Float64Array.from(xs).sort()) }', entry: 'sorted' },
      { id: 'in-place', moduleText: 'function sorted(xs) { xs.sort((a, b) => a - b); return xs }', entry: 'sorted' },
      { id: 'lexical', moduleText: 'function sorted(xs) { return [...xs].sort() }', entry: 'sorted' },
      { id: 'syntax', moduleText: 'function sorted(xs) { return [...xs.sort( }', entry: 'sorted' },
    ],
  });
  assert.equal(r.original.status, 'ok');
  assert.equal(r.cases.length, 5 + 3 - 1, 'four level-0 cases, one level-1 case, two usable assertion inputs');
  assert.ok(
    r.cases.every((c) => c.included),
    JSON.stringify(r.cases.filter((c) => !c.included)),
  );
  assert.equal(cand(r, 'typed').status, 'verified');
  assert.equal(cand(r, 'typed').failed, 0);

  const inPlace = cand(r, 'in-place');
  assert.equal(inPlace.status, 'failed');
  const mutation = inPlace.verdicts.find((v) => v.caseId === 'L0/g0/2');
  assert.equal(mutation?.status, 'fail');
  assert.match(mutation?.diffText ?? '', /args\[0\]\[0\]: value — expected 3 — got 1 — \(argument after the call \(mutation\)\)/);

  const lexical = cand(r, 'lexical');
  assert.equal(lexical.status, 'failed');
  // Small cases happen to sort the same as strings; the 200 random numbers do not.
  assert.equal(lexical.firstFailure?.caseId, 'L1/g1/0');
  assert.match(lexical.firstFailure?.diffText ?? '', /^case L1\/g1\/0: input \(\[\d+, /);
  assert.match(lexical.firstFailure?.diffText ?? '', /\n  return\[\d+\]: value — expected \d+ — got \d+/);

  const syntax = cand(r, 'syntax');
  assert.equal(syntax.status, 'load-error');
  assert.match(syntax.loadError ?? '', /does not compile: SyntaxError/);

  assert.deepEqual(
    r.dropped.map((d) => d.what),
    ['assertion test broken'],
  );
  const small = r.assertions.find((a) => a.id === 'small');
  assert.deepEqual(small?.passes, { original: true, typed: true, 'in-place': true, lexical: true, syntax: null });
  assert.equal(r.assertions.find((a) => a.id === 'believed-wrong')?.passes.original, false);

  const m = passMatrix(r);
  assert.deepEqual(m.rows, ['original', 'typed', 'in-place', 'lexical', 'syntax']);
  assert.equal(m.columns.length, 2 + 7);
  assert.ok(
    m.matrix[0].slice(2).every((x) => x === 1),
    'the original passes every differential column',
  );
  assert.deepEqual(m.matrix[1], [1, 0, 1, 1, 1, 1, 1, 1, 1]);
  assert.ok(m.matrix[4].every((x) => x === 0));
});

test('TypeScript with types and ES imports, npm packages from projectDir, Class.staticMethod, instance methods refused', async () => {
  const projectDir = resolve(__dirname, '../../fixtures/exec/project');
  const r = await verify({
    language: 'typescript',
    original: {
      moduleText:
        'import { add } from "tiny-add";\ninterface P { x: number }\nexport class Geo { static sum(ps: P[]): number { let s = 0; for (const p of ps) s = add(s, p.x); return s } }\n',
      entry: 'Geo.sum',
    },
    candidates: [
      {
        id: 'reduce',
        moduleText: 'export class Geo { static sum(ps: Array<{ x: number }>): number { return ps.reduce((a, p) => a + p.x, 0 as number) } }\n',
        entry: 'Geo.sum',
      },
      { id: 'instance', moduleText: 'export class Geo { sum(ps: any[]): number { return 0 } }\n', entry: 'Geo.sum' },
    ],
    tests: {
      generators: [
        {
          level: 0,
          language: 'typescript',
          code: 'function generate(rng: () => number): Array<[Array<{ x: number }>]> { return [[[{ x: 1 }, { x: 2.5 }]], [[]]] }',
        },
      ],
      assertions: [{ id: 't', argsExpr: '[[{ x: 2 }] as Array<{ x: number }>]', expectedExpr: '2 as number' }],
    },
    limits,
    projectDir,
  });
  assert.equal(r.original.status, 'ok', r.original.loadError);
  assert.ok(r.transpileMs.original >= 0);
  assert.equal(cand(r, 'reduce').status, 'verified');
  assert.equal(cand(r, 'reduce').passed, 3);
  assert.equal(cand(r, 'instance').status, 'unsupported');
  assert.match(cand(r, 'instance').loadError ?? '', /Geo\.sum is an instance method: load it as Geo\.prototype\.sum/);
  assert.deepEqual(r.assertions[0].passes, { original: true, reduce: true, instance: null });
});

test('exception types, stdout and float tolerance decide equivalence', async () => {
  const r = await verify({
    language: 'javascript',
    original: {
      moduleText:
        'function mean(xs) { if (!Array.isArray(xs)) throw new TypeError("not an array"); console.log("n=" + xs.length); let s = 0; for (const x of xs) s += x; return s / xs.length }',
      entry: 'mean',
    },
    candidates: [
      {
        id: 'pairwise',
        moduleText:
          'function mean(xs) { if (!Array.isArray(xs)) throw new TypeError("different message"); console.log("n=" + xs.length); let s = 0; for (let i = xs.length - 1; i >= 0; i--) s += xs[i]; return s / xs.length }',
        entry: 'mean',
      },
      {
        id: 'range-error',
        moduleText:
          'function mean(xs) { if (!Array.isArray(xs)) throw new RangeError("not an array"); console.log("n=" + xs.length); return xs.reduce((a, b) => a + b, 0) / xs.length }',
        entry: 'mean',
      },
      {
        id: 'quiet',
        moduleText: 'function mean(xs) { if (!Array.isArray(xs)) throw new TypeError("x"); return xs.reduce((a, b) => a + b, 0) / xs.length }',
        entry: 'mean',
      },
    ],
    tests: { generators: [jsGen(0, 'function generate(rng) { return [[[0.1, 0.2, 0.3, 1e-3]], ["nope"], [[]]] }')] },
    limits,
  });
  assert.equal(cand(r, 'pairwise').status, 'verified', JSON.stringify(cand(r, 'pairwise').firstFailure));
  const re = cand(r, 'range-error');
  assert.equal(re.failed, 1);
  assert.match(re.firstFailure?.diffText ?? '', /exception: type — expected TypeError — got RangeError/);
  const quiet = cand(r, 'quiet');
  assert.equal(quiet.failed, 2);
  assert.equal(quiet.firstFailure?.diffs?.[0].path, 'stdout');
  const lax = await verify({
    language: 'javascript',
    original: { moduleText: 'function f(x) { console.log(x); return x }', entry: 'f' },
    candidates: [{ id: 'quiet', moduleText: 'function f(x) { return x }', entry: 'f' }],
    tests: { generators: [jsGen(0, 'function generate() { return [[1], [2]] }')] },
    limits,
    equivalence: { compareStdout: false },
    skipDeterminismCheck: true,
  });
  assert.equal(cand(lax, 'quiet').status, 'verified');
});

test('determinism: seeded Math.random passes, process-dependent originals are excluded with a note', async () => {
  const r = await verify({
    language: 'javascript',
    original: {
      moduleText: 'const { randomUUID } = require("node:crypto"); function f(n) { return n === 0 ? randomUUID() : Math.floor(Math.random() * 1000) + n }',
      entry: 'f',
    },
    candidates: [
      {
        id: 'same',
        moduleText: 'const { randomUUID } = require("node:crypto"); function f(n) { return n === 0 ? randomUUID() : Math.floor(Math.random() * 1000) + n }',
        entry: 'f',
      },
    ],
    tests: { generators: [jsGen(0, 'function generate() { return [[0], [1], [2]] }')] },
    limits,
  });
  const c0 = r.cases.find((c) => c.id === 'L0/g0/0');
  assert.equal(c0?.included, false);
  assert.match(c0?.excludedReason ?? '', /not deterministic/);
  assert.ok(r.cases.filter((c) => c.id !== 'L0/g0/0').every((c) => c.included));
  assert.equal(cand(r, 'same').status, 'verified');
  assert.equal(cand(r, 'same').excluded, 1);
  assert.ok(r.notes.some((n) => /1 of 3 cases excluded/.test(n)));
});

test('bad generators are dropped and reported, not fatal; inputs are fingerprinted across processes', async () => {
  const r = await verify({
    language: 'javascript',
    original: { moduleText: 'const SCALE = 2; function f(x) { return x * SCALE }', entry: 'f' },
    candidates: [
      { id: 'ok', moduleText: 'const SCALE = 2; function f(x) { return x + x }', entry: 'f' },
      { id: 'rescaled', moduleText: 'const SCALE = 3; function f(x) { return x * 2 }', entry: 'f' },
    ],
    tests: {
      generators: [
        jsGen(0, 'function generate() { return [[1], [SCALE]] }'),
        jsGen(0, 'function generate() { throw new Error("boom") }'),
        jsGen(0, 'function generate() { for (;;) {} }'),
        jsGen(0, 'function generate() { return 42 }'),
        jsGen(0, 'function generate() { return [[require("node:crypto").randomInt(1e9)]] }'),
        jsGen(0, 'const x = ;'),
      ],
    },
    limits: { timeoutMs: 500, memoryMb: 256 },
  });
  const reasons = r.dropped.map((d) => `${d.what}: ${d.reason}`);
  assert.equal(reasons.length, 5, reasons.join('\n'));
  assert.match(reasons[0], /generator 1 .*threw Error: boom/);
  assert.match(reasons[1], /generator 2 .*did not finish within 500 ms/);
  assert.match(reasons[2], /generator 3 .*must return an array of argument lists, got number/);
  assert.match(reasons[3], /generator 4 .*not deterministic/);
  assert.match(reasons[4], /generator 5 .*(SyntaxError|Unexpected)/);
  assert.equal(cand(r, 'ok').status, 'verified');
  const rescaled = cand(r, 'rescaled');
  assert.equal(rescaled.status, 'failed');
  assert.match(rescaled.firstFailure?.reason ?? '', /fingerprint mismatch/);
});

test('Python: tuples vs lists, sets, mutation, assertions, packages from projectDir', async () => {
  const projectDir = resolve(__dirname, '../../fixtures/exec/project');
  const r = await verify({
    language: 'python',
    original: {
      moduleText:
        'from pyhelpers import add\n\ndef pairs(xs):\n    out = []\n    for i in range(len(xs)):\n        for j in range(i + 1, len(xs)):\n            if add(xs[i], xs[j]) == 0:\n                out.append((xs[i], xs[j]))\n    return out\n',
      entry: 'pairs',
    },
    candidates: [
      {
        id: 'set',
        moduleText:
          'def pairs(xs):\n    seen = {}\n    out = []\n    for j, x in enumerate(xs):\n        for i in seen.get(-x, []):\n            out.append((i, j))\n        seen.setdefault(x, []).append(j)\n    out.sort()\n    return [(xs[i], xs[j]) for i, j in out]\n',
        entry: 'pairs',
      },
      { id: 'lists', moduleText: 'def pairs(xs):\n    return [[a, b] for i, a in enumerate(xs) for b in xs[i + 1:] if a + b == 0]\n', entry: 'pairs' },
      {
        id: 'sorts-input',
        moduleText: 'def pairs(xs):\n    xs.sort()\n    return [(a, b) for i, a in enumerate(xs) for b in xs[i + 1:] if a + b == 0]\n',
        entry: 'pairs',
      },
    ],
    tests: {
      generators: [
        pyGen(0, 'def generate(rng):\n    return [([1, -1, 2, -2],), ([],), ([3, 0, 0],)]\n'),
        pyGen(1, 'def generate(rng):\n    return [([rng.randint(-20, 20) for _ in range(60)],)]\n'),
      ],
      assertions: [{ id: 'a1', argsExpr: '([5, -5],)', expectedExpr: '[(5, -5)]' }],
    },
    limits,
    projectDir,
  });
  assert.equal(r.original.status, 'ok', r.original.loadError);
  assert.equal(cand(r, 'set').status, 'verified', cand(r, 'set').firstFailure?.diffText);
  const lists = cand(r, 'lists');
  assert.equal(lists.status, 'failed');
  assert.match(lists.firstFailure?.diffText ?? '', /expected: returned \[\(1, -1\), \(2, -2\)\]\n  actual:   returned \[\[1, -1\], \[2, -2\]\]/);
  assert.equal(cand(r, 'sorts-input').status, 'failed');
  // Sorting [5, -5] in place first gives [(-5, 5)]: wrong for the assertion too.
  assert.deepEqual(r.assertions[0].passes, { original: true, set: true, lists: false, 'sorts-input': false });
});

test('a missing Python interpreter is a clear error, before any process starts', async () => {
  await assert.rejects(
    verify({
      language: 'python',
      original: { moduleText: 'def f(): pass', entry: 'f' },
      candidates: [],
      tests: { generators: [] },
      limits,
      pythonPath: '/nonexistent/python3.99',
    }),
    (err: Error) =>
      err instanceof RuntimeUnavailableError &&
      /Python interpreter "\/nonexistent\/python3.99" not found: install Python 3.8 or newer, or set effopt.pythonPath/.test(err.message),
  );
});

test('cancellation stops every sandbox and rejects with ExecCancelled', async () => {
  const ac = new AbortController();
  const run = verify({
    language: 'javascript',
    original: { moduleText: 'function f(x) { const end = Date.now() + 0; let i = 0; while (i < 1e12) i++; return end }', entry: 'f' },
    candidates: [{ id: 'c', moduleText: 'function f(x) { for (;;) {} }', entry: 'f' }],
    tests: { generators: [jsGen(0, 'function generate() { return [[1], [2]] }')] },
    limits: { timeoutMs: 20_000, memoryMb: 256 },
    signal: ac.signal,
  });
  setTimeout(() => ac.abort(), 700);
  await assert.rejects(run, ExecCancelled);
  assert.deepEqual(await leftovers(), []);
});
