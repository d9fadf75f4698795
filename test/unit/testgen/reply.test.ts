// Test-material replies → TestSuite: zod-validated entries, salvage of broken JSON, tree-sitter
// syntax checks, reasons for everything dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonObject, repairJson, salvageArray } from '../../../src/core/testgen/json';
import { jsonToExpression, parseTestSuiteReply } from '../../../src/core/testgen/reply';

const JS_GEN = (level: number, n: number): string =>
  `function generate(rng) {\n  const xs = [];\n  for (let i = 0; i < ${n}; i++) xs.push(Math.floor(rng() * 100));\n  return [[xs]];\n}`;

test('a well-formed JavaScript reply becomes generators per level and numbered assertions', async () => {
  const reply = JSON.stringify({
    generators: [0, 1, 2, 3].map((level) => ({ level, code: JS_GEN(level, 10 ** (level + 1)) })),
    assertions: [
      { argsExpr: '[[3, 1, 3, 2]]', expectedExpr: '[3, 1, 2]', note: 'keeps first occurrences' },
      { argsExpr: '[[]]', expectedExpr: '[]' },
      { argsExpr: '[["a", "a"]]', expectedExpr: '["a"]' },
    ],
  });
  const suite = await parseTestSuiteReply(reply, { language: 'javascript', params: ['xs'] });
  assert.deepEqual(suite.dropped, []);
  assert.deepEqual(
    suite.generators.map((g) => [g.level, g.language]),
    [
      [0, 'javascript'],
      [1, 'javascript'],
      [2, 'javascript'],
      [3, 'javascript'],
    ],
  );
  assert.equal(suite.generators[2].code, JS_GEN(2, 1000));
  assert.deepEqual(suite.assertions, [
    { id: 'a1', argsExpr: '[[3, 1, 3, 2]]', expectedExpr: '[3, 1, 2]', note: 'keeps first occurrences' },
    { id: 'a2', argsExpr: '[[]]', expectedExpr: '[]' },
    { id: 'a3', argsExpr: '[["a", "a"]]', expectedExpr: '["a"]' },
  ]);
});

test('JSON inside prose and a fence, with raw newlines in code strings and trailing commas', async () => {
  const reply =
    'Here are the tests:\n```json\n{\n  "generators": [\n    {"level": "0", "code": "function generate(rng) {\n  return [[[1, 1]], [[]]];\n}"},\n  ],\n  "assertions": [\n    {"argsExpr": "[[1, 1]]", "expectedExpr": "[1]",},\n  ],\n}\n```\nLet me know!';
  const suite = await parseTestSuiteReply(reply, { language: 'javascript' });
  assert.deepEqual(suite.dropped, []);
  assert.equal(suite.generators[0].code, 'function generate(rng) {\n  return [[[1, 1]], [[]]];\n}');
  assert.equal(suite.assertions.length, 1);
});

test('a reply cut off by the token limit keeps every complete entry', async () => {
  const full = JSON.stringify(
    { generators: [0, 1, 2].map((l) => ({ level: l, code: JS_GEN(l, 10) })), assertions: [{ argsExpr: '[[1]]', expectedExpr: '[1]' }] },
    null,
    2,
  );
  const cut = full.slice(0, full.indexOf('"level": 2') + 30);
  const suite = await parseTestSuiteReply(cut, { language: 'javascript' });
  assert.deepEqual(
    suite.generators.map((g) => g.level),
    [0, 1],
  );
  assert.deepEqual(suite.dropped, [{ what: 'generator #3', reason: 'cut off: the reply ended inside this entry' }]);
  assert.deepEqual(suite.assertions, []);
});

