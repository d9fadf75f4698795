// Property getters (issue 13) through the whole pipeline in evaluate mode, real parser and real
// sandboxes: a getter is a method without arguments, read on an instance (`cart.uniqueCount`,
// `cart.unique_count`), so it is discovered as optimizable, run by property access semantics with
// the instance built from the first input element, verified, timed and proposed in place; a
// rewrite that turns it into a plain method is refused (callers read it as a property).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../../src/core/config';
import { liveSandboxPids } from '../../../src/core/exec';
import { optimize } from '../../../src/core/pipeline';
import { extractFunctions } from '../../../src/core/parse';
import { parseSuppliedTests } from '../../../src/core/testgen/supplied';

const FAST = { repeats: 4, budgetMsPerLevel: 150, warmupMs: 20 };

const CART_JS = `class Cart {
  constructor(items) {
    this.items = items;
  }

  get uniqueCount() {
    const seen = [];
    for (const x of this.items) if (!seen.includes(x)) seen.push(x);
    return seen.length;
  }

  set uniqueCount(v) {
    throw new Error('read-only');
  }

  static get kinds() {
    const out = [];
    for (const k of ['a', 'b', 'a']) if (!out.includes(k)) out.push(k);
    return out.length;
  }
}

module.exports = { Cart };
`;

const CART_PY = `class Cart:
    def __init__(self, items):
        self.items = items

    @property
    def unique_count(self):
        seen = []
        for x in self.items:
            if x not in seen:
                seen.append(x)
        return len(seen)

    @unique_count.setter
    def unique_count(self, v):
        raise AttributeError("read-only")
`;

test('discovery: getters are optimizable (setters still are not)', async () => {
  const js = (await extractFunctions(CART_JS, 'javascript')).functions;
  const get = js.find((f) => f.qualifiedName === 'Cart.uniqueCount' && f.kind === 'getter')!;
  assert.equal(get.optimizable, true, get.reason);
  assert.equal(get.reason, undefined);
  assert.equal(get.className, 'Cart');
  assert.equal(js.find((f) => f.kind === 'setter')?.optimizable, false);
  const py = (await extractFunctions(CART_PY, 'python')).functions;
  const prop = py.find((f) => f.kind === 'getter')!;
  assert.equal(prop.qualifiedName, 'Cart.unique_count');
  assert.equal(prop.optimizable, true);
  assert.equal(py.find((f) => f.kind === 'setter')?.optimizable, false);
});

test('a JavaScript getter is verified on instances built from the state, timed, and replaced in its class', async () => {
  const tests = parseSuppliedTests(
    JSON.stringify({
      inputs: {
        '0': [[{ items: [1, 1, 2] }], [{ items: [] }], { args: [{ items: ['a', 'b', 'a'] }], expected: 2 }],
        '1': ['[{ items: Array.from({ length: 3000 }, (_, i) => i % 900) }]'],
      },
    }),
    'javascript',
  );
  const report = await optimize({
    filePath: '/tmp/effopt-test/cart.js',
    source: CART_JS,
    functionName: 'Cart.uniqueCount',
    settings: resolveSettings({ levels: [0, 1] }),
    tests,
    candidates: [
      { id: 'set', code: 'get uniqueCount() {\n  return new Set(this.items).size;\n}' },
      { id: 'wrong', code: 'get uniqueCount() {\n  return this.items.length;\n}' },
      { id: 'method', code: 'uniqueCount() {\n  return new Set(this.items).size;\n}' },
    ],
    bench: FAST,
  });
  assert.equal(report.function.kind, 'getter');
  assert.equal(report.status, 'improved', report.summary);
  assert.equal(report.winner?.id, 'set');
  const by = (id: string) => report.candidates.find((c) => c.id === id)!;
  assert.equal(by('wrong').status, 'wrong');
  assert.equal(by('method').status, 'rejected');
  assert.match(by('method').reason, /is a property getter and must stay one/);
  const newText = report.proposal!.newText;
  assert.match(newText, /get uniqueCount\(\) \{\n {4}return new Set\(this\.items\)\.size;\n {2}\}/);
  assert.ok(newText.includes('set uniqueCount(v)') && newText.includes('static get kinds()'), 'the rest of the class is kept');
  // The proposed file still reads it as a property.
  const dir = mkdtempSync(join(tmpdir(), 'effopt-getter-'));
  try {
    writeFileSync(join(dir, 'cart.js'), newText);
    assert.equal(
      execFileSync(
        process.execPath,
        ['-e', `const { Cart } = require(${JSON.stringify(join(dir, 'cart.js'))}); console.log(new Cart([3, 3, 4]).uniqueCount)`],
        { encoding: 'utf8' },
      ).trim(),
      '2',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(liveSandboxPids(), []);
});

test('a static JavaScript getter runs with the class as `this`', async () => {
  const tests = parseSuppliedTests(JSON.stringify({ inputs: { '0': [[]], '1': ['[]'] } }), 'javascript');
  const report = await optimize({
    filePath: '/tmp/effopt-test/cart.js',
    source: CART_JS,
    functionName: 'Cart.kinds',
    settings: resolveSettings({ levels: [0, 1] }),
    tests,
    candidates: [{ id: 'set', code: "static get kinds() {\n  return new Set(['a', 'b', 'a']).size;\n}" }],
    bench: FAST,
  });
  assert.equal(report.candidates[0].verification?.status, 'verified', report.candidates[0].reason);
});

test('a Python @property is verified on instances built from the state and keeps its decorator', async () => {
  const tests = parseSuppliedTests(
    JSON.stringify({
      inputs: {
        '0': [[{ items: [1, 1, 2] }], [{ items: [] }], { args: [{ items: ['a', 'b', 'a'] }], expected: 2 }],
        '1': ['({"items": [i % 900 for i in range(3000)]},)'],
      },
    }),
    'python',
  );
  const report = await optimize({
    filePath: '/tmp/effopt-test/cart.py',
    source: CART_PY,
    functionName: 'Cart.unique_count',
    settings: resolveSettings({ levels: [0, 1] }),
    tests,
    candidates: [
      { id: 'set', code: '@property\ndef unique_count(self):\n    return len(set(self.items))' },
      { id: 'plain', code: 'def unique_count(self):\n    return len(set(self.items))' },
    ],
    bench: FAST,
  });
  assert.equal(report.function.kind, 'getter');
  assert.equal(report.status, 'improved', report.summary);
  assert.equal(report.winner?.id, 'set');
  const plain = report.candidates.find((c) => c.id === 'plain')!;
  assert.equal(plain.status, 'rejected');
  assert.match(plain.reason, /keep its `@property` decorator/);
  const newText = report.proposal!.newText;
  assert.match(newText, / {4}@property\n {4}def unique_count\(self\):\n {8}return len\(set\(self\.items\)\)\n/);
  assert.ok(newText.includes('@unique_count.setter'), 'the setter is kept');
  assert.equal(execFileSync('python3', ['-c', `${newText}\nprint(Cart([3, 3, 4]).unique_count)`], { encoding: 'utf8' }).trim(), '2');
});
