// The sandbox's plumbing: environment, transpiling, the process and its work dir, the protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { isSecretName, sandboxEnv } from '../../../src/core/exec/sandbox/env';
import { hasModuleSyntax, transpileForRuntime, TranspileError } from '../../../src/core/exec/sandbox/transpile';
import { sandboxCapabilities } from '../../../src/core/exec/sandbox/sandbox';
import { SandboxDied } from '../../../src/core/exec/sandbox/session';
import type { CallResult } from '../../../src/core/exec/sandbox/protocol';
import { leftovers, runOnce, startSession } from './helpers';

test('the environment keeps PATH and locale, drops anything that looks like a secret, pins determinism', () => {
  const env = sandboxEnv(
    {
      PATH: '/usr/bin',
      LANG: 'en_US.UTF-8',
      OPENAI_API_KEY: 'sk-1',
      OPENAI_BASE_URL: 'http://x',
      EFFOPT_MODEL: 'm',
      GITHUB_TOKEN: 'g',
      AWS_SECRET_ACCESS_KEY: 'a',
      DB_PASSWORD: 'p',
      NODE_OPTIONS: '--require /evil.js',
      PYTHONSTARTUP: '/evil.py',
      PYTHONPATH: '/proj/lib',
      HOME: '/root',
      RANDOM_THING: 'x',
    },
    { workDir: '/tmp/w', extra: { MY_API_KEY: 'k', FOO: 'bar' } },
  );
  assert.equal(env.PATH, '/usr/bin');
  assert.equal(env.LANG, 'en_US.UTF-8');
  assert.equal(env.PYTHONPATH, '/proj/lib');
  assert.equal(env.HOME, '/tmp/w');
  assert.equal(env.TMPDIR, '/tmp/w');
  assert.equal(env.PYTHONHASHSEED, '0');
  assert.equal(env.TZ, 'UTC');
  assert.equal(env.FOO, 'bar');
  for (const gone of [
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'EFFOPT_MODEL',
    'GITHUB_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'DB_PASSWORD',
    'NODE_OPTIONS',
    'PYTHONSTARTUP',
    'RANDOM_THING',
    'MY_API_KEY',
  ]) {
    assert.equal(env[gone], undefined, gone);
  }
  assert.ok(isSecretName('my_private_key') && isSecretName('SESSION_COOKIE') && !isSecretName('PATH'));
});

test('TypeScript/TSX transpile without type checking; scripts without import/export stay as they are', () => {
  const ts = transpileForRuntime(
    'typescript',
    'import { x } from "y";\ntype T = { a: number };\nexport function f(a: T, b?: number): number { return a.a + (b ?? x) }\nenum E { A }\n',
  );
  assert.doesNotMatch(ts.code, /: number|type T/);
  assert.match(ts.code, /require\('y'\)/);
  assert.match(ts.code, /exports\.f = f/);
  assert.ok(ts.ms >= 0 && ts.ms < 5000);
  const tsx = transpileForRuntime('tsx', 'export const C = (p: { n: number }) => <div>{p.n}</div>;');
  assert.match(tsx.code, /React\.createElement/);
  const plain = 'function f(a) { return a }';
  assert.equal(transpileForRuntime('javascript', plain).code, plain);
  assert.equal(transpileForRuntime('python', 'def f(): pass').code, 'def f(): pass');
  assert.ok(hasModuleSyntax('const a = 1;\nexport default a'));
  assert.ok(!hasModuleSyntax('const m = await import("x"); obj.import(1)'));
  assert.throws(() => transpileForRuntime('typescript', 'function f(a: number { return a }'), TranspileError);
});

test('capabilities are probed once and consistent', () => {
  const c = sandboxCapabilities();
  assert.equal(c, sandboxCapabilities());
  if (c.namespaces === 'none') {
    assert.equal(c.network, 'open');
    assert.ok(c.notes.length > 0, 'a missing sandbox layer is explained');
  } else {
    assert.equal(c.network, 'isolated');
    assert.equal(c.filesystem, 'read-only except the working directory');
  }
});

test('the work dir exists while the sandbox runs and is gone after; the process group is gone too', async () => {
  const s = await startSession('node');
  const dir = s.sandbox.workDir;
  assert.ok(existsSync(dir));
  const r = await runOnce(s, 'function f() { require("fs").writeFileSync("scratch.txt", "x"); return process.cwd() }', 'f', '[]');
  assert.equal(r.value, dir);
  assert.ok(existsSync(`${dir}/scratch.txt`));
  await s.close();
  assert.ok(!existsSync(dir));
  assert.deepEqual(await leftovers(), []);
});

test('writing on the protocol channel is refused (Node) or kills the sandbox as a protocol breach', async () => {
  for (const [runtime, source] of [
    ['node', 'function f() { require("fs").writeSync(3, "{\\"id\\": 999, \\"ok\\": true, \\"result\\": {}}\\n"); return 1 }'],
    ['python', 'import os\ndef f():\n    os.write(3, b"not json\\n")\n    return 1\n'],
  ] as const) {
    const s = await startSession(runtime);
    const err = await runOnce(s, source, 'f', runtime === 'python' ? '()' : '[]').then(
      (r: CallResult) => r,
      (e: unknown) => e,
    );
    if (runtime === 'node' && !(err instanceof SandboxDied)) {
      // The Node harness keeps fd 3 out of reach: the write fails, and the attempt is recorded.
      const r = err as CallResult;
      assert.equal(r.status, 'threw', JSON.stringify(r));
      assert.ok(
        r.effects.files.some((f) => /fd 3/.test(f)),
        JSON.stringify(r.effects),
      );
    } else {
      assert.ok(err instanceof SandboxDied, `${runtime}: ${JSON.stringify(err)}`);
      assert.equal(err.kind, 'protocol');
    }
    await s.close();
  }
  assert.deepEqual(await leftovers(), []);
});

test('a bad request gets a harness error, not a crash', async () => {
  const s = await startSession('python');
  await assert.rejects(
    s.request({ op: 'call', program: 'nope', input: { set: 'a', index: 0 }, seed: 1, timeoutMs: 100, capture: true, previewNodes: 1 }, 5000),
    /no program "nope" is loaded/,
  );
  assert.ok(s.alive);
  await s.close();
});