test('bad entries are dropped one by one with reasons; the good ones stay', async () => {
  const reply = JSON.stringify({
    generators: [
      { level: 0, code: 'function generate(rng) { return [[[1]]]; }' },
      { level: 0, code: 'function generate(rng) { return [[[2]]]; }' },
      { level: 1, code: 'function generate(rng) { return [[[1, 2]] }' },
      { level: 2, code: 'function make(rng) { return []; }' },
      { level: 3, code: 'async function generate(rng) { return []; }' },
      { level: 9, code: 'function generate(rng) { return []; }' },
      { level: -1, code: 'x' },
      { code: 'function generate() {}' },
    ],
    assertions: [
      { argsExpr: '[[1, 2]]', expectedExpr: '[1, 2]' },
      { argsExpr: '[[1,2]]', expectedExpr: '[2, 1]' },
      { argsExpr: '[[1]]' },
      { argsExpr: '[1]); process.exit(0); ([1]', expectedExpr: '1' },
      { argsExpr: 'xs', expectedExpr: '1' },
      { argsExpr: '[[1], 2]', expectedExpr: '1' },
      { argsExpr: '[[3]]', expectedExpr: '[3' },
      'just a string',
    ],
  });
  const suite = await parseTestSuiteReply(reply, { language: 'javascript', params: ['xs'] });
  assert.deepEqual(
    suite.generators.map((g) => g.level),
    [0],
  );
  assert.deepEqual(
    suite.assertions.map((a) => a.argsExpr),
    ['[[1, 2]]'],
  );
  const reasons = suite.dropped.map((d) => `${d.what}: ${d.reason}`);
  const expect = [
    /^generator for level 0: a second generator for level 0/,
    /^generator for level 1: the code does not parse as javascript: line 1/,
    /^generator for level 2: the code defines no top-level function `generate\(rng\)`/,
    /^generator for level 3: `generate` must be a plain function/,
    /^generator for level 9: level 9 is beyond the configured levels 0–3/,
    /^generator #7: not a \{level, code\} entry: level/,
    /^generator #8: not a \{level, code\} entry: level/,
    /^assertion #2 \(\[\[1,2\]\]\): same arguments as a1/,
    /^assertion #3: not an \{argsExpr, expectedExpr\} entry/,
    /^assertion #4 .*: argsExpr is not a single javascript expression/,
    /^assertion #5 \(xs\): argsExpr is not an argument list/,
    /^assertion #6 .*: 2 arguments for a function that takes 1/,
    /^assertion #7 .*: expectedExpr is not a single javascript expression/,
    /^assertion #8: not an \{argsExpr, expectedExpr\} entry/,
  ];
  assert.equal(reasons.length, expect.length, reasons.join('\n'));
  expect.forEach((re, i) => assert.match(reasons[i], re));
});

test('Python: tuples, generators with imports, JSON-valued aliases converted to Python expressions', async () => {
  const reply = JSON.stringify({
    generators: [
      { level: 0, code: 'def generate(rng):\n    return [([],), ([1, 1],)]' },
      { level: 1, code: 'import string\n\ndef generate(rng):\n    return [([rng.randint(0, 9) for _ in range(1000)],)]' },
      { level: 2, code: 'def generate(rng)\n    return []' },
    ],
    assertions: [
      { argsExpr: '([3, 1, 3],)', expectedExpr: '[3, 1]' },
      { argsExpr: '[[5]]', expectedExpr: '[5]' },
      { args: [[null, true]], expected: [null, true] },
      { input: 'abc', output: 'abc' },
      { argsExpr: '([1], 2, 3)', expectedExpr: 'None' },
    ],
  });
  const suite = await parseTestSuiteReply(reply, { language: 'python', params: ['xs', 'key=None'] });
  assert.deepEqual(
    suite.generators.map((g) => g.level),
    [0, 1],
  );
  assert.deepEqual(
    suite.assertions.map((a) => [a.argsExpr, a.expectedExpr]),
    [
      ['([3, 1, 3],)', '[3, 1]'],
      ['[[5]]', '[5]'],
      ['([None, True],)', '[None, True]'],
      ['("abc",)', '"abc"'],
    ],
  );
  assert.match(suite.dropped.map((d) => d.reason).join('\n'), /does not parse as python[\s\S]*3 arguments for a function that takes 1–2/);
  assert.equal(jsonToExpression({ a: [1.5, false] }, 'python'), '{"a": [1.5, False]}');
  assert.equal(jsonToExpression({ a: [1.5, false] }, 'typescript'), '{"a":[1.5,false]}');
});

