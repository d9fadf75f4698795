// Hostile code: each attack is contained, reported as a failing case with its reason, the parent
// (this test process) is unaffected, the other programs still verify, and no process is left
// behind (checked in the process table).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { verify } from '../../../src/core/exec/verify/verify';
import { sandboxCapabilities } from '../../../src/core/exec/sandbox/sandbox';
import type { CaseVerdict, VerifyRequest, VerifyResult } from '../../../src/core/exec/types';
import type { LanguageId } from '../../../src/core/languages/types';
import { leftovers, processesMarked } from './helpers';

const caps = sandboxCapabilities();
const marker = `effoptbomb${process.pid % 10000}`;

const ORIGINAL: Record<'javascript' | 'python', string> = {
  javascript: 'function f(x) { return x * 2 }',
  python: 'def f(x):\n    return x * 2\n',
};
const GOOD: Record<'javascript' | 'python', string> = {
  javascript: 'function f(x) { return x + x }',
  python: 'def f(x):\n    return x + x\n',
};
const GENERATOR: Record<'javascript' | 'python', string> = {
  javascript: 'function generate() { return [[1], [2]] }',
  python: 'def generate(rng):\n    return [(1,), (2,)]\n',
};

interface HostileRun {
  result: VerifyResult;
  first: CaseVerdict;
  all: CaseVerdict[];
}

async function hostile(language: 'javascript' | 'python', source: string, extra: Partial<VerifyRequest> = {}): Promise<HostileRun> {
  const result = await verify({
    language: language as LanguageId,
    original: { moduleText: ORIGINAL[language], entry: 'f' },
    candidates: [
      { id: 'hostile', moduleText: source, entry: 'f' },
      { id: 'good', moduleText: GOOD[language], entry: 'f' },
    ],
    tests: { generators: [{ level: 0, language: language as LanguageId, code: GENERATOR[language] }] },
    limits: { timeoutMs: 1000, memoryMb: 192 },
    skipDeterminismCheck: true,
    ...extra,
  });
  assert.equal(result.original.status, 'ok', 'the original still verifies');
  const good = result.candidates.find((c) => c.id === 'good');
  assert.equal(good?.status, 'verified', 'an honest candidate next to the hostile one still verifies');
  const h = result.candidates.find((c) => c.id === 'hostile');
  assert.ok(h);
  const first = h.verdicts[0];
  return { result, first, all: h.verdicts };
}

function assertFails(run: HostileRun, pattern: RegExp): void {
  const h = run.result.candidates.find((c) => c.id === 'hostile');
  assert.ok(h && (h.status === 'failed' || h.status === 'load-error'), `hostile candidate should fail, got ${h?.status}`);
  const text = `${h.loadError ?? ''} ${run.first.reason ?? ''} ${run.first.diffText ?? ''} ${JSON.stringify(run.first.outcome.error ?? '')} ${run.first.outcome.detail ?? ''}`;
  assert.match(text, pattern);
}

after(async () => {
  assert.deepEqual(await leftovers(marker), []);
});

test('infinite loops: stopped by the per-call limit (soft), or by killing the sandbox when the code resists', async () => {
  const fast = { limits: { timeoutMs: 500, memoryMb: 192 } };
  assertFails(await hostile('javascript', 'function f(x) { for (;;) {} }', fast), /timed out/);
  // Async: microtasks starve the harness's own timer, so only the hard limit (kill) stops it.
  const asyncLoop = await hostile('javascript', 'async function f(x) { for (;;) await null }', fast);
  assertFails(asyncLoop, /timed out/);
  assert.ok(asyncLoop.result.candidates.find((c) => c.id === 'hostile')!.restarts >= 1, 'the sandbox was killed and restarted');
  assertFails(await hostile('python', 'def f(x):\n    while True:\n        pass\n', fast), /timed out/);
  // Swallows the harness's timer exception: the sandbox is killed.
  assertFails(
    await hostile(
      'python',
      'def f(x):\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n',
      fast,
    ),
    /timed out/,
  );
  assert.deepEqual(await leftovers(), []);
});

test('infinite recursion: a stack overflow exception, reported as such', async () => {
  assertFails(await hostile('javascript', 'function f(x) { return f(x + 1) + 1 }'), /RangeError: Maximum call stack size exceeded/);
  assertFails(await hostile('python', 'def f(x):\n    return f(x + 1) + 1\n'), /RecursionError/);
});

test('allocating 50 GB: stopped by the memory cap', async () => {
  assertFails(
    await hostile(
      'javascript',
      'function f(x) { const keep = []; for (let i = 0; i < 50 * 1024; i++) keep.push(new Uint8Array(1 << 20).fill(1)); return keep.length }',
    ),
    /memory/i,
  );
  const heap = await hostile('javascript', 'function f(x) { const keep = []; for (;;) keep.push({ i: keep.length, s: "x" + keep.length }) }', {
    limits: { timeoutMs: 20_000, memoryMb: 96 },
  });
  assertFails(heap, /ran out of memory/);
  assertFails(await hostile('python', 'def f(x):\n    return len(bytearray(50 * 1024 ** 3))\n'), /MemoryError|memory/);
  assertFails(await hostile('python', 'def f(x):\n    keep = []\n    while True:\n        keep.append([0] * 10 ** 6)\n'), /MemoryError|memory/);
  assert.deepEqual(await leftovers(), []);
});

