// A whole LLM round as the pipeline will run it, against the scripted server: tests, candidates,
// a repair; with faults injected on the way; tokens and cost reported at the end. One scenario
// runs the server as a separate process from its JSON script, as end-to-end tests will.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { resolveSettings } from '../../../src/core/config';
import { formatSpend } from '../../../src/core/llm/budget';
import { requestCandidates, requestRepair, type TargetFunction } from '../../../src/core/llm/requestCandidates';
import { LlmError } from '../../../src/core/llm/errors';
import { apiKeyFromEnv, createBudget, createChatModel, samplingOptions } from '../../../src/core/llm/factory';
import type { RetryEvent } from '../../../src/core/llm/openai';
import { requestTestSuite } from '../../../src/core/testgen/request';
import { startScriptedServer, type Script } from '../../fixtures/llm-server/server';

const SCRIPT_FILE = join(__dirname, '../../fixtures/llm-server/scripts/dedupe.json');
const SCRIPT = JSON.parse(readFileSync(SCRIPT_FILE, 'utf8')) as Script;
const FAST = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 2000 };

const JS_TARGET: TargetFunction = {
  language: 'javascript',
  name: 'dedupe',
  params: ['xs'],
  path: 'src/util.js',
  hotnessReasons: ['includes() inside a loop'],
  code: 'function dedupe(xs) {\n  const out = [];\n  for (const x of xs) if (!out.includes(x)) out.push(x);\n  return out;\n}',
};
const PY_TARGET: TargetFunction = {
  language: 'python',
  name: 'dedupe',
  params: ['xs'],
  code: 'def dedupe(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out',
};

/** Prepends fault rules to the dedupe script. */
const withFaults = (...rules: Script['rules']): Script => ({ ...SCRIPT, rules: [...rules, ...SCRIPT.rules] });

test('a full round with faults on the way: tests, candidates, repair, tokens and cost', async () => {
  const server = await startScriptedServer(
    withFaults(
      { when: { kind: 'tests' }, times: 1, fault: { type: 'rate-limit', retryAfterMs: 20 } },
      { when: { kind: 'optimize' }, times: 1, fault: { type: 'server-error' } },
      { when: { kind: 'repair' }, times: 1, fault: { type: 'cut-stream', afterChars: 0 } },
    ),
  );
  try {
    const settings = resolveSettings({ baseUrl: server.url, model: 'gpt-4o-mini', samples: 6 });
    const retries: RetryEvent[] = [];
    const model = createChatModel(settings, 'sk-test-key-for-the-run', { onRetry: (e) => retries.push(e), retry: FAST });
    const budget = createBudget(settings);
    const sampling = samplingOptions(settings);

    const tests = await requestTestSuite(model, JS_TARGET, { budget, maxTokens: sampling.maxTokens });
    assert.equal(tests.promptVersion, 'tests/3');
    assert.deepEqual(tests.suite.dropped, []);
    assert.deepEqual(
      tests.suite.generators.map((g) => g.level),
      [0, 1, 2, 3],
    );
    assert.equal(tests.suite.assertions.length, 4);

    const round = await requestCandidates(model, JS_TARGET, settings.samples, { ...sampling, budget });
    assert.equal(round.promptVersion, 'optimize/3');
    assert.equal(round.results.length, 6);
    assert.deepEqual(
      round.accepted.map((c) => c.index),
      [0, 1, 2],
    );
    assert.deepEqual(
      round.rejected.map((r) => [r.index, r.reason]),
      [
        [3, 'duplicate'],
        [4, 'signature-changed'],
        [5, 'no-code'],
      ],
    );
    assert.match(round.rejected[0].detail, /Same code as candidate 1/);
    assert.match(round.accepted[0].explanation, /O\(1\)/);

    const wrong = round.accepted[2];
    const repair = await requestRepair(
      model,
      JS_TARGET,
      wrong.code,
      { summary: 'returned a different value', argsExpr: '[[3, 1, 3, 2, 1]]', expected: '[3, 1, 2]', actual: '[1, 2, 3]' },
      { ...sampling, budget, previous: round.accepted },
    );
    assert.equal(repair.promptVersion, 'repair/3');
    assert.equal(repair.accepted.length, 1);
    assert.match(repair.accepted[0].code, /Array\.from\(new Set\(xs\)\)/);

    // Every fault was survived by the right mechanism.
    assert.deepEqual(
      retries.map((r) => r.error.kind),
      ['rate-limited', 'server', 'server'],
    );
    const kinds = server.chatRequests().map((r) => `${r.kind}:${r.outcome}`);
    assert.deepEqual(kinds, ['tests:rate-limit', 'tests:reply', 'optimize:server-error', 'optimize:reply', 'repair:cut-stream', 'repair:reply']);
    const native = server.chatRequests()[3].body as { n?: number };
    assert.equal(native.n, 6, 'six samples in one request');

    const report = budget.report();
    assert.equal(report.requests, 3);
    assert.equal(report.estimated, false);
    assert.ok(report.inputTokens > 500 && report.outputTokens > 300, JSON.stringify(report));
    assert.ok(report.costUsd !== undefined && report.costUsd > 0 && report.costUsd < 0.01);
    assert.match(formatSpend(report), /^[\d,]+ tokens \([\d,]+ in, [\d,]+ out\) · \$0\.\d{4}$/);
  } finally {
    await server.close();
  }
});

