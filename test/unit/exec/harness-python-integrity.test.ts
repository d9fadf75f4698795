// The Python harness against an optimiser that games the measurement (protocol 5): measure
// brackets the timed calls with ready/ran and checks results by digest, exact types never encode
// like the builtins they subclass, side effects are reported, the code under test sees the same
// frames when verified and when timed, and replacing builtins is reported promptly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallResult, LoadResult, MeasureResult, ProgressKind } from '../../../src/core/exec/sandbox/protocol';
import { sessionForSuite } from './helpers';

let counter = 0;

describe('Python harness integrity (protocol 5)', () => {
  const s = sessionForSuite('python');

  /** Loads `source` (entry f) with `argsExpr` as its only case; returns the program key and load result. */
  const load = async (source: string, argsExpr = '()'): Promise<{ program: string; loaded: LoadResult }> => {
    const program = `q${counter++}`;
    const loaded = await s.request<LoadResult>({ op: 'load', program, source, entry: 'f', filename: `/tmp/effopt-integrity-${program}.py` }, 10_000);
    await s.request({ op: 'assertion', program, set: 'a', argsExpr, expectedExpr: 'None', previewNodes: 50, timeoutMs: 2000 }, 10_000);
    return { program, loaded };
  };
  const call = (program: string, timeoutMs = 2000): Promise<CallResult> =>
    s.request<CallResult>({ op: 'call', program, input: { set: 'a', index: 0 }, seed: 1, timeoutMs, capture: true, previewNodes: 50 }, timeoutMs + 10_000);
  const measure = async (program: string, iterations = 4, batch = 3, checks = 5): Promise<{ r: MeasureResult; progress: ProgressKind[] }> => {
    const progress: ProgressKind[] = [];
    const r = await s.request<MeasureResult>(
      { op: 'measure', program, input: { set: 'a', index: 0 }, seed: 1, iterations, batch, checks, gc: true },
      30_000,
      undefined,
      (kind) => progress.push(kind),
    );
    return { r, progress };
  };
  const run = async (source: string, argsExpr = '()'): Promise<CallResult> => call((await load(source, argsExpr)).program);

  test('measure: ready then ran, one digest for a deterministic function, fresh copies for every call', async () => {
    const { program } = await load('def f(xs):\n    xs.append(len(xs))\n    return sorted(xs)\n', '([3, 1, 2],)');
    const { r, progress } = await measure(program);
    assert.deepEqual(progress, ['ready', 'ran']);
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(r.iterations, 4);
    assert.equal(r.calls, 12);
    assert.equal(r.samples.length, 4);
    assert.ok(r.median > 0 && r.timedSeconds > 0 && r.wallSeconds >= r.timedSeconds && r.checkSeconds >= 0);
    // Every call mutated its own copy: the same answer each time.
    assert.equal(r.digests.length, 1, JSON.stringify(r.digests));
    assert.equal(r.digests[0].count, r.checked);
    assert.equal(r.checked, 5);
    assert.deepEqual(r.value, [1, 2, 3, 3]);
    assert.deepEqual(r.argsAfter, [[3, 1, 2, 3]]);
    assert.equal(r.awaited, false);
    assert.deepEqual(r.effects, { files: [], network: [], processes: [], secrets: [], pending: [] });
  });

  test('measure: a result that changes from call to call gives several digests', async () => {
    const { program } = await load('n = [0]\ndef f():\n    n[0] += 1\n    return n[0]\n');
    const { r } = await measure(program, 3, 2, 6);
    assert.equal(r.checked, 6);
    assert.equal(r.digests.length, 6);
  });

  test('measure: coroutines are awaited on the clock', async () => {
    const { program } = await load('import asyncio\nasync def f(x):\n    await asyncio.sleep(0)\n    return x * 2\n', '(21,)');
    const c = await call(program);
    assert.equal(c.awaited, true);
    assert.equal(c.value, 42);
    const { r } = await measure(program);
    assert.equal(r.awaited, true);
    assert.equal(r.value, 42);
    assert.equal(r.digests.length, 1);
  });

  test('an int subclass (a lazy result) never encodes like the plain int, and its code does not run', async () => {
    const plain = await run('def f():\n    return 5\n');
    const lazy = await run(
      'class Lazy(int):\n    def __repr__(self):\n        raise SystemExit(7)\n    def __eq__(self, o):\n        return True\n    def __int__(self):\n        return 99\n    def __index__(self):\n        return 99\n    __hash__ = int.__hash__\ndef f():\n    return Lazy(5)\n',
    );
    assert.equal(plain.value, 5);
    assert.equal(lazy.status, 'returned', JSON.stringify(lazy.error));
    assert.notDeepEqual(lazy.value, plain.value);
    assert.deepEqual(lazy.value, { $: 'object', cls: 'Lazy', v: [['value', 5]] });
    const { program } = await load('class Lazy(int):\n    pass\ndef f():\n    return Lazy(5)\n');
    const { r } = await measure(program);
    assert.deepEqual(r.value, { $: 'object', cls: 'Lazy', v: [['value', 5]] });
  });

  test('a list subclass differs from the list, read from its real storage', async () => {
    const plain = await run('def f():\n    return [1, 2]\n');
    const sub = await run(
      'class L(list):\n    def __iter__(self):\n        return iter([1, 2])\n    def __len__(self):\n        return 2\ndef f():\n    return L([7])\n',
    );
    assert.deepEqual(plain.value, [1, 2]);
    assert.deepEqual(sub.value, { $: 'object', cls: 'L', v: [['items', [7]]] });
    const str = await run('class S(str):\n    def __str__(self):\n        return "lie"\ndef f():\n    return S("ab")\n');
    assert.deepEqual(str.value, { $: 'object', cls: 'S', v: [['value', 'ab']] });
    const obj = await run(
      'class P:\n    def __getattribute__(self, k):\n        raise SystemExit(3)\ndef f():\n    p = P()\n    object.__setattr__(p, "x", 1)\n    return p\n',
    );
    assert.deepEqual(obj.value, { $: 'object', cls: 'P', v: [['x', 1]] });
  });

  test('a thread still running after the call: effects.pending (and processes)', async () => {
    const r = await run(
      'import threading, time\ndef f():\n    threading.Thread(target=time.sleep, args=(2,), daemon=True, name="busy").start()\n    return 1\n',
    );
    assert.equal(r.status, 'returned', JSON.stringify(r.error));
    assert.deepEqual(r.effects.pending, ['thread busy']);
    assert.deepEqual(r.effects.processes, ['thread']);
    const joined = await run('import threading\ndef f():\n    t = threading.Thread(target=lambda: None)\n    t.start()\n    t.join()\n    return 1\n');
    assert.deepEqual(joined.effects.pending, []);
  });

  test('writing ~/x.txt: effects.files', async () => {
    const r = await run('import os\ndef f():\n    with open(os.path.expanduser("~/x.txt"), "w") as fh:\n        fh.write("hi")\n    return 1\n');
    assert.equal(r.status, 'returned', JSON.stringify(r.error));
    assert.deepEqual(r.effects.files, ['~/x.txt']);
    const { program } = await load('import os\ndef f():\n    os.makedirs(os.path.expanduser("~/d"), exist_ok=True)\n    return 1\n');
    const { r: m } = await measure(program);
    assert.ok(m.effects.files.includes('~/d'), JSON.stringify(m.effects));
  });

  test('connecting to 127.0.0.1:9: effects.network (refused)', async () => {
    const r = await run(
      'import socket\ndef f():\n    s = socket.socket()\n    try:\n        s.connect(("127.0.0.1", 9))\n    except OSError as e:\n        return type(e).__name__\n    finally:\n        s.close()\n    return "connected"\n',
    );
    assert.equal(r.value, 'PermissionError');
    assert.deepEqual(r.effects.network, ['connect 127.0.0.1:9']);
  });

  test("subprocess.run(['ls']): effects.processes (refused)", async () => {
    const r = await run(
      'import subprocess\ndef f():\n    try:\n        subprocess.run(["ls"])\n    except PermissionError:\n        return "refused"\n    return "ran"\n',
    );
    assert.equal(r.value, 'refused');
    assert.deepEqual(r.effects.processes, ['spawn ls']);
  });

  test('reading OPENAI_API_KEY from the environment: effects.secrets', async () => {
    const r = await run('import os\ndef f():\n    return [os.environ.get("OPENAI_API_KEY"), os.getenv("DB_PASSWORD"), os.environ.get("PATH") is not None]\n');
    assert.deepEqual(r.value, [null, null, true]);
    assert.deepEqual(r.effects.secrets, ['OPENAI_API_KEY', 'DB_PASSWORD']);
  });

  test('the code under test sees the same frames in call and measure', async () => {
    const src = [
      'import inspect, sys, traceback',
      'def f():',
      '    names = [(x.function, x.filename, x.lineno) for x in inspect.stack()]',
      '    frames = []',
      '    fr = sys._getframe()',
      '    while fr is not None:',
      '        frames.append((fr.f_code.co_name, fr.f_lineno))',
      '        fr = fr.f_back',
      '    tb = [(x.name, x.lineno) for x in traceback.extract_stack()]',
      '    return [names, frames, tb]',
    ].join('\n');
    const { program } = await load(src);
    const c = await call(program);
    assert.equal(c.status, 'returned', JSON.stringify(c.error));
    const { r } = await measure(program);
    assert.equal(r.digests.length, 1);
    assert.deepEqual(r.value, c.value);
  });

  test("the harness is not in sys.modules['__main__']; rebinding its names through frames is reported and undone", async () => {
    const viaMain = await run(
      'import sys\ndef f():\n    m = sys.modules["__main__"]\n    m._measure = lambda req: None\n    return [getattr(m, "_send", None) is None, getattr(m, "_execute", None) is None]\n',
    );
    assert.deepEqual(viaMain.value, [true, true]);
    assert.ok(viaMain.tampered.includes('__main__._measure'), JSON.stringify(viaMain.tampered));
    const { program } = await load(
      'import sys\ndef f():\n    g = sys._getframe(1).f_globals\n    g["_perf_ns"] = lambda: 0\n    g["_Capture"].write = lambda s, x: 0\n    return 2\n',
    );
    const c = await call(program);
    assert.equal(c.value, 2);
    assert.ok(c.tampered.includes('harness._perf_ns') && c.tampered.includes('harness._Capture.write'), JSON.stringify(c.tampered));
    const { r, progress } = await measure(program);
    assert.deepEqual(progress, ['ready', 'ran']);
    assert.ok(
      r.samples.every((x) => x > 0),
      'the harness clock was restored',
    );
    const stash = await run('import sys, types\ndef f():\n    sys.modules["_box"] = types.ModuleType("_box")\n    return 3\n');
    assert.ok(stash.tampered.includes('+sys.modules._box'), JSON.stringify(stash.tampered));
    const privateBuiltins = await run('import sys\ndef f():\n    sys._getframe(1).f_builtins["len"] = lambda o: 0\n    return [1, 2]\n');
    assert.ok(privateBuiltins.tampered.includes('harness.builtins.len'), JSON.stringify(privateBuiltins.tampered));
    assert.deepEqual(privateBuiltins.value, [1, 2]);
    const next = await run('def f():\n    return 4\n');
    assert.deepEqual(next.tampered, []);
  });

  test('replacing builtins.isinstance (len, type, getattr, ...) is reported promptly as tampering', async () => {
    const started = Date.now();
    const { program } = await load(
      'import builtins\ndef f(xs):\n    builtins.isinstance = lambda *a: True\n    builtins.len = lambda *a: 0\n    builtins.type = lambda *a: int\n    builtins.getattr = None\n    builtins.repr = lambda o: "x"\n    return [xs, (2,), {3: 4}]\n',
      '([1],)',
    );
    const r = await call(program);
    assert.equal(r.status, 'returned', JSON.stringify(r.error));
    for (const name of ['builtins.isinstance', 'builtins.len', 'builtins.type', 'builtins.getattr', 'builtins.repr'])
      assert.ok(r.tampered.includes(name), JSON.stringify(r.tampered));
    assert.deepEqual(r.value, [[1], { $: 'tuple', v: [2] }, { $: 'dict', v: [[3, 4]] }]);
    const { r: m } = await measure(program);
    assert.ok(m.tampered.includes('builtins.isinstance'));
    assert.equal(m.digests.length, 1);
    // At load time, and a raising isinstance: still prompt, and the next program is unaffected.
    const atLoad = await load(
      'import builtins\ndef boom(*a):\n    raise RuntimeError("no")\nbuiltins.isinstance = boom\nbuiltins.sorted = boom\ndef f():\n    return {1: [2]}\n',
    );
    assert.ok(atLoad.loaded.tampered.includes('builtins.isinstance'), JSON.stringify(atLoad.loaded.tampered));
    const again = await call(atLoad.program);
    assert.ok(again.tampered.includes('builtins.isinstance'), 'sticky for the program');
    const clean = await run('def f():\n    return isinstance(1, int)\n');
    assert.equal(clean.value, true);
    assert.deepEqual(clean.tampered, []);
    assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
  });
});
