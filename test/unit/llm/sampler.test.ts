// generateSamples over the scripted server (native n, fallbacks, faults, budget) and over a
// minimal ChatModel shaped like VS Code's LM API (no n, no usage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Budget } from '../../../src/core/llm/budget';
import { LlmError } from '../../../src/core/llm/errors';
import { OpenAiCompatibleModel } from '../../../src/core/llm/openai';
import { generateSamples } from '../../../src/core/llm/sampler';
import { createChatStream } from '../../../src/core/llm/stream';
import type { ChatMessage, ChatModel } from '../../../src/core/llm/types';
import { startScriptedServer, type Script, type ScriptedServer } from '../../fixtures/llm-server/server';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You rewrite functions to run faster.' },
  { role: 'user', content: 'Optimise `sum`.' },
];

async function withServer(script: Script, run: (server: ScriptedServer, model: OpenAiCompatibleModel) => Promise<void>): Promise<void> {
  const server = await startScriptedServer(script);
  try {
    await run(
      server,
      new OpenAiCompatibleModel({
        baseUrl: server.url,
        model: 'gpt-4o-mini',
        apiKey: 'k',
        retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 1000 },
        timeoutMs: 5000,
      }),
    );
  } finally {
    await server.close();
  }
}

test('native n: one request for all samples, replies in order, usage from the server', async () => {
  await withServer({ rules: [{ reply: ['r1', 'r2', 'r3', 'r4'] }] }, async (server, model) => {
    const budget = new Budget();
    const run = await generateSamples(model, MESSAGES, 4, { budget, temperature: 0.8, maxTokens: 256 });
    assert.deepEqual(
      run.replies.map((r) => r.text),
      ['r1', 'r2', 'r3', 'r4'],
    );
    assert.equal(run.requests, 1);
    assert.equal(server.chatRequests().length, 1);
    assert.equal(run.usage.estimated, false);
    assert.equal(run.usage.inputTokens, 13);
    assert.equal(run.usage.outputTokens, 4);
    const report = budget.report();
    assert.equal(report.totalTokens, 17);
    assert.ok(report.costUsd !== undefined && report.costUsd > 0);
  });
});

test('a server that ignores n: the missing samples come from parallel single requests', async () => {
  await withServer({ n: 'ignore', rules: [{ reply: ['a', 'b', 'c', 'd'] }] }, async (server, model) => {
    const run = await generateSamples(model, MESSAGES, 4, { concurrency: 2 });
    assert.deepEqual(run.replies.map((r) => r.text).sort(), ['a', 'b', 'c', 'd']);
    const reqs = server.chatRequests().map((r) => r.body as { n?: number; stream?: boolean });
    assert.equal(reqs.length, 4);
    assert.equal(reqs[0].n, 4);
    assert.ok(reqs.slice(1).every((b) => b.n === undefined && b.stream === true));
    // Next time the model knows: no n at all.
    await generateSamples(model, MESSAGES, 2);
    assert.ok(
      server
        .chatRequests()
        .slice(4)
        .every((r) => (r.body as { n?: number }).n === undefined),
    );
  });
});

test('a server that refuses n: adapted, then filled with single requests', async () => {
  await withServer({ n: 'refuse', rules: [{ reply: ['x', 'y', 'z'] }] }, async (server, model) => {
    const run = await generateSamples(model, MESSAGES, 3);
    assert.equal(run.replies.length, 3);
    assert.deepEqual(
      server.chatRequests().map((r) => r.outcome),
      ['400 n', 'reply', 'reply', 'reply'],
    );
  });
});

test('a stream cut mid-reply is retried for that sample; the broken attempt is booked as estimated', async () => {
  await withServer(
    { chunkSize: 4, rules: [{ times: 1, fault: { type: 'cut-stream', afterChars: 8 }, reply: 'function broken() {}' }, { reply: 'whole' }] },
    async (server, model) => {
      const budget = new Budget();
      const run = await generateSamples(model, MESSAGES, 2, { nativeN: false, concurrency: 1, budget });
      assert.deepEqual(
        run.replies.map((r) => r.text),
        ['whole', 'whole'],
      );
      assert.equal(run.failures.length, 0);
      assert.equal(server.chatRequests().length, 3);
      assert.equal(run.usage.estimated, true, 'the broken attempt had no usage');
      assert.equal(budget.report().requests, 3);
    },
  );
});

test('a slot that keeps failing is reported; the other samples still arrive', async () => {
  await withServer({ rules: [{ when: { call: [2, 3, 4] }, fault: { type: 'server-error' } }, { reply: 'fine' }] }, async (_server, model) => {
    const run = await generateSamples(model, MESSAGES, 3, { nativeN: false, concurrency: 1 });
    assert.deepEqual(
      run.replies.map((r) => r.text),
      ['fine', 'fine'],
    );
    assert.equal(run.failures.length, 1);
    assert.equal(run.failures[0].index, 1);
    assert.equal(run.failures[0].error.kind, 'server');
  });
});

