import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Budget, DEFAULT_PRICES, costOf, formatSpend, lookupPrice } from '../../../src/core/llm/budget';
import { LlmError } from '../../../src/core/llm/errors';

test('prices: exact name, provider prefix and date suffix match; looser prefixes do not', () => {
  assert.deepEqual(lookupPrice('gpt-4o-mini'), DEFAULT_PRICES['gpt-4o-mini']);
  assert.deepEqual(lookupPrice('gpt-4o-mini-2024-07-18'), DEFAULT_PRICES['gpt-4o-mini']);
  assert.deepEqual(lookupPrice('openai/gpt-4o'), DEFAULT_PRICES['gpt-4o']);
  assert.equal(lookupPrice('gpt-4o-audio-preview'), undefined);
  assert.equal(lookupPrice('llama3.2:3b'), undefined);
  assert.deepEqual(lookupPrice('llama3.2:3b', { 'llama3.2:3b': { input: 0, output: 0 } }), { input: 0, output: 0 });
  assert.equal(costOf({ inputTokens: 1_000_000, outputTokens: 500_000 }, { input: 0.15, output: 0.6 }), 0.45);
});

test('usage is booked per model with cost when the price is known, tokens only when not', () => {
  const budget = new Budget();
  budget.reserve('gpt-4o-mini', 1000, 500).settle({ inputTokens: 1000, outputTokens: 400, estimated: false });
  budget.reserve('qwen2.5-coder', 100, 50).settle({ inputTokens: 90, outputTokens: 40, estimated: true });
  const r = budget.report();
  assert.equal(r.requests, 2);
  assert.equal(r.inputTokens, 1090);
  assert.equal(r.outputTokens, 440);
  assert.equal(r.totalTokens, 1530);
  assert.equal(r.estimated, true);
  assert.ok(Math.abs((r.costUsd ?? NaN) - (1000 * 0.15 + 400 * 0.6) / 1e6) < 1e-15);
  assert.deepEqual(r.unpricedModels, ['qwen2.5-coder']);
  assert.equal(r.byModel['qwen2.5-coder'].costUsd, undefined);
  assert.match(formatSpend(r), /1,530 tokens \(1,090 in, 440 out, partly estimated\) · \$0\.0004 · cost unknown for qwen2\.5-coder/);
});

test('a token cap refuses the request that could exceed it, counting requests in flight', () => {
  const budget = new Budget({ maxTokens: 10_000 });
  const a = budget.reserve('m', 1000, 4000); // 5,000 held
  assert.throws(
    () => budget.reserve('m', 1000, 4500),
    (e: unknown) => e instanceof LlmError && e.kind === 'budget' && /held by requests in flight/.test(e.message),
  );
  a.settle({ inputTokens: 1000, outputTokens: 500, estimated: false }); // 1,500 used, hold freed
  const b = budget.reserve('m', 1000, 4500); // 1,500 + 5,500 ≤ 10,000
  b.release();
  b.settle({ inputTokens: 1, outputTokens: 1, estimated: false }); // after release: ignored
  assert.equal(budget.report().totalTokens, 1500);
  assert.throws(() => budget.reserve('m', 4000, 5000), /token budget reached: 1,500 of 10,000 tokens used.*effopt\.budgetTokens/);
  assert.match(budget.report().stopped ?? '', /token budget reached/);
});

test('a cost cap is enforced with the price table, and refused outright for an unpriced model', () => {
  const budget = new Budget({ maxCostUsd: 0.01 }, { cheap: { input: 1, output: 2 } });
  budget.reserve('cheap', 1000, 1000).settle({ inputTokens: 1000, outputTokens: 1000, estimated: false }); // $0.003
  assert.throws(() => budget.reserve('cheap', 1000, 4000), /cost budget reached: \$0\.0030 of \$0\.010 spent/);
  assert.throws(() => budget.reserve('mystery', 10, 10), /price of model "mystery" is unknown.*effopt\.prices/);
});
