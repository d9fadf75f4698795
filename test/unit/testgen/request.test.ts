// requestTestSuite over the scripted server: JSON mode, one retry for an unusable reply, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Budget } from '../../../src/core/llm/budget';
import { OpenAiCompatibleModel } from '../../../src/core/llm/openai';
import { requestTestSuite, type TestTarget } from '../../../src/core/testgen/request';
import { startScriptedServer, type Script, type ScriptedServer } from '../../fixtures/llm-server/server';

const TARGET: TestTarget = {
  language: 'javascript',
  name: 'sum',
  params: ['xs'],
  code: 'function sum(xs) { let s = 0; for (const x of xs) s += x; return s; }',
};
const GOOD = JSON.stringify({
  generators: [{ level: 0, code: 'function generate(rng) { return [[[]], [[1, 2]]]; }' }],
  assertions: [{ argsExpr: '[[1, 2, 3]]', expectedExpr: '6' }],
});

async function withServer(script: Script, run: (server: ScriptedServer, model: OpenAiCompatibleModel) => Promise<void>): Promise<void> {
  const server = await startScriptedServer(script);
  try {
    await run(server, new OpenAiCompatibleModel({ baseUrl: server.url, model: 'gpt-4o-mini', retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 100 } }));
  } finally {
    await server.close();
  }
}

test('asks in JSON mode at a low temperature and returns the parsed suite', async () => {
  await withServer({ rules: [{ when: { kind: 'tests' }, reply: GOOD }] }, async (server, model) => {
    const round = await requestTestSuite(model, TARGET, { levels: 3 });
    assert.equal(round.suite.generators.length, 1);
    assert.deepEqual(round.suite.assertions, [{ id: 'a1', argsExpr: '[[1, 2, 3]]', expectedExpr: '6' }]);
    const body = server.chatRequests()[0].body as { response_format?: unknown; temperature?: number; messages: Array<{ content: string }> };
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.equal(body.temperature, 0.2);
    assert.match(body.messages[0].content, /levels 0 to 2/);
    assert.equal(round.replies.length, 1);
  });
});

test('an unusable first reply is asked again once; its problems stay in the report', async () => {
  await withServer(
    {
      rules: [
        { when: { kind: 'tests' }, times: 1, reply: 'Sorry, here is an explanation instead of JSON.' },
        { when: { kind: 'tests' }, reply: GOOD },
      ],
    },
    async (_server, model) => {
      const round = await requestTestSuite(model, TARGET);
      assert.equal(round.replies.length, 2);
      assert.equal(round.suite.assertions.length, 1);
      assert.deepEqual(round.suite.dropped, [{ what: 'reply (reply 1, nothing usable: asked again)', reason: 'the reply contains no JSON object' }]);
    },
  );
  await withServer({ rules: [{ when: { kind: 'tests' }, reply: '{"generators": []}' }] }, async (_server, model) => {
    const round = await requestTestSuite(model, TARGET);
    assert.equal(round.replies.length, 2);
    assert.deepEqual(round.suite.generators, []);
    assert.deepEqual(round.suite.assertions, []);
  });
});

test('a reply cut by the token limit keeps its complete entries and says why the rest is missing', async () => {
  const long = JSON.stringify({
    generators: [0, 1].map((level) => ({ level, code: 'function generate(rng) { return [[[1]]]; }' })),
    assertions: [{ argsExpr: '[[1]]', expectedExpr: '1' }],
  });
  const cut = long.slice(0, long.indexOf('"level":1') + 20);
  await withServer({ rules: [{ when: { kind: 'tests' }, reply: cut, finishReason: 'length' }] }, async (_server, model) => {
    const round = await requestTestSuite(model, TARGET);
    assert.deepEqual(
      round.suite.generators.map((g) => g.level),
      [0],
    );
    assert.ok(round.suite.dropped.some((d) => /token limit/.test(d.reason)));
  });
});

test('a budget too small for the request: no request, an empty suite, the reason', async () => {
  await withServer({ rules: [{ reply: GOOD }] }, async (server, model) => {
    const round = await requestTestSuite(model, TARGET, { budget: new Budget({ maxTokens: 100 }), maxTokens: 2000 });
    assert.equal(server.chatRequests().length, 0);
    assert.equal(round.stopped?.reason, 'budget');
    assert.deepEqual(round.suite, { generators: [], assertions: [], dropped: [] });
  });
});
