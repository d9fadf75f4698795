// The Node harness against a rewrite that games the measurement (protocol 5): measure brackets
// the timed calls with ready/ran and checks the results synchronously, every call reports its
// side effects, lookalike values encode differently, and timed calls cannot be told from checked ones.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallResult, MeasureResult, ProgressKind } from '../../../src/core/exec/sandbox/protocol';
import type { EValue } from '../../../src/core/exec/compare/values';
import { sessionForSuite } from './helpers';

let counter = 0;

describe('Node harness integrity (protocol 5)', () => {
  const s = sessionForSuite('node', { exposeGc: true });

  /** Loads a program and stores one case; returns its key. */
  const load = async (source: string, argsExpr = '[]', entry = 'f'): Promise<string> => {
    const program = `q${counter++}`;
    await s.request({ op: 'load', program, source, entry, filename: '/tmp/effopt-integrity.js' }, 10_000);
    await s.request({ op: 'assertion', program, set: 'a', argsExpr, expectedExpr: 'null', previewNodes: 50, timeoutMs: 2000 }, 10_000);
    return program;
  };
  const call = (program: string): Promise<CallResult> =>
    s.request<CallResult>({ op: 'call', program, input: { set: 'a', index: 0 }, seed: 1, timeoutMs: 2000, capture: true, previewNodes: 50 }, 12_000);
  const measure = async (program: string, iterations = 4, batch = 3, checks = 5): Promise<{ m: MeasureResult; progress: ProgressKind[] }> => {
    const progress: ProgressKind[] = [];
    const m = await s.request<MeasureResult>(
      { op: 'measure', program, input: { set: 'a', index: 0 }, seed: 1, iterations, batch, checks, gc: true },
      30_000,
      undefined,
      (kind) => progress.push(kind),
    );
    return { m, progress };
  };
  const valueOf = async (source: string): Promise<EValue | undefined> => {
    const r = await call(await load(source));
    assert.equal(r.status, 'returned', JSON.stringify(r.error));
    return r.value;
  };

  test('measure: ready then ran, every call checked alike for a deterministic function', async () => {
    const p = await load('function f(xs) { return xs.map((x) => x * 2).reduce((a, b) => a + b, 0) }', '[[1, 2, 3, 4]]');
    const { m, progress } = await measure(p, 4, 3, 5);
    assert.deepEqual(progress, ['ready', 'ran']);
    assert.equal(m.error, undefined);
    assert.equal(m.calls, 12);
    assert.equal(m.iterations, 4);
    assert.equal(m.samples.length, 4);
    assert.equal(m.checked, 5);
    assert.equal(m.digests.length, 1);
    assert.equal(m.digests[0].count, 5);
    assert.equal(m.value, 20);
    assert.deepEqual(m.argsAfter, [[1, 2, 3, 4]]);
    assert.equal(m.awaited, false);
    assert.ok(m.timedSeconds > 0 && m.wallSeconds >= m.timedSeconds);
    assert.deepEqual(m.effects, { files: [], network: [], processes: [], secrets: [], pending: [] });
    // Every call had its own copy: a mutating function sees the pristine input each time.
    const q = await load('function f(xs) { xs.push(xs.length); return xs.length }', '[[0]]');
    const r = (await measure(q, 3, 2, 6)).m;
    assert.equal(r.digests.length, 1);
    assert.equal(r.value, 2);
    assert.deepEqual(r.argsAfter, [[0, 1]]);
  });

  test('copies are capped at ~4 million value nodes (at least one call)', async () => {
    const p = await load('function f(xs) { return xs.length }', '[Array.from({ length: 1_000_000 }, (_, i) => i)]');
    const { m } = await measure(p, 10, 2, 2);
    assert.ok(m.calls <= 4 && m.calls >= 1, `calls ${m.calls}`);
    assert.equal(m.iterations * 2 >= m.calls, true);
    assert.equal(m.digests.length, 1);
  });

  test('a value completed later (microtask) is seen unfinished, unlike its honest twin', async () => {
    const honest = await load('function f(n) { const o = { items: [] }; for (let i = 0; i < n; i++) o.items.push(i); return o }', '[3]');
    const lazy = await load(
      'function f(n) { const o = { items: [] }; queueMicrotask(() => { for (let i = 0; i < n; i++) o.items.push(i) }); return o }',
      '[3]',
    );
    const a = await call(honest);
    const b = await call(lazy);
    assert.notDeepEqual(b.value, a.value);
    const ma = (await measure(honest, 2, 2, 4)).m;
    const mb = (await measure(lazy, 2, 2, 4)).m;
    assert.notDeepEqual(mb.value, ma.value);
    assert.notEqual(mb.digests[0].digest, ma.digests[0].digest);
    // A later timer: also unfinished, and left pending.
    const timer = await load(
      'function f(n) { const o = { items: [] }; setTimeout(() => { for (let i = 0; i < n; i++) o.items.push(i) }, 0); return o }',
      '[3]',
    );
    const c = await call(timer);
    assert.notDeepEqual(c.value, a.value);
    assert.ok(c.effects.pending.includes('timer'), JSON.stringify(c.effects));
    const mc = (await measure(timer, 2, 2, 4)).m;
    assert.ok(mc.effects.pending.includes('timer'), JSON.stringify(mc.effects));
  });

  test('async functions are awaited on the clock and reported as awaited', async () => {
    const p = await load('async function f(x) { await null; return x + 1 }', '[1]');
    const r = await call(p);
    assert.equal(r.awaited, true);
    assert.equal(r.value, 2);
    const { m, progress } = await measure(p, 3, 2, 3);
    assert.deepEqual(progress, ['ready', 'ran']);
    assert.equal(m.awaited, true);
    assert.equal(m.value, 2);
    assert.equal(m.digests.length, 1);
    const thenable = await load('function f(x) { return { then(res) { res(x * 3) } } }', '[2]');
    const t = await call(thenable);
    assert.equal(t.awaited, true);
    assert.equal(t.value, 6);
    const plain = await call(await load('function f(x) { return x }', '[1]'));
    assert.equal(plain.awaited, false);
  });

  test('lookalikes encode differently from the plain value: getters, Proxy, subclasses, boxed, prototypes, extra properties', async () => {
    const plain = await valueOf('function f() { return { total: 6 } }');
    assert.deepEqual(plain, { $: 'object', v: [['total', 6]] });
    const lazy = await valueOf('function f() { let c; return { get total() { return (c ??= 6) } } }');
    const proxy = await valueOf('function f() { return new Proxy({ total: 6 }, {}) }');
    const proto = await valueOf('function f() { return Object.setPrototypeOf({ total: 6 }, { extra() {} }) }');
    for (const v of [lazy, proxy, proto]) assert.notDeepEqual(v, plain);
    const arr = await valueOf('function f() { return [1, 2] }');
    const arrExtra = await valueOf('function f() { const a = [1, 2]; a.sum = 3; return a }');
    const arrSub = await valueOf('function f() { class Stack extends Array {} return Stack.from([1, 2]) }');
    const arrProxy = await valueOf('function f() { return new Proxy([1, 2], {}) }');
    for (const v of [arrExtra, arrSub, arrProxy]) assert.notDeepEqual(v, arr);
    assert.notDeepEqual(arrExtra, arrSub);
    assert.notDeepEqual(await valueOf('function f() { return new Number(1) }'), await valueOf('function f() { return 1 }'));
    assert.notDeepEqual(await valueOf('function f() { class N extends Number {} return new N(1) }'), await valueOf('function f() { return new Number(1) }'));
    assert.notDeepEqual(
      await valueOf('function f() { class M extends Map {} return new M([[1, 2]]) }'),
      await valueOf('function f() { return new Map([[1, 2]]) }'),
    );
    assert.notDeepEqual(
      await valueOf('function f() { const m = new Map([[1, 2]]); m.cache = 1; return m }'),
      await valueOf('function f() { return new Map([[1, 2]]) }'),
    );
    assert.notDeepEqual(await valueOf('function f() { class S extends Set {} return new S([1]) }'), await valueOf('function f() { return new Set([1]) }'));
    assert.notDeepEqual(await valueOf('function f() { class E extends Error {} return new E("x") }'), await valueOf('function f() { return new Error("x") }'));
    assert.notDeepEqual(
      await valueOf('function f() { const e = new Error("x"); e.code = 1; return e }'),
      await valueOf('function f() { return new Error("x") }'),
    );
    assert.notDeepEqual(
      await valueOf('function f() { class P extends Promise {} return { p: P.resolve(1) } }'),
      await valueOf('function f() { return { p: 1 } }'),
    );
    assert.notDeepEqual(await valueOf('function f() { class D extends Date {} return new D(0) }'), await valueOf('function f() { return new Date(0) }'));
    assert.notDeepEqual(await valueOf('function f() { class R extends RegExp {} return new R("a") }'), await valueOf('function f() { return /a/ }'));
    const big = await valueOf('function f() { return Array.from({ length: 1000 }, (_, i) => i) }');
    assert.ok(Array.isArray(big));
    assert.notDeepEqual(await valueOf('function f() { const a = Array.from({ length: 1000 }, (_, i) => i); a.bySku = new Map(); return a }'), big);
    assert.notDeepEqual(
      await valueOf('function f() { const a = Array.from({ length: 1000 }, (_, i) => i); Object.defineProperty(a, "memo", { value: 1 }); return a }'),
      big,
    );
    // State hidden on a value: a symbol key, a non-enumerable property.
    assert.notDeepEqual(await valueOf('function f() { return { total: 6, [Symbol("memo")]: 1 } }'), plain);
    assert.notDeepEqual(await valueOf('function f() { return Object.defineProperty({ total: 6 }, "memo", { value: 1 }) }'), plain);
    const hidden = await call(await load('const K = Symbol("answer"); function f(xs) { xs[K] = 6; return 6 }', '[[1, 2, 3]]'));
    const honest = await call(await load('function f(xs) { return 6 }', '[[1, 2, 3]]'));
    assert.deepEqual(honest.argsAfter, [[1, 2, 3]]);
    assert.notDeepEqual(hidden.argsAfter, honest.argsAfter);
    // Unchanged: plain values keep their tags.
    assert.deepEqual(await valueOf('function f() { return [new Date(0), /a/g, new Map(), new Error("e")] }'), [
      { $: 'date', v: 0 },
      { $: 'regexp', source: 'a', flags: 'g' },
      { $: 'map', v: [] },
      { $: 'error', cls: 'Error', message: 'e' },
    ]);
  });

  test('side effects: files, network, processes, secrets', async () => {
    const fx = async (body: string): Promise<CallResult['effects']> => {
      const p = await load(`function f() { ${body} }`);
      const r = await call(p);
      return r.effects;
    };
    const files = await fx('require("fs").writeFileSync(require("path").join(process.env.HOME, "x.txt"), "hi"); return 1');
    assert.ok(
      files.files.some((f) => /x\.txt$/.test(f)),
      JSON.stringify(files),
    );
    const outside = await fx('try { require("fs").writeFileSync("/etc/effopt-nope.txt", "hi") } catch {} return 1');
    assert.ok(outside.files.includes('/etc/effopt-nope.txt'), JSON.stringify(outside));
    const network = await fx('const s = require("net").connect(9, "127.0.0.1"); s.on("error", () => {}); s.destroy(); return 1');
    assert.ok(network.network.includes('connect 127.0.0.1:9'), JSON.stringify(network));
    const processes = await fx('try { require("child_process").spawn("ls") } catch {} return 1');
    assert.ok(
      processes.processes.some((p) => p.startsWith('spawn ls')),
      JSON.stringify(processes),
    );
    const binding = await fx('try { process.binding("fs") } catch {} return 1');
    assert.ok(binding.processes.includes('binding fs'), JSON.stringify(binding));
    const secrets = await fx('return process.env.OPENAI_API_KEY === undefined');
    assert.deepEqual(secrets.secrets, ['OPENAI_API_KEY']);
    const none = await fx('return process.env.PATH !== undefined');
    assert.deepEqual(none, { files: [], network: [], processes: [], secrets: [], pending: [] });
    // Measure reports them too.
    const m = (await measure(await load('function f() { require("fs").writeFileSync("y.txt", "1"); return process.env.GITHUB_TOKEN ?? 0 }'), 2, 1, 2)).m;
    assert.ok(
      m.effects.files.some((f) => /y\.txt$/.test(f)),
      JSON.stringify(m.effects),
    );
    assert.deepEqual(m.effects.secrets, ['GITHUB_TOKEN']);
    // The protocol channel is not reachable: no forged answer on fd 3, no stolen requests from stdin.
    const forge = await fx(
      'const fs = require("fs"); let w = "ok"; try { fs.writeSync(3, "{}\\n") ; w = "wrote" } catch (e) { w = e.code } return [w, process.stdin.listenerCount("data"), process._getActiveHandles().length]',
    );
    assert.ok(forge.files.includes('fd 3 (protocol channel)'), JSON.stringify(forge));
    const forged = await call(
      await load(
        'function f() { const fs = require("fs"); const r = []; for (const g of [() => fs.writeSync(3, "{}\\n"), () => fs.readSync(0, Buffer.alloc(10)), () => new (require("net").Socket)({ fd: 3 }), () => fs.createWriteStream(null, { fd: 3 })]) { try { g(); r.push("done") } catch (e) { r.push(e.code) } } return [r, process.stdin.listenerCount("data"), process._getActiveHandles().some((h) => h && h._handle && h._handle.fd === 0)] }',
      ),
    );
    assert.deepEqual(forged.value, [['EBADF', 'EBADF', 'EBADF', 'EBADF'], 0, false]);
    // The wrappers cannot be swapped out.
    const swap = await call(
      await load(
        'function f() { const fs = require("fs"); try { fs.writeFileSync = () => {} } catch {} return typeof Object.getOwnPropertyDescriptor(fs, "writeFileSync").writable }',
      ),
    );
    assert.equal(swap.value, 'boolean');
    assert.deepEqual(swap.tampered, []);
  });

  test('the code under test sees the same stack in call and in measure, and no gc', async () => {
    const p = await load(
      'const seen = []; function f() { seen.push(new Error().stack.split("\\n").slice(1).map((l) => l.replace(/:\\d+:\\d+\\)?$/, "")).join("|")); return seen.length > 1 ? seen[0] === seen[seen.length - 1] : seen[0] } f.seen = seen;',
      '[]',
    );
    const r = await call(p);
    assert.equal(r.status, 'returned');
    const first = r.value as string;
    assert.equal(typeof first, 'string');
    const { m } = await measure(p, 2, 2, 4);
    assert.equal(m.value, true, `call stack:\n${first.split('|').join('\n')}`);
    assert.equal(m.digests.length, 1);
    const again = await call(p);
    assert.equal(again.value, true);
    const caller = await load('function f() { return [typeof globalThis.gc, typeof gc, f.caller === null ? "null" : typeof f.caller] }');
    assert.deepEqual((await call(caller)).value, ['undefined', 'undefined', 'null']);
    assert.deepEqual((await measure(caller, 1, 1, 1)).m.value, ['undefined', 'undefined', 'null']);
  });
});
