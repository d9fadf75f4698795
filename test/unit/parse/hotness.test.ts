import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractFunctions, type LanguageId } from '../../../src/core/parse';
import { byName, fixture } from './fixtures';

async function hot(source: string, language: LanguageId, name: string): Promise<{ score: number; reasons: string }> {
  const f = byName((await extractFunctions(source, language)).functions, name);
  return { score: f.hotness, reasons: f.hotnessReasons.join('; ') };
}

describe('hotness', () => {
  it('scores a straight-line function 0 with no reasons', async () => {
    assert.deepEqual(await hot('function f(a, b) { return a + b; }', 'javascript', 'f'), { score: 0, reasons: '' });
    assert.deepEqual(await hot('def f(a):\n    return a * 2\n', 'python', 'f'), { score: 0, reasons: '' });
  });

  it('grows with loop nesting depth', async () => {
    const one = await hot('function f(a) { for (const x of a) g(x); }', 'javascript', 'f');
    const two = await hot('function f(a) { for (const x of a) for (const y of a) g(x, y); }', 'javascript', 'f');
    const three = await hot('def f(a):\n    for x in a:\n        for y in a:\n            while x:\n                x -= 1\n', 'python', 'f');
    assert.match(one.reasons, /a loop \(line 1\)/);
    assert.match(two.reasons, /nested loops, depth 2/);
    assert.match(three.reasons, /nested loops, depth 3 \(line 4\)/);
    assert.ok(one.score < two.score && two.score < three.score, `${one.score} < ${two.score} < ${three.score}`);
  });

  it('names linear searches, sorting, copying and O(n) removals inside loops', async () => {
    const js = await hot(
      'function f(a, b) {\n  const out = [];\n  for (const x of a) {\n    if (b.indexOf(x) < 0) out.push(x);\n    const s = [...a].sort();\n    a.shift();\n  }\n  return out;\n}',
      'javascript',
      'f',
    );
    assert.match(js.reasons, /linear search `\.indexOf\(\)` inside a loop .*\(line 4\)/);
    assert.match(js.reasons, /sorting `sort` inside a loop \(line 5\)/);
    assert.match(js.reasons, /copying `\.\.\.a` inside a loop \(line 5\)/);
    assert.match(js.reasons, /`shift` inside a loop/);
    const py = await hot('def f(a, b):\n    for x in a:\n        b.pop(0)\n        c = sorted(b)\n        i = b.index(x)\n', 'python', 'f');
    assert.match(py.reasons, /`b\.pop\(0\)` inside a loop/);
    assert.match(py.reasons, /sorting `sorted` inside a loop/);
    assert.match(py.reasons, /linear search `\.index\(\)` inside a loop/);
  });

  it('names static copies as written, whatever the spacing between receiver and method', async () => {
    const js = await hot(
      'function f(a) { for (const x of a) { const b = Array.from(x); const c = Object.keys(x); const d = Array .from(x); const e = Array?.from(x); const g = this.from(x); const k = Object/*c*/.values(x); const m = Arrays.from(x); } }',
      'javascript',
      'f',
    );
    assert.equal(
      js.reasons,
      'copying `Array.from` inside a loop (line 1); copying `Object.keys` inside a loop (line 1); copying `Array .from` inside a loop (line 1); copying `Array?.from` inside a loop (line 1); copying `Object/*c*/.values` inside a loop (line 1); a loop (line 1); 7 calls inside loops',
    );
  });

  it('flags `in list` inside loops but not set or dict membership', async () => {
    const list = await hot('def f(a):\n    seen = []\n    for x in a:\n        if x in seen:\n            pass\n', 'python', 'f');
    assert.match(list.reasons, /membership test `in seen` inside a loop/);
    const literal = await hot('def f(a):\n    return [x for x in a if x in [1, 2, 3, 5, 8, 13]]\n', 'python', 'f');
    assert.match(literal.reasons, /membership test `in` on a list literal/);
    const few = await hot('def f(a):\n    return [x for x in a if x.kind in (A, B)]\n', 'python', 'f');
    assert.doesNotMatch(few.reasons, /membership/);
    const set = await hot('def f(a):\n    seen = set()\n    for x in a:\n        if x in seen:\n            pass\n', 'python', 'f');
    assert.doesNotMatch(set.reasons, /membership/);
    const typed = await hot('def f(a, seen: set[int]):\n    for x in a:\n        if x in seen:\n            pass\n', 'python', 'f');
    assert.doesNotMatch(typed.reasons, /membership/);
    const outside = await hot('def f(a, b):\n    return a in b\n', 'python', 'f');
    assert.equal(outside.reasons, '');
  });

  it('flags string concatenation in loops, not numeric sums', async () => {
    const src = fixture('shapes.py');
    assert.match((await hot(src, 'python', 'report')).reasons, /string concatenation `text \+=` inside a loop/);
    const numeric = await hot('def f(a):\n    t = 0\n    for x in a:\n        t += x\n    return t\n', 'python', 'f');
    assert.doesNotMatch(numeric.reasons, /concatenation/);
    const js = await hot("function f(rows) { let s = ''; for (const r of rows) { s = s + r; } return s; }", 'javascript', 'f');
    assert.match(js.reasons, /string concatenation `s \+=`/);
  });

  it('flags recursion without memoisation, and not with it', async () => {
    const src = fixture('shapes.py');
    assert.match((await hot(src, 'python', 'slow_fib')).reasons, /recursion with 2 self-calls and no memoisation/);
    assert.equal((await hot(src, 'python', 'fast_fib')).reasons, '');
    const js = fixture('library.js');
    assert.match((await hot(js, 'javascript', 'fib')).reasons, /recursion with 2 self-calls/);
    assert.match((await hot(js, 'javascript', 'utils.fib')).reasons, /recursion with 2 self-calls/);
    const memo = await hot(
      'const memo = new Map();\nfunction f(n) { if (memo.has(n)) return memo.get(n); const v = n < 2 ? n : f(n - 1) + f(n - 2); memo.set(n, v); return v; }',
      'javascript',
      'f',
    );
    assert.equal(memo.reasons, '');
    const method = await hot('class A:\n    def walk(self, node):\n        for c in node.children:\n            self.walk(c)\n', 'python', 'A.walk');
    assert.match(method.reasons, /recursion without memoisation/);
  });

  it("keeps a nested function's loops out of its parent", async () => {
    const src = 'def outer(a):\n    def inner(b):\n        for x in b:\n            for y in b:\n                pass\n    return inner(a)\n';
    assert.equal((await hot(src, 'python', 'outer')).score, 0);
    assert.match((await hot(src, 'python', 'outer.inner')).reasons, /depth 2/);
  });

  it('ranks the quadratic fixture methods above the trivial ones', async () => {
    const { functions } = await extractFunctions(fixture('service.ts'), 'typescript');
    const sorted = [...functions].sort((a, b) => b.hotness - a.hotness);
    assert.equal(sorted[0].qualifiedName, 'Service.sortedPairs');
    assert.equal(byName(functions, 'Util.clamp').hotness, 0);
  });
});