test('clear errors end a run: wrong key, unknown model, cancellation', async () => {
  const server = await startScriptedServer({ ...SCRIPT, apiKey: 'the-right-key' });
  try {
    const base = { baseUrl: server.url, model: 'gpt-4o-mini' };
    const wrongKey = createChatModel(resolveSettings(base), 'a-wrong-key', { retry: FAST });
    await assert.rejects(
      requestCandidates(wrongKey, JS_TARGET, 4),
      (e: unknown) => e instanceof LlmError && e.kind === 'auth' && !e.message.includes('a-wrong-key'),
    );
    const unknown = createChatModel(resolveSettings({ ...base, model: 'gpt-5-turbo-max' }), 'the-right-key', { retry: FAST });
    await assert.rejects(
      requestTestSuite(unknown, JS_TARGET),
      (e: unknown) => e instanceof LlmError && e.kind === 'model-not-found' && /gpt-4o-mini, scripted-model/.test(e.message),
    );
  } finally {
    await server.close();
  }
  const slow = await startScriptedServer(withFaults({ when: { kind: 'optimize' }, delayMs: 3000, reply: 'late' }));
  try {
    const model = createChatModel(resolveSettings({ baseUrl: slow.url, model: 'gpt-4o-mini' }), undefined, { retry: FAST });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(
      requestCandidates(model, JS_TARGET, 3, { signal: controller.signal }),
      (e: unknown) => e instanceof LlmError && e.kind === 'cancelled',
    );
    assert.ok(Date.now() - started < 2000, 'cancelled without waiting for the reply');
  } finally {
    await slow.close();
  }
});

test('a token budget stops candidate generation cleanly and says so', async () => {
  const server = await startScriptedServer({ ...SCRIPT, n: 'ignore' });
  try {
    const settings = resolveSettings({ baseUrl: server.url, model: 'gpt-4o-mini', budgetTokens: '4000', maxTokens: '1000', parallelRequests: '1' });
    const model = createChatModel(settings, undefined, { retry: FAST });
    const budget = createBudget(settings);
    const round = await requestCandidates(model, JS_TARGET, 6, { ...samplingOptions(settings), budget });
    assert.equal(round.stopped?.reason, 'budget');
    assert.match(round.stopped?.message ?? '', /token budget reached: [\d,]+ of 4,000 tokens used/);
    assert.ok(round.results.length >= 1 && round.results.length < 6);
    assert.equal(server.chatRequests().length, round.results.length, 'no request beyond the cap');
    assert.ok(budget.report().totalTokens <= 4000);
  } finally {
    await server.close();
  }
});

test('settings: the CLI key comes from EFFOPT_API_KEY or OPENAI_API_KEY; Azure from its own settings', () => {
  assert.equal(apiKeyFromEnv({ OPENAI_API_KEY: 'a' }), 'a');
  assert.equal(apiKeyFromEnv({ OPENAI_API_KEY: 'a', EFFOPT_API_KEY: 'b' }), 'b');
  assert.equal(apiKeyFromEnv({ AZURE_OPENAI_API_KEY: 'z' }), undefined);
  assert.equal(apiKeyFromEnv({ AZURE_OPENAI_API_KEY: 'z' }, 'azure'), 'z');
  assert.equal(apiKeyFromEnv({ OPENAI_API_KEY: '  ' }), undefined);
  const azure = createChatModel(
    resolveSettings({ provider: 'azure', baseUrl: 'https://res.openai.azure.com', model: 'gpt-4o-mini', azureDeployment: 'prod-4o' }),
    'k',
  );
  assert.equal(azure.info.vendor, 'azure');
  assert.throws(() => createChatModel(resolveSettings({ provider: 'vscode-lm' }), 'k'), /only available inside VS Code/);
  const prices = resolveSettings({ prices: '{"my-model": {"input": 1, "output": 2}}' }).prices;
  assert.deepEqual(prices, { 'my-model': { input: 1, output: 2 } });
  assert.throws(() => resolveSettings({ prices: '{"m": {"input": "cheap"}}' }), /prices/);
});

async function startServerProcess(scriptFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../fixtures/llm-server/cli.ts'), '--script', scriptFile, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [url] = (await once(lines, 'line')) as [string];
  return { url, child };
}

test('the scripted server as its own process (for end-to-end tests): Python round from the JSON script', async () => {
  const { url, child } = await startServerProcess(SCRIPT_FILE);
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const settings = resolveSettings({ baseUrl: url, model: 'scripted-model' });
    const model = createChatModel(settings, undefined, { retry: FAST });
    const budget = createBudget(settings);
    const tests = await requestTestSuite(model, PY_TARGET, { budget });
    assert.deepEqual(
      tests.suite.generators.map((g) => [g.level, g.language]),
      [
        [0, 'python'],
        [1, 'python'],
        [2, 'python'],
        [3, 'python'],
      ],
    );
    assert.deepEqual(tests.suite.assertions[0], { id: 'a1', argsExpr: '([3, 1, 3, 2, 1],)', expectedExpr: '[3, 1, 2]', note: 'first occurrences, in order' });
    const round = await requestCandidates(model, PY_TARGET, 6, { budget });
    assert.deepEqual(
      round.results.map((r) => (r.ok ? 'ok' : r.reason)),
      ['ok', 'ok', 'ok', 'duplicate', 'signature-changed', 'no-code'],
    );
    assert.match((round.rejected[1] as { detail: string }).detail, /2 parameters \(xs, seen=None\) instead of 1/);
    const report = budget.report();
    assert.equal(report.requests, 2);
    assert.deepEqual(report.unpricedModels, ['scripted-model']);
    assert.equal(report.costUsd, undefined);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
