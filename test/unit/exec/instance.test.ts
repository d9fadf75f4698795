// Instance methods through the real harnesses and verify(): argument 0 of every case is the
// instance's state, the receiver is built from it without running the constructor, and its state
// after the call is compared like a mutated argument.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from '../../../src/core/exec/verify/verify';
import type { VerifyRequest, VerifyResult } from '../../../src/core/exec/types';
import type { InputGenerator } from '../../../src/core/testgen/types';
import { leftovers, runOnce, startSession } from './helpers';

const limits = { timeoutMs: 2000, memoryMb: 256 };
const gen = (language: InputGenerator['language'], code: string, level = 0): InputGenerator => ({ level, language, code });

after(async () => {
  assert.deepEqual(await leftovers(), []);
});

function cand(r: VerifyResult, id: string) {
  const c = r.candidates.find((x) => x.id === id);
  assert.ok(c, `no candidate ${id}`);
  return c;
}

// The constructor throws: a receiver built by running it would make every case fail.
const bagJs = `class Bag {
  constructor() { throw new Error('the constructor must not run'); }
  countIn(xs) { let n = 0; for (const x of xs) if (this.items.includes(x)) n++; this.calls = (this.calls || 0) + 1; return n; }
  label() { return this.name + ':' + this.missing; }
}`;

const bagRequest = (candidates: VerifyRequest['candidates']): VerifyRequest => ({
  language: 'javascript',
  original: { moduleText: bagJs, entry: 'Bag.prototype.countIn' },
  candidates,
  tests: {
    generators: [
      gen('javascript', 'function generate(rng) { return [[{ items: [1, 2, 3] }, [2, 3, 4]], [{ items: [], calls: 5 }, [1]], [{ items: [7] }, []]] }'),
    ],
    assertions: [{ id: 'two', argsExpr: '[{ items: [1, 2] }, [1, 2, 9]]', expectedExpr: '2' }],
  },
  limits,
});