test('fork bombs: process creation refused; a bounded ctypes fork bomb is killed with the sandbox', async () => {
  assertFails(
    await hostile('javascript', 'function f(x) { require("child_process").execSync("sleep 100"); return x * 2 }'),
    /ERR_ACCESS_DENIED|Access to this API has been restricted/,
  );
  assertFails(await hostile('python', 'import os\ndef f(x):\n    os.fork()\n    return x * 2\n'), /PermissionError: effopt sandbox: os\.fork is not allowed/);
  assertFails(await hostile('python', 'import subprocess\ndef f(x):\n    subprocess.run(["sleep", "100"])\n    return x * 2\n'), /PermissionError/);
  // ctypes gets past the audit hook (it is a guard rail, not the boundary): at most 50 children
  // that sleep forever under a recognisable name; the sandbox must take them all down.
  const bomb = [
    'import ctypes',
    'def f(x):',
    '    libc = ctypes.CDLL(None)',
    '    n = 0',
    '    for _ in range(25):',
    '        pid = libc.fork()',
    '        if pid == 0:',
    `            libc.prctl(15, b"${marker}", 0, 0, 0)`,
    '            while True:',
    '                libc.sleep(100)',
    '        n += 1',
    '    return n',
  ].join('\n');
  const run = await hostile('python', bomb);
  assertFails(run, /expected 2, got 25|expected 4, got 25/);
  assert.deepEqual(await leftovers(marker), []);
  // Without namespaces (other platforms, locked-down Linux): the process-group kill must do it.
  const fallback = await hostile('python', bomb, { noNamespaces: true });
  assertFails(fallback, /got 25/);
  assert.deepEqual(await leftovers(marker), []);
  assert.equal(processesMarked(marker).length, 0);
});

test('process.exit / sys.exit / os._exit: reported as exits, the remaining cases still run', async () => {
  const js = await hostile('javascript', 'function f(x) { process.exit(3) }');
  assertFails(js, /exited with code 3/);
  assert.equal(js.all.length, 2);
  assert.ok(js.all.every((v) => v.status === 'fail'));
  assertFails(await hostile('javascript', 'function f(x) { process.reallyExit(4) }'), /exited with code 4/);
  assertFails(await hostile('python', 'import sys\ndef f(x):\n    sys.exit(3)\n'), /exited with code 3/);
  const hard = await hostile('python', 'import os\ndef f(x):\n    os._exit(5)\n');
  assertFails(hard, /exited with code 5/);
  assert.equal(hard.all.length, 2, 'the second case ran in a fresh sandbox');
  assert.equal(hard.all[1].status, 'fail');
});

test('writing into $HOME: refused; the sandbox HOME is a throw-away directory', async () => {
  const target = join(homedir(), `effopt-hostile-${process.pid}.txt`);
  rmSync(target, { force: true });
  try {
    assertFails(
      await hostile('javascript', `function f(x) { require("fs").writeFileSync(${JSON.stringify(target)}, "pwned"); return x * 2 }`),
      /ERR_ACCESS_DENIED|EROFS|Access to this API/,
    );
    assert.ok(!existsSync(target));
    assertFails(
      await hostile('python', `def f(x):\n    open(${JSON.stringify(target)}, "w").write("pwned")\n    return x * 2\n`),
      /PermissionError|Read-only file system/,
    );
    assert.ok(!existsSync(target));
    assertFails(
      await hostile('python', `def f(x):\n    open(${JSON.stringify(target)}, "w").write("pwned")\n    return x * 2\n`, { noNamespaces: true }),
      /PermissionError/,
    );
    assert.ok(!existsSync(target));
    // The HOME the code sees is the sandbox's work dir: writable, and gone afterwards.
    const run = await hostile(
      'python',
      'import os\ndef f(x):\n    p = os.path.join(os.path.expanduser("~"), "scratch.txt")\n    open(p, "w").write("ok")\n    return os.path.expanduser("~")\n',
    );
    const home = run.first.outcome.value;
    assert.equal(typeof home, 'string');
    assert.notEqual(home, homedir());
    assert.ok(!existsSync(home as string), 'the work dir was removed');
  } finally {
    rmSync(target, { force: true });
  }
});

