import { test } from 'node:test';
import assert from 'node:assert/strict';
import { literalGenerator, parseSuppliedTests, SuppliedTestsError } from '../../../src/core/testgen/supplied';

test('inputs per level become one generator per level; expectations become assertions', () => {
  const suite = parseSuppliedTests(JSON.stringify({ inputs: { '1': ['[[1, 2]]'], '0': [[[1, 1]], { args: [[]], expected: [] }] } }), 'javascript');
  assert.deepEqual(
    suite.generators.map((g) => g.level),
    [0, 1],
  );
  assert.match(suite.generators[0].code, /function generate\(rng\) \{\n {2}return \[\n {4}\[\[1,1\]\],\n {4}\[\[\]\],\n {2}\];\n\}/);
  assert.deepEqual(suite.assertions, [{ id: 'L0.1', argsExpr: '[[]]', expectedExpr: '[]' }]);
});

test('Python inputs use Python literals (tuples of arguments, None/True)', () => {
  const suite = parseSuppliedTests(JSON.stringify({ inputs: { '0': [{ args: [null, true, 'é'], expected: false }] } }), 'python');
  assert.match(suite.generators[0].code, /^def generate\(rng\):\n {4}return \[\n {8}\(None, True, "é"\),\n {4}\]\n$/);
  assert.equal(suite.assertions[0].expectedExpr, 'False');
  assert.equal(literalGenerator(['(1,)'], 'python').includes('(1,),'), true);
});

test('bad files give readable errors', () => {
  assert.throws(
    () => parseSuppliedTests('{', 'javascript'),
    (e: unknown) => e instanceof SuppliedTestsError && /not valid JSON/.test((e as Error).message),
  );
  assert.throws(() => parseSuppliedTests('{}', 'javascript'), /no inputs, generators or assertions/);
  assert.throws(() => parseSuppliedTests('{"inputs": {"x": ["[1]"]}}', 'javascript'), /inputs\.x: levels are numbers/);
  assert.throws(() => parseSuppliedTests('{"tests": []}', 'javascript'), /shape/);
});