test('JavaScript: an instance method runs on a receiver built from its state; a different mutation of this is caught with a readable diff', async () => {
  const r = await verify(
    bagRequest([
      {
        id: 'set',
        moduleText: bagJs.replace(
          /countIn\(xs\) \{[^\n]*\n/,
          'countIn(xs) { const s = new Set(this.items); let n = 0; for (const x of xs) if (s.has(x)) n++; this.calls = (this.calls || 0) + 1; return n; }\n',
        ),
        entry: 'Bag.prototype.countIn',
      },
      {
        id: 'no-count',
        moduleText: bagJs.replace(
          /countIn\(xs\) \{[^\n]*\n/,
          'countIn(xs) { const s = new Set(this.items); let n = 0; for (const x of xs) if (s.has(x)) n++; return n; }\n',
        ),
        entry: 'Bag.prototype.countIn',
      },
      {
        id: 'clears',
        moduleText: bagJs.replace(
          /countIn\(xs\) \{[^\n]*\n/,
          'countIn(xs) { const s = new Set(this.items); this.items = []; let n = 0; for (const x of xs) if (s.has(x)) n++; this.calls = (this.calls || 0) + 1; return n; }\n',
        ),
        entry: 'Bag.prototype.countIn',
      },
    ]),
  );
  assert.equal(r.original.status, 'ok', r.original.loadError);
  assert.equal(r.receiver, 'this');
  assert.ok(
    r.cases.every((c) => c.included),
    JSON.stringify(r.cases.filter((c) => !c.included)),
  );
  assert.equal(r.cases[0].original.status, 'returned');
  assert.equal(r.cases[0].original.value, 2);
  assert.match(r.cases[0].argsText, /^this = Bag \{ items: \[1, 2, 3\] \}; args \(\[2, 3, 4\]\)$/);
  // The receiver's state after the call: calls was set on it.
  assert.deepEqual(r.cases[0].original.argsAfter?.[0], {
    $: 'object',
    cls: 'Bag',
    v: [
      ['items', [1, 2, 3]],
      ['calls', 1],
    ],
  });
  assert.equal(cand(r, 'set').status, 'verified', JSON.stringify(cand(r, 'set').firstFailure));
  assert.deepEqual(r.assertions[0].passes, { original: true, set: true, 'no-count': true, clears: true });

  const noCount = cand(r, 'no-count');
  assert.equal(noCount.status, 'failed');
  assert.equal(noCount.firstFailure?.caseId, 'L0/g0/0');
  assert.match(noCount.firstFailure?.diffText ?? '', /^case L0\/g0\/0: input this = Bag \{ items: \[1, 2, 3\] \}; args \(\[2, 3, 4\]\)\n/);
  assert.match(
    noCount.firstFailure?.diffText ?? '',
    /\n {2}this\.calls: missing — expected 1 — \(the instance's state after the call \(this was changed differently\)\)/,
  );

  const clears = cand(r, 'clears');
  assert.equal(clears.status, 'failed');
  assert.match(clears.firstFailure?.diffText ?? '', /this\.items(\[0\])?: /);
  assert.doesNotMatch(clears.firstFailure?.diffText ?? '', /args\[0\]/);
});

test('JavaScript: a field the state lacks reads as undefined in the original and the candidate alike', async () => {
  const r = await verify({
    language: 'javascript',
    original: { moduleText: bagJs, entry: 'Bag.prototype.label' },
    candidates: [
      {
        id: 'template',
        moduleText: bagJs.replace(/label\(\) \{[^\n]*\n/, 'label() { return `${this.name}:${this.missing}`; }\n'),
        entry: 'Bag.prototype.label',
      },
      {
        id: 'defaulted',
        moduleText: bagJs.replace(/label\(\) \{[^\n]*\n/, 'label() { return `${this.name}:${this.missing ?? "none"}`; }\n'),
        entry: 'Bag.prototype.label',
      },
    ],
    tests: { generators: [gen('javascript', 'function generate(rng) { return [[{ name: "a" }], [{ name: "b", missing: 1 }]] }')] },
    limits,
  });
  assert.equal(r.cases[0].original.value, 'a:undefined');
  assert.equal(cand(r, 'template').status, 'verified', JSON.stringify(cand(r, 'template').firstFailure));
  assert.equal(cand(r, 'defaulted').status, 'failed');
  assert.match(cand(r, 'defaulted').firstFailure?.reason ?? '', /expected "a:undefined", got "a:none"/);
});

test('TypeScript: an instance method with typed fields, parameter properties and a base class', async () => {
  const ts = `abstract class Base { protected scale: number = 1; abstract total(extra: number): number; }
export class Ledger extends Base {
  constructor(private entries: number[], readonly name: string) { super(); throw new Error('not here'); }
  total(extra: number): number { let s = 0; for (let i = 0; i < this.entries.length; i++) s += this.entries[i] * this.scale; return s + extra; }
}`;
  const r = await verify({
    language: 'typescript',
    original: { moduleText: ts, entry: 'Ledger.prototype.total' },
    candidates: [
      {
        id: 'reduce',
        moduleText: ts.replace(
          /total\(extra: number\): number \{[^\n]*\n/,
          'total(extra: number): number { return this.entries.reduce((a: number, x: number) => a + x * this.scale, 0) + extra; }\n',
        ),
        entry: 'Ledger.prototype.total',
      },
    ],
    tests: {
      generators: [
        gen(
          'typescript',
          'function generate(rng: () => number): unknown[][] { return [[{ entries: [1, 2], scale: 2, name: "x" }, 1], [{ entries: [], scale: 1, name: "y" }, 0]] }',
        ),
      ],
    },
    limits,
  });
  assert.equal(r.original.status, 'ok', r.original.loadError);
  assert.equal(r.cases[0].original.value, 7);
  assert.equal(cand(r, 'reduce').status, 'verified', JSON.stringify(cand(r, 'reduce').firstFailure));
});

test('JavaScript: classes whose instances cannot be rebuilt are refused with the reason; a bad state is a generator error', async () => {
  const s = await startSession('node');
  try {
    const load = (source: string, entry: string) =>
      s.request({ op: 'load', program: `p${Math.random()}`, source, entry, filename: '/tmp/effopt-test.js' }, 10_000);
    await assert.rejects(
      load('class Counter { #n = 0; hit() { return ++this.#n; } }', 'Counter.prototype.hit'),
      (e: Error & { type?: string }) => e.type === 'Unsupported' && /Counter has #private members \(#n\).*without running the constructor/.test(e.message),
    );
    // A private member in a base class counts too; "#" in strings and regular expressions does not.
    await assert.rejects(
      load('class A { #secret = 1; peek() { return this.#secret; } }\nclass B extends A { m() { return 1; } }', 'B.prototype.m'),
      /A has #private members/,
    );
    await load('class C { m(s) { return s.replace(/#x/g, "#y") + "#z"; } }', 'C.prototype.m');
    await assert.rejects(
      load('class Registry extends Map { size2() { return this.size * 2; } }', 'Registry.prototype.size2'),
      /extends Map: effopt cannot build such an instance without running its constructor/,
    );
    await assert.rejects(
      load('class G { handle = (x) => x + 1; }', 'G.handle'),
      (e: Error & { type?: string }) =>
        e.type === 'Unsupported' && /G\.handle is a class field holding a function: it exists only on instances made by the constructor/.test(e.message),
    );
    await assert.rejects(load('class H { $run = () => 1; }', 'H.$run'), /H\.\$run is a class field holding a function/);
    await assert.rejects(
      load('class G { other = 1; }', 'G.handle'),
      (e: Error & { type?: string }) => e.type === 'LoadError' && /G\.handle is not a function/.test(e.message),
    );
    await assert.rejects(
      load('class D { m() { return 1; } }', 'D.m'),
      (e: Error & { type?: string }) => e.type === 'Unsupported' && /load it as D\.prototype\.m/.test(e.message),
    );

    const r = await runOnce(s, 'class E { m(x) { return this.k + x; } }', 'E.prototype.m', '[{ k: 2 }, 3]');
    assert.equal(r.value, 5);
    assert.deepEqual(r.argsBefore?.[0], { $: 'object', cls: 'E', v: [['k', 2]] });
    await assert.rejects(
      runOnce(s, 'class E { m(x) { return x; } }', 'E.prototype.m', '[5]'),
      /argsExpr: the first element must be the instance's state \(an object of its fields\) for an instance method, got number/,
    );
    await assert.rejects(runOnce(s, 'class E { m() { return 1; } }', 'E.prototype.m', '[]'), /starts with the instance's state, and this one is empty/);
    // Fields are defined, not assigned: a setter of the class does not run while the receiver is built.
    const set = await runOnce(
      s,
      'class F { set v(x) { throw new Error("setter ran"); } get() { return Object.getOwnPropertyDescriptor(this, "v").value; } }',
      'F.prototype.get',
      '[{ v: 3 }]',
    );
    assert.equal(set.status, 'returned', JSON.stringify(set.error));
    assert.equal(set.value, 3);
  } finally {
    await s.close();
  }
});

const bagPy = `class Bag:
    def __init__(self):
        raise RuntimeError('the constructor must not run')

    def count_in(self, xs):
        n = 0
        for x in xs:
            if x in self.items:
                n += 1
        self.calls = getattr(self, 'calls', 0) + 1
        return n

    def label(self):
        return '%s:%s' % (self.name, self.missing)

    @staticmethod
    def twice(x):
        return 2 * x

    @classmethod
    def make(cls, n):
        return cls.__name__ * n
`;

test('Python: an instance method runs on a receiver built from its state; a different mutation of self is caught; static and class methods still take plain arguments', async () => {
  const r = await verify({
    language: 'python',
    original: { moduleText: bagPy, entry: 'Bag.count_in' },
    candidates: [
      {
        id: 'set',
        moduleText: bagPy.replace(
          '        n = 0\n        for x in xs:\n            if x in self.items:\n                n += 1\n',
          '        s = set(self.items)\n        n = sum(1 for x in xs if x in s)\n',
        ),
        entry: 'Bag.count_in',
      },
      { id: 'no-count', moduleText: bagPy.replace("        self.calls = getattr(self, 'calls', 0) + 1\n", ''), entry: 'Bag.count_in' },
    ],
    tests: {
      generators: [gen('python', 'def generate(rng):\n    return [({"items": [1, 2, 3]}, [2, 3, 4]), ({"items": [], "calls": 5}, [1])]')],
      assertions: [{ id: 'two', argsExpr: '({"items": [1, 2]}, [1, 2, 9])', expectedExpr: '2' }],
    },
    limits,
  });
  assert.equal(r.original.status, 'ok', r.original.loadError);
  assert.equal(r.receiver, 'self');
  assert.equal(r.cases[0].original.value, 2);
  assert.equal(r.cases[0].argsText, 'self = Bag(items=[1, 2, 3]); args ([2, 3, 4])');
  assert.equal(cand(r, 'set').status, 'verified', JSON.stringify(cand(r, 'set').firstFailure));
  assert.deepEqual(r.assertions[0].passes, { original: true, set: true, 'no-count': true });
  const noCount = cand(r, 'no-count');
  assert.equal(noCount.status, 'failed');
  assert.match(
    noCount.firstFailure?.diffText ?? '',
    /\n {2}self\.calls: missing — expected 1 — \(the instance's state after the call \(self was changed differently\)\)/,
  );

  const plain = await verify({
    language: 'python',
    original: { moduleText: bagPy, entry: 'Bag.twice' },
    candidates: [{ id: 'shift', moduleText: bagPy.replace('return 2 * x', 'return x << 1'), entry: 'Bag.twice' }],
    tests: { generators: [gen('python', 'def generate(rng):\n    return [(1,), (5,)]')] },
    limits,
  });
  assert.equal(plain.receiver, undefined);
  assert.equal(cand(plain, 'shift').status, 'verified');
  const cls = await verify({
    language: 'python',
    original: { moduleText: bagPy, entry: 'Bag.make' },
    candidates: [],
    tests: { generators: [gen('python', 'def generate(rng):\n    return [(2,)]')] },
    limits,
  });
  assert.equal(cls.receiver, undefined);
  assert.equal(cls.cases[0].original.value, 'BagBag');
});

test('Python: a field the state lacks raises AttributeError in the original and the candidate alike; __slots__ and bad states', async () => {
  const r = await verify({
    language: 'python',
    original: { moduleText: bagPy, entry: 'Bag.label' },
    candidates: [
      { id: 'format', moduleText: bagPy.replace("return '%s:%s' % (self.name, self.missing)", "return f'{self.name}:{self.missing}'"), entry: 'Bag.label' },
      {
        id: 'defaulted',
        moduleText: bagPy.replace("return '%s:%s' % (self.name, self.missing)", 'return f"{self.name}:{getattr(self, \'missing\', None)}"'),
        entry: 'Bag.label',
      },
    ],
    tests: { generators: [gen('python', 'def generate(rng):\n    return [({"name": "a"},), ({"name": "b", "missing": 1},)]')] },
    limits,
  });
  assert.equal(r.cases[0].original.status, 'threw');
  assert.equal(r.cases[0].original.error?.type, 'AttributeError');
  assert.equal(r.cases[1].original.value, 'b:1');
  assert.equal(cand(r, 'format').status, 'verified', JSON.stringify(cand(r, 'format').firstFailure));
  assert.equal(cand(r, 'defaulted').status, 'failed');
  assert.match(cand(r, 'defaulted').firstFailure?.reason ?? '', /expected it to have threw AttributeError/);

  const s = await startSession('python');
  try {
    const slots =
      'class P:\n    __slots__ = ("x", "y")\n    def __init__(self):\n        raise RuntimeError("no")\n    def norm(self):\n        self.y = 0\n        return self.x * 2\n';
    const ok = await runOnce(s, slots, 'P.norm', '({"x": 3, "y": 4},)');
    assert.equal(ok.value, 6);
    assert.deepEqual(ok.argsAfter?.[0], {
      $: 'object',
      cls: 'P',
      v: [
        ['x', 3],
        ['y', 0],
      ],
    });
    await assert.rejects(runOnce(s, slots, 'P.norm', '({"x": 3, "z": 4},)'), /argsExpr: P has no field 'z' \(it has __slots__ x, y and no __dict__\)/);
    await assert.rejects(
      runOnce(s, slots, 'P.norm', '([3],)'),
      /the first element must be the instance's state \(a dict of its fields\) for an instance method, got list/,
    );
    await assert.rejects(
      runOnce(
        s,
        'import collections\nclass T(collections.namedtuple("T", "a b")):\n    def s(self):\n        return self.a + self.b\n',
        'T.s',
        '({"a": 1, "b": 2},)',
      ),
      /cannot create a T without running its constructor/,
    );
  } finally {
    await s.close();
  }
});