test('TypeScript generators may carry annotations; rest parameters accept any count', async () => {
  const reply = JSON.stringify({
    generators: [{ level: 0, code: 'function generate(rng: () => number): unknown[][] {\n  return [[1, 2, 3]];\n}' }],
    assertions: [{ argsExpr: '[1, 2, 3, 4]', expectedExpr: '10' }],
  });
  const suite = await parseTestSuiteReply(reply, { language: 'typescript', params: ['...xs: number[]'] });
  assert.deepEqual(suite.dropped, []);
  assert.equal(suite.generators.length, 1);
  assert.equal(suite.assertions.length, 1);
});

test('unusable replies are one dropped entry with the reason, never a throw', async () => {
  assert.deepEqual((await parseTestSuiteReply('I cannot help with that.', { language: 'javascript' })).dropped, [
    { what: 'reply', reason: 'the reply contains no JSON object' },
  ]);
  assert.deepEqual((await parseTestSuiteReply('{"cases": []}', { language: 'javascript' })).dropped, [
    { what: 'reply', reason: 'the JSON object has neither "generators" nor "assertions"' },
  ]);
  const notArray = await parseTestSuiteReply('{"generators": {"level": 0}, "assertions": []}', { language: 'javascript' });
  assert.deepEqual(notArray.dropped, [{ what: 'generators', reason: '"generators" is not an array' }]);
});

test('json helpers: repair leaves string content alone, salvage walks entries', () => {
  assert.equal(repairJson('{"a": "x // not a comment, ]", // comment\n "b": [1, 2,],}'), '{"a": "x // not a comment, ]", \n "b": [1, 2]}');
  const s = salvageArray('{"assertions": [{"a": 1}, {"a": oops}, {"a": "3 ]"}, {"a": 4', 'assertions');
  assert.deepEqual(
    s.entries.map((e) => [e.index, e.value]),
    [
      [0, { a: 1 }],
      [2, { a: '3 ]' }],
    ],
  );
  assert.deepEqual(
    s.broken.map((b) => [b.index, b.reason]),
    [
      [1, 'not valid JSON'],
      [3, 'cut off: the reply ended inside this entry'],
    ],
  );
  const found = findJsonObject('<think>{"generators": "nope"}</think>Answer: {"generators": []}');
  assert.ok(found.ok);
  assert.deepEqual(found.value, { generators: [] });
});

test('an instance method: every argument list starts with the instance state, so it counts as one more argument', async () => {
  const js = JSON.stringify({
    generators: [{ level: 0, code: 'function generate(rng) { return [[{ items: [1] }, 2]]; }' }],
    assertions: [
      { argsExpr: '[{ items: [1, 2] }, 2]', expectedExpr: 'true' },
      { argsExpr: '[2]', expectedExpr: 'false' },
    ],
  });
  const suite = await parseTestSuiteReply(js, { language: 'javascript', params: ['x'], receiver: true });
  assert.deepEqual(
    suite.assertions.map((a) => a.argsExpr),
    ['[{ items: [1, 2] }, 2]'],
  );
  assert.match(suite.dropped[0].reason, /1 argument for a function that takes 2/);
  // Python: `self` is the state itself (the first element), whatever the parameter is called.
  const py = JSON.stringify({
    generators: [{ level: 0, code: 'def generate(rng):\n    return [({"items": [1]}, 2)]' }],
    assertions: [
      { argsExpr: '({"items": [1, 2]}, 2)', expectedExpr: 'True' },
      { argsExpr: '({"items": [1, 2]}, 2, 3)', expectedExpr: 'True' },
    ],
  });
  const pySuite = await parseTestSuiteReply(py, { language: 'python', params: ['me', 'x'], receiver: true });
  assert.deepEqual(
    pySuite.assertions.map((a) => a.argsExpr),
    ['({"items": [1, 2]}, 2)'],
  );
  assert.match(pySuite.dropped[0].reason, /3 arguments for a function that takes 2/);
});