test('reading secrets from the environment: none reach the sandbox, nor through /proc', async () => {
  const saved = { ...process.env };
  process.env.OPENAI_API_KEY = 'sk-hostile-openai-secret';
  process.env.EFFOPT_API_KEY = 'sk-hostile-effopt-secret';
  process.env.MY_SERVICE_TOKEN = 'hostile-token-secret';
  process.env.DB_PASSWORD = 'hostile-password-secret';
  try {
    const js = await hostile('javascript', 'function f(x) { return JSON.stringify(process.env) }');
    const jsEnv = JSON.stringify(js.first.outcome.value);
    assert.ok(!/-secret/.test(jsEnv), jsEnv);
    assert.match(jsEnv, /HOME/);
    const py = await hostile('python', 'import os\ndef f(x):\n    return dict(os.environ)\n');
    assert.ok(!/-secret/.test(JSON.stringify(py.first.outcome.value)));
    // The parent's environment through /proc: not visible (PID namespace / permission model / policy).
    const proc = await hostile('javascript', `function f(x) { return require("fs").readFileSync("/proc/${process.pid}/environ", "utf8") }`);
    assert.ok(!/-secret/.test(JSON.stringify(proc.first.outcome)));
    assertFails(proc, /ERR_ACCESS_DENIED|ENOENT|Access to this API/);
    const procPy = await hostile('python', `def f(x):\n    return open("/proc/${process.pid}/environ").read()\n`, { noNamespaces: true });
    assert.ok(!/-secret/.test(JSON.stringify(procPy.first.outcome)));
    assertFails(procPy, /PermissionError/);
  } finally {
    for (const k of ['OPENAI_API_KEY', 'EFFOPT_API_KEY', 'MY_SERVICE_TOKEN', 'DB_PASSWORD']) delete process.env[k];
    Object.assign(process.env, saved);
  }
});

test('connecting to a socket on 127.0.0.1: no connection reaches the listener', async () => {
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const js = `async function f(x) { const net = require("net"); return await new Promise((resolve) => { const s = net.connect(${port}, "127.0.0.1", () => { s.end(); resolve("connected") }); s.on("error", (e) => resolve(e.code)); }) }`;
    const py = `import socket\ndef f(x):\n    socket.create_connection(("127.0.0.1", ${port}), timeout=0.5).close()\n    return "connected"\n`;
    if (caps.network === 'isolated') {
      const run = await hostile('javascript', js);
      assert.notEqual(run.first.outcome.value, 'connected');
      assertFails(run, /ENETUNREACH|ECONNREFUSED/);
    } else {
      // Documented in SANDBOX.md: Node 20's permission model does not cover the network.
      assert.equal(caps.network, 'open');
    }
    assertFails(await hostile('python', py), /PermissionError|unreachable|refused/i);
    assertFails(await hostile('python', py, { noNamespaces: true }), /PermissionError: effopt sandbox: network access is not allowed/);
    assert.equal(connections, 0);
  } finally {
    server.close();
  }
});

test('100 MB of stdout: stopped at the capture limit, or the sandbox is killed at the raw output cap', async () => {
  assertFails(
    await hostile('javascript', 'function f(x) { process.stdout.write("x".repeat(100 * 1024 * 1024)); return x * 2 }'),
    /printed more than the stdout limit|output limit/,
  );
  // Straight to fd 1: the pipe is non-blocking in Node, so the write fails (EAGAIN) or the sandbox is killed at the cap.
  assertFails(
    await hostile('javascript', 'function f(x) { const b = "x".repeat(1 << 20); for (let i = 0; i < 100; i++) require("fs").writeSync(1, b); return x * 2 }'),
    /output limit|EAGAIN/,
  );
  assertFails(await hostile('python', 'def f(x):\n    print("x" * (100 * 1024 * 1024))\n    return x * 2\n'), /stdout limit|output limit/);
  assertFails(
    await hostile('python', 'import os\ndef f(x):\n    b = b"x" * (1 << 20)\n    for _ in range(100):\n        os.write(1, b)\n    return x * 2\n'),
    /output limit/,
  );
});

test('monkey-patching globals to fool the comparison: detected, and captured values stay true', async () => {
  // Wrong answer, plus patches that would make a naive in-process comparison or serialiser lie.
  const js = await hostile(
    'javascript',
    [
      'function f(x) {',
      '  JSON.stringify = () => "4";',
      '  Array.prototype.map = function () { return [] };',
      '  Object.prototype.toJSON = function () { return 4 };',
      '  Object.is = () => true;',
      '  return [x * 3];',
      '}',
    ].join('\n'),
  );
  assertFails(js, /modified builtins: JSON\.stringify, .*Array\.prototype\.map|modified builtins/);
  assert.deepEqual(js.first.outcome.value, [3], 'the harness captured the true value despite the patches');
  const atLoad = await hostile('javascript', 'Array.prototype.includes = () => true;\nfunction f(x) { return x * 2 }');
  assertFails(atLoad, /modified builtins: Array\.prototype\.includes/);
  const py = await hostile(
    'python',
    'import builtins, json\ndef f(x):\n    builtins.len = lambda o: 0\n    json.dumps = lambda *a, **k: "4"\n    return x * 3\n',
  );
  assertFails(py, /modified builtins: builtins\.len, json\.dumps|modified builtins/);
  assert.equal(py.first.outcome.value, 3);
});
