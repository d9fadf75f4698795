// The engine's one-time set-up, done ahead of a run: every step reported, none throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warmUp } from '../../src/core/warmup';

test('warmUp does the parse, sandbox, Node and Python set-up and times each step', async () => {
  const r = await warmUp(['javascript', 'python']);
  assert.deepEqual(Object.keys(r.steps).sort(), ['node', 'parse javascript', 'parse python', 'python', 'sandbox']);
  assert.deepEqual(r.failed, []);
  for (const ms of Object.values(r.steps)) assert.ok(ms >= 0);
  // Done once: the same work again is (nearly) free.
  const again = await warmUp(['javascript']);
  assert.ok(again.steps['parse javascript'] <= Math.max(50, r.steps['parse javascript']), JSON.stringify({ first: r.steps, again: again.steps }));
});

test('a step that cannot be done is reported, not thrown (the run meets it again and says why)', async () => {
  const r = await warmUp(['python'], { pythonPath: '/nonexistent/python3' });
  assert.deepEqual(r.failed, ['python']);
});
