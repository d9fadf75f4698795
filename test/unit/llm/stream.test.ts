import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LlmError } from '../../../src/core/llm/errors';
import { createChatStream } from '../../../src/core/llm/stream';
import { estimateMessagesTokens, estimateTokens } from '../../../src/core/llm/tokens';
import { backoffDelay, parseRetryAfter } from '../../../src/core/llm/retry';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('a chat stream delivers fragments live, replays them, and resolves done with the whole text', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const stream = createChatStream(async (emit) => {
    emit('he');
    await gate;
    emit('llo');
    return { finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2, estimated: false } };
  });
  const it = stream[Symbol.asyncIterator]();
  assert.deepEqual(await it.next(), { value: 'he', done: false });
  release();
  assert.deepEqual(await it.next(), { value: 'llo', done: false });
  assert.equal((await it.next()).done, true);
  const replay: string[] = [];
  for await (const f of stream) replay.push(f);
  assert.deepEqual(replay, ['he', 'llo']);
  assert.deepEqual(await stream.done, { text: 'hello', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2, estimated: false } });
});

test('failures reach both iteration and done as LlmError; an abort is a cancellation', async () => {
  const failing = createChatStream(async (emit) => {
    emit('x');
    throw new Error('socket hang up');
  });
  await assert.rejects(failing.done, (e: unknown) => e instanceof LlmError && e.kind === 'bad-reply' && /socket hang up/.test(e.message));
  await assert.rejects(async () => {
    for await (const _ of failing) void _;
  }, LlmError);
  const controller = new AbortController();
  const aborted = createChatStream(async () => {
    controller.abort();
    throw new Error('aborted');
  }, controller.signal);
  await assert.rejects(aborted.done, (e: unknown) => e instanceof LlmError && e.kind === 'cancelled');
  // Only iterating, never awaiting done: no unhandled rejection.
  const ignored = createChatStream(async () => {
    throw new LlmError('server', 'boom');
  });
  await tick();
  await assert.rejects(async () => {
    for await (const _ of ignored) void _;
  }, /boom/);
});

test('token estimates grow with text and are in a plausible range', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('hello world'), 2);
  const code = 'function dedupe(xs) {\n  const out = [];\n  for (const x of xs) if (!out.includes(x)) out.push(x);\n  return out;\n}\n';
  const n = estimateTokens(code);
  assert.ok(n >= code.length / 6 && n <= code.length / 2, `estimate ${n} for ${code.length} chars`);
  assert.ok(estimateTokens(code + code) > n);
  assert.ok(estimateTokens('数据数据') >= 2);
  assert.equal(estimateMessagesTokens([{ role: 'user', content: 'hello world' }]), 3 + 4 + 2);
});

test('Retry-After: seconds, HTTP date, retry-after-ms; backoff doubles with bounded jitter', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  assert.equal(parseRetryAfter(h({ 'retry-after': '2' })), 2000);
  assert.equal(parseRetryAfter(h({ 'retry-after': '0.5' })), 500);
  assert.equal(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now), 7000);
  assert.equal(parseRetryAfter(h({ 'retry-after': 'soon' })), undefined);
  assert.equal(parseRetryAfter(h({})), undefined);
  const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(
    backoffDelay(0, policy, () => 0),
    100,
  );
  assert.equal(
    backoffDelay(2, policy, () => 0),
    400,
  );
  assert.equal(
    backoffDelay(2, policy, () => 1),
    300,
  );
  assert.equal(
    backoffDelay(10, policy, () => 0),
    1000,
  );
});
