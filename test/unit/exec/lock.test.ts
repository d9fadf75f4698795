import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuLock } from '../../../src/core/exec/lock';

const tick = () => new Promise((r) => setImmediate(r));

test('shared holders run together; an exclusive holder waits for them and runs alone', async () => {
  const lock = new CpuLock();
  const log: string[] = [];
  let releaseA!: () => void;
  let releaseB!: () => void;
  const a = lock.shared(
    () =>
      new Promise<void>((r) => {
        log.push('A start');
        releaseA = () => {
          log.push('A end');
          r();
        };
      }),
  );
  const b = lock.shared(
    () =>
      new Promise<void>((r) => {
        log.push('B start');
        releaseB = () => {
          log.push('B end');
          r();
        };
      }),
  );
  await tick();
  assert.deepEqual(lock.state, { shared: 2, exclusive: false, waiting: 0 });
  const x = lock.exclusive(async () => {
    log.push('X');
  });
  // Writer preference: a shared request after the waiting benchmark queues behind it.
  const c = lock.shared(async () => {
    log.push('C');
  });
  await tick();
  assert.deepEqual(log, ['A start', 'B start']);
  releaseA();
  await tick();
  assert.ok(!log.includes('X'));
  releaseB();
  await Promise.all([a, b, x, c]);
  assert.deepEqual(log, ['A start', 'B start', 'A end', 'B end', 'X', 'C']);
  assert.deepEqual(lock.state, { shared: 0, exclusive: false, waiting: 0 });
});

test('a failing holder releases the lock; a cancelled waiter leaves the queue', async () => {
  const lock = new CpuLock();
  await assert.rejects(
    lock.exclusive(async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(lock.state, { shared: 0, exclusive: false, waiting: 0 });
  let release!: () => void;
  const held = lock.exclusive(
    () =>
      new Promise<void>((r) => {
        release = r;
      }),
  );
  await tick();
  const ac = new AbortController();
  const waiting = lock.shared(async () => 'ran', ac.signal);
  await tick();
  assert.equal(lock.state.waiting, 1);
  ac.abort(new Error('stop'));
  await assert.rejects(waiting, /stop/);
  assert.equal(lock.state.waiting, 0);
  release();
  await held;
  assert.equal(await lock.shared(async () => 'after'), 'after');
});