test('the budget stops generation cleanly before a request that could exceed it, and says so', async () => {
  await withServer({ rules: [{ reply: 'x'.repeat(40) }] }, async (server, model) => {
    // Each request holds 21 (estimated input) + 100 (output cap) tokens and books 13 + 10 (the
    // server's counts): the fourth request would need 69 used + 121 held > 180.
    const budget = new Budget({ maxTokens: 180 });
    const run = await generateSamples(model, MESSAGES, 6, { nativeN: false, concurrency: 1, maxTokens: 100, budget });
    assert.equal(run.replies.length, server.chatRequests().length);
    assert.equal(run.replies.length, 3);
    assert.equal(run.stopped?.reason, 'budget');
    assert.match(run.stopped?.message ?? '', /token budget reached/);
    assert.equal(budget.report().totalTokens, 69);
    assert.match(budget.report().stopped ?? '', /token budget/);
    // A budget too small for even one request: no request, an empty run that says why.
    const none = await generateSamples(model, MESSAGES, 2, { maxTokens: 100, budget: new Budget({ maxTokens: 50 }) });
    assert.equal(none.replies.length, 0);
    assert.equal(none.stopped?.reason, 'budget');
  });
});

test('a fatal error (401) stops at once instead of flooding the server, and rejects', async () => {
  await withServer({ apiKey: 'other', rules: [{ reply: 'x' }] }, async (server, model) => {
    await assert.rejects(generateSamples(model, MESSAGES, 6, { nativeN: false, concurrency: 1 }), (e: unknown) => e instanceof LlmError && e.kind === 'auth');
    assert.equal(server.requests.length, 1);
  });
});

test('cancelling mid-run rejects with cancelled once in-flight requests are stopped', async () => {
  await withServer({ rules: [{ delayMs: 2000, reply: 'slow' }] }, async (_server, model) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    await assert.rejects(
      generateSamples(model, MESSAGES, 4, { signal: controller.signal, nativeN: false }),
      (e: unknown) => e instanceof LlmError && e.kind === 'cancelled',
    );
  });
});

/** A model shaped like VS Code's LM API: streams text, no `n`, no usage. */
function lmApiLikeModel(reply: (i: number) => string, delayMs: number): ChatModel & { maxInFlight: number } {
  let inFlight = 0;
  let calls = 0;
  const model = {
    info: { id: 'copilot-gpt-4o', vendor: 'vscode-lm:copilot' },
    maxInFlight: 0,
    chat: () =>
      createChatStream(async (emit) => {
        const i = calls++;
        inFlight++;
        model.maxInFlight = Math.max(model.maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, delayMs));
        for (const word of reply(i).split(/(?<= )/)) emit(word);
        inFlight--;
        return { finishReason: 'stop' as const };
      }),
  };
  return model;
}

test('without chatMany: bounded parallel requests, usage estimated from the text', async () => {
  const model = lmApiLikeModel((i) => `reply number ${i} with some words`, 20);
  const budget = new Budget();
  const seen: number[] = [];
  const run = await generateSamples(model, MESSAGES, 7, { concurrency: 3, budget, onReply: (_r, i) => seen.push(i) });
  assert.equal(run.replies.length, 7);
  assert.equal(model.maxInFlight, 3);
  assert.deepEqual(
    [...seen].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6],
  );
  assert.ok(run.replies.every((r) => r.usage?.estimated === true && r.usage.outputTokens > 0));
  const report = budget.report();
  assert.equal(report.estimated, true);
  assert.equal(report.costUsd, undefined);
  assert.deepEqual(report.unpricedModels, ['copilot-gpt-4o']);
});

test('a native-n batch that fails transiently (malformed JSON) falls back to single requests', async () => {
  await withServer({ rules: [{ when: { stream: false }, fault: { type: 'malformed-json' } }, { reply: 'single' }] }, async (server, model) => {
    const run = await generateSamples(model, MESSAGES, 3);
    assert.deepEqual(
      run.replies.map((r) => r.text),
      ['single', 'single', 'single'],
    );
    assert.deepEqual(run.failures, []);
    assert.equal(server.chatRequests().filter((r) => (r.body as { stream?: boolean }).stream !== true).length, 3, 'the batch was retried, then abandoned');
  });
});

test('native n asks for as many samples as the budget allows at once', async () => {
  await withServer({ rules: [{ reply: ['a', 'b', 'c', 'd', 'e', 'f'] }] }, async (server, model) => {
    // Room for 2 outputs of 100 plus the prompt, not 6.
    const budget = new Budget({ maxTokens: 250 });
    const run = await generateSamples(model, MESSAGES, 6, { maxTokens: 100, budget });
    assert.equal((server.chatRequests()[0].body as { n: number }).n, 2);
    assert.ok(run.replies.length >= 2);
    assert.equal(run.stopped?.reason, 'budget');
  });
});
