// The OpenAI-compatible client against the scripted server: real HTTP, real SSE, real faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { LlmError } from '../../../src/core/llm/errors';
import { OpenAiCompatibleModel, type OpenAiCompatibleOptions, type RetryEvent } from '../../../src/core/llm/openai';
import type { ChatMessage } from '../../../src/core/llm/types';
import { startScriptedServer, type Script, type ScriptedServer } from '../../fixtures/llm-server/server';

const KEY = 'sk-test-0123456789abcdefghijklmnopqrstuv';
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You rewrite functions to run faster.' },
  { role: 'user', content: 'Optimise `sum`.' },
];
const FAST_RETRY = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 2000 };

async function withServer(script: Script, run: (server: ScriptedServer) => Promise<void>): Promise<void> {
  const server = await startScriptedServer(script);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

const modelFor = (server: ScriptedServer, extra: Partial<OpenAiCompatibleOptions> = {}): OpenAiCompatibleModel =>
  new OpenAiCompatibleModel({ baseUrl: server.url, model: 'gpt-4o-mini', apiKey: KEY, retry: FAST_RETRY, timeoutMs: 5000, ...extra });

async function rejectsWith(promise: Promise<unknown>, kind: LlmError['kind']): Promise<LlmError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof LlmError, `expected LlmError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

test('streams a reply, reports server usage, sends model, key and sampling parameters', async () => {
  await withServer(
    { models: ['gpt-4o-mini'], apiKey: KEY, chunkSize: 5, rules: [{ when: { kind: 'optimize' }, reply: 'function sum(a) { return 1; }' }] },
    async (server) => {
      const model = modelFor(server, { temperature: 0.7, maxTokens: 300 });
      const stream = model.chat(MESSAGES);
      const fragments: string[] = [];
      for await (const f of stream) fragments.push(f);
      const reply = await stream.done;
      assert.ok(fragments.length > 3, 'arrives in several fragments');
      assert.equal(fragments.join(''), 'function sum(a) { return 1; }');
      assert.equal(reply.text, 'function sum(a) { return 1; }');
      assert.equal(reply.finishReason, 'stop');
      assert.deepEqual(reply.usage, { inputTokens: 13, outputTokens: 8, estimated: false }); // the server's counts
      const [req] = server.chatRequests();
      const body = req.body as Record<string, unknown>;
      assert.equal(body.model, 'gpt-4o-mini');
      assert.equal(body.temperature, 0.7);
      assert.equal(body.max_tokens, 300);
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
      assert.equal(req.headers.authorization, `Bearer ${KEY}`);
      assert.equal(req.kind, 'optimize');
    },
  );
});

test('native n: one request, n distinct replies, usage split with exact sums', async () => {
  await withServer({ rules: [{ reply: ['alpha', 'beta beta', 'gamma gamma gamma'] }] }, async (server) => {
    const model = modelFor(server);
    const replies = await model.chatMany(MESSAGES, 3, { temperature: 0.8 });
    assert.deepEqual(
      replies.map((r) => r.text),
      ['alpha', 'beta beta', 'gamma gamma gamma'],
    );
    assert.equal(server.chatRequests().length, 1);
    assert.equal((server.chatRequests()[0].body as { n: number }).n, 3);
    assert.equal(model.nativeN, 'yes');
    const input = replies.reduce((s, r) => s + (r.usage?.inputTokens ?? 0), 0);
    const output = replies.reduce((s, r) => s + (r.usage?.outputTokens ?? 0), 0);
    assert.equal(input, 13, 'the prompt is paid once');
    assert.equal(output, 2 + 3 + 5);
  });
});

test('a server that ignores n is detected; later calls stop asking for n', async () => {
  await withServer({ n: 'ignore', rules: [{ reply: ['one', 'two', 'three'] }] }, async (server) => {
    const model = modelFor(server);
    const first = await model.chatMany(MESSAGES, 3);
    assert.equal(first.length, 1);
    assert.equal(model.nativeN, 'no');
    const second = await model.chatMany(MESSAGES, 3);
    assert.equal(second.length, 1);
    const bodies = server.chatRequests().map((r) => r.body as { n?: number; stream?: boolean });
    assert.equal(bodies[1].n, undefined, 'no n after learning');
    assert.equal(bodies[1].stream, true);
  });
});

test('a server that refuses n (llama.cpp) gets one plain request instead', async () => {
  await withServer({ n: 'refuse', rules: [{ reply: 'only one' }] }, async (server) => {
    const model = modelFor(server);
    const replies = await model.chatMany(MESSAGES, 4);
    assert.deepEqual(
      replies.map((r) => r.text),
      ['only one'],
    );
    assert.equal(model.nativeN, 'no');
    assert.deepEqual(
      server.chatRequests().map((r) => r.outcome),
      ['400 n', 'reply'],
    );
  });
});

test('429 with Retry-After is honoured, then the request succeeds', async () => {
  await withServer(
    { rules: [{ times: 1, fault: { type: 'rate-limit', retryAfter: 1 } }, { times: 1, fault: { type: 'rate-limit', retryAfterMs: 40 } }, { reply: 'ok' }] },
    async (server) => {
      const retries: RetryEvent[] = [];
      const model = modelFor(server, { onRetry: (e) => retries.push(e) });
      const reply = await model.chat(MESSAGES).done;
      assert.equal(reply.text, 'ok');
      assert.deepEqual(
        retries.map((r) => [r.retry, r.delayMs, r.error.kind]),
        [
          [1, 1000, 'rate-limited'],
          [2, 40, 'rate-limited'],
        ],
      );
      const times = server.chatRequests().map((r) => r.at);
      assert.ok(times[1] - times[0] >= 950, `waited ${times[1] - times[0]} ms for Retry-After: 1`);
    },
  );
});

test('a Retry-After longer than effopt is willing to wait fails at once with the wait named', async () => {
  await withServer({ rules: [{ fault: { type: 'rate-limit', retryAfter: 3600 } }] }, async (server) => {
    const e = await rejectsWith(modelFor(server).chat(MESSAGES).done, 'rate-limited');
    assert.match(e.message, /asks to wait 3600 s/);
    assert.equal(server.chatRequests().length, 1);
  });
});

test('persistent 429 gives up after the retry budget; insufficient_quota is not retried', async () => {
  await withServer(
    {
      rules: [
        { when: { model: 'a' }, fault: { type: 'rate-limit' } },
        { fault: { type: 'rate-limit', code: 'insufficient_quota', message: 'You exceeded your current quota' } },
      ],
    },
    async (server) => {
      const e = await rejectsWith(modelFor(server, { model: 'a' }).chat(MESSAGES).done, 'rate-limited');
      assert.equal(e.attempts, 4);
      assert.match(e.message, /Gave up after 4 attempts.*parallelRequests/);
      const q = await rejectsWith(modelFor(server, { model: 'b' }).chat(MESSAGES).done, 'rate-limited');
      assert.match(q.message, /quota/);
      assert.equal(server.chatRequests().filter((r) => (r.body as { model: string }).model === 'b').length, 1);
    },
  );
});

test('500 is retried with backoff; a lasting 500 ends in a server error', async () => {
  await withServer(
    {
      rules: [
        { when: { call: 1 }, fault: { type: 'server-error' } },
        { when: { model: 'broken' }, fault: { type: 'server-error', status: 503 } },
        { reply: 'recovered' },
      ],
    },
    async (server) => {
      const retries: RetryEvent[] = [];
      const reply = await modelFor(server, { onRetry: (e) => retries.push(e) }).chat(MESSAGES).done;
      assert.equal(reply.text, 'recovered');
      assert.equal(retries.length, 1);
      assert.equal(retries[0].error.kind, 'server');
      assert.ok(retries[0].delayMs >= 3 && retries[0].delayMs <= 5, `backoff ${retries[0].delayMs}`);
      const e = await rejectsWith(modelFor(server, { model: 'broken' }).chat(MESSAGES).done, 'server');
      assert.match(e.message, /HTTP 503/);
    },
  );
});

test('a reply slower than the timeout ends in a timeout error after retries', async () => {
  await withServer({ rules: [{ delayMs: 1500, reply: 'late' }] }, async (server) => {
    const model = modelFor(server, { timeoutMs: 150, retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 100 } });
    const e = await rejectsWith(model.chat(MESSAGES).done, 'timeout');
    assert.match(e.message, /within 150 ms.*requestTimeoutMs/);
    assert.equal(server.chatRequests().length, 2);
  });
});

test('a stream that stalls mid-reply also times out (the timeout covers the whole reply)', async () => {
  await withServer({ chunkSize: 2, rules: [{ chunkDelayMs: 400, reply: 'a b c d e f' }] }, async (server) => {
    const model = modelFor(server, { timeoutMs: 250 });
    const e = await rejectsWith(model.chat(MESSAGES).done, 'timeout');
    assert.equal(server.chatRequests().length, 1, 'text had been streamed: no silent retry');
    assert.equal(e.retryable, true);
  });
});

test('malformed JSON: retried when nothing was streamed yet, reported as bad-reply otherwise', async () => {
  await withServer(
    {
      rules: [
        { when: { stream: false }, times: 1, fault: { type: 'malformed-json' } },
        { when: { stream: true }, fault: { type: 'malformed-json' }, reply: 'partial text here' },
        { reply: ['x', 'y'] },
      ],
    },
    async (server) => {
      const model = modelFor(server);
      const replies = await model.chatMany(MESSAGES, 2);
      assert.deepEqual(
        replies.map((r) => r.text),
        ['x', 'y'],
      );
      assert.equal(server.chatRequests().length, 2);
      const e = await rejectsWith(model.chat(MESSAGES).done, 'bad-reply');
      assert.match(e.message, /not valid JSON/);
    },
  );
});

test('a stream cut mid-way is a retryable server error; cut before any text it is retried', async () => {
  await withServer(
    {
      chunkSize: 4,
      rules: [
        { when: { model: 'destroy' }, fault: { type: 'cut-stream', afterChars: 8 }, reply: 'function f() { return 42; }' },
        { when: { model: 'end' }, fault: { type: 'cut-stream', afterChars: 8, mode: 'end' }, reply: 'function f() { return 42; }' },
        { when: { model: 'early' }, times: 1, fault: { type: 'cut-stream', afterChars: 0 }, reply: 'never' },
        { when: { model: 'early' }, reply: 'second try' },
      ],
    },
    async (server) => {
      const cut = modelFor(server, { model: 'destroy' }).chat(MESSAGES);
      let seen = '';
      await assert.rejects(
        async () => {
          for await (const f of cut) seen += f;
        },
        (e: unknown) => e instanceof LlmError && e.kind === 'server' && e.retryable,
      );
      assert.equal(seen, 'function', 'the text before the cut was delivered');
      const ended = await rejectsWith(modelFor(server, { model: 'end' }).chat(MESSAGES).done, 'server');
      assert.match(ended.message, /ended before the model finished \(after 8 characters\)/);
      assert.equal((await modelFor(server, { model: 'early' }).chat(MESSAGES).done).text, 'second try');
    },
  );
});

test('an error event inside the stream (Ollama, vLLM) is a server error with the server message', async () => {
  await withServer(
    { rules: [{ fault: { type: 'sse-error', message: 'llama runner process has terminated', afterChars: 3 }, reply: 'abcdef' }] },
    async (server) => {
      const e = await rejectsWith(modelFor(server).chat(MESSAGES).done, 'server');
      assert.match(e.message, /llama runner process has terminated/);
    },
  );
});

test('401: an auth error that says how to set the key; no key configured is named as such', async () => {
  await withServer({ apiKey: 'the-right-key', rules: [{ reply: 'x' }] }, async (server) => {
    const e = await rejectsWith(modelFor(server).chat(MESSAGES).done, 'auth');
    assert.match(e.message, /HTTP 401.*Check that the API key belongs to this server/);
    assert.match(e.message, /refused the API key \(HTTP 401\)/);
    assert.equal(server.chatRequests().length, 0);
    assert.equal(server.requests.length, 1, 'auth errors are not retried');
    const none = await rejectsWith(modelFor(server, { apiKey: undefined }).chat(MESSAGES).done, 'auth');
    assert.match(none.message, /No API key is configured.*Set API Key.*OPENAI_API_KEY \/ EFFOPT_API_KEY/);
  });
});

test('the API key never appears in errors, their JSON or inspection, nor on the console', async () => {
  await withServer({ rules: [{ fault: { type: 'unauthorized', echoKey: true } }] }, async (server) => {
    const written: string[] = [];
    const originals = {
      log: console.log,
      error: console.error,
      warn: console.warn,
      info: console.info,
      debug: console.debug,
      stderr: process.stderr.write,
      stdout: process.stdout.write,
    };
    const capture = (...args: unknown[]): void => void written.push(args.map(String).join(' '));
    Object.assign(console, { log: capture, error: capture, warn: capture, info: capture, debug: capture });
    process.stderr.write = ((chunk: unknown) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    let error: unknown;
    try {
      await modelFor(server).chat(MESSAGES).done;
    } catch (e) {
      error = e;
    } finally {
      Object.assign(console, { log: originals.log, error: originals.error, warn: originals.warn, info: originals.info, debug: originals.debug });
      process.stderr.write = originals.stderr;
    }
    assert.ok(error instanceof LlmError && error.kind === 'auth');
    // The server did echo the key: the client must have scrubbed it.
    assert.ok(String((server.requests[0].headers.authorization as string) ?? '').includes(KEY));
    for (const text of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 5 }), error.stack ?? '', ...written]) {
      assert.ok(!text.includes(KEY), `key leaked in: ${text.slice(0, 200)}`);
      assert.ok(!text.includes(KEY.slice(10, 30)), `part of the key leaked in: ${text.slice(0, 200)}`);
    }
    assert.match(error.message, /Incorrect API key provided: \*\*\*/);
    // Logging the model object itself does not reveal the key either.
    const model = modelFor(server);
    for (const text of [inspect(model, { depth: 10, showHidden: true }), JSON.stringify(model)])
      assert.ok(!text.includes(KEY), 'key visible on the model object');
  });
});

test('unknown model: model-not-found naming the model and what the server offers', async () => {
  await withServer({ models: ['llama3.2', 'qwen2.5-coder'], rules: [{ reply: 'x' }] }, async (server) => {
    const e = await rejectsWith(modelFor(server, { model: 'gpt-9' }).chat(MESSAGES).done, 'model-not-found');
    assert.match(e.message, /Model "gpt-9" is not available/);
    assert.match(e.message, /The server offers: llama3\.2, qwen2\.5-coder\./);
    assert.equal(e.code, 'model_not_found');
    assert.deepEqual(await modelFor(server, { model: 'llama3.2' }).listModels(), ['llama3.2', 'qwen2.5-coder']);
  });
});

test('a base URL that misses /v1 is reported as such (404 on the endpoint, not the model)', async () => {
  await withServer({ rules: [{ reply: 'x' }] }, async (server) => {
    const model = new OpenAiCompatibleModel({ baseUrl: server.origin + '/api', model: 'm', retry: FAST_RETRY });
    const e = await rejectsWith(model.chat(MESSAGES).done, 'unreachable');
    assert.match(e.message, /404.*base URL is probably wrong.*\/v1/);
  });
});

test('a 200 HTML page (proxy, wrong URL) is a bad reply, not a crash', async () => {
  await withServer({ rules: [{ fault: { type: 'html' } }] }, async (server) => {
    const e = await rejectsWith(modelFor(server).chatMany(MESSAGES, 2), 'bad-reply');
    assert.match(e.message, /text instead of JSON/);
  });
});

test('connection refused: unreachable, fast, with a hint', async () => {
  const server = await startScriptedServer({ rules: [] });
  const url = server.url;
  await server.close();
  const model = new OpenAiCompatibleModel({ baseUrl: url, model: 'm', retry: FAST_RETRY });
  const e = await rejectsWith(model.chat(MESSAGES).done, 'unreachable');
  assert.match(e.message, /connection refused\. Is the server running/);
  const ollama = new OpenAiCompatibleModel({ baseUrl: url, model: 'm', vendor: 'ollama', retry: FAST_RETRY });
  assert.match((await rejectsWith(ollama.chat(MESSAGES).done, 'unreachable')).message, /ollama serve/);
});

test('an invalid base URL is a clear error at construction', () => {
  assert.throws(
    () => new OpenAiCompatibleModel({ baseUrl: 'localhost:11434', model: 'm' }),
    (e: unknown) => e instanceof LlmError && /not an http\(s\) URL/.test(e.message),
  );
});

const TLS = {
  key: readFileSync(join(__dirname, '../../fixtures/llm-server/tls/key.pem')),
  cert: readFileSync(join(__dirname, '../../fixtures/llm-server/tls/cert.pem')),
};

test('an untrusted certificate is a tls error that documents NODE_EXTRA_CA_CERTS; plain HTTP over https too', async () => {
  const server = await startScriptedServer({ rules: [{ reply: 'secure' }] }, { tls: TLS });
  try {
    const e = await rejectsWith(new OpenAiCompatibleModel({ baseUrl: server.url, model: 'm', retry: FAST_RETRY }).chat(MESSAGES).done, 'tls');
    assert.match(e.message, /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED/);
    assert.match(e.message, /NODE_EXTRA_CA_CERTS=/);
  } finally {
    await server.close();
  }
  await withServer({ rules: [{ reply: 'x' }] }, async (plain) => {
    const e = await rejectsWith(
      new OpenAiCompatibleModel({ baseUrl: plain.url.replace('http:', 'https:'), model: 'm', retry: FAST_RETRY }).chat(MESSAGES).done,
      'tls',
    );
    assert.match(e.message, /plain HTTP; use an http:\/\/ base URL/);
  });
});

test('with NODE_EXTRA_CA_CERTS the same server is trusted (separate process)', async () => {
  const server = await startScriptedServer({ rules: [{ reply: 'trusted' }] }, { tls: TLS });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'effopt-ca-'));
    const file = join(dir, 'child.ts');
    writeFileSync(
      file,
      `import { OpenAiCompatibleModel } from ${JSON.stringify(join(__dirname, '../../../src/core/llm/openai'))};
      const m = new OpenAiCompatibleModel({ baseUrl: ${JSON.stringify(server.url)}, model: 'm' });
      m.chat([{ role: 'user', content: 'hi' }]).done.then((r) => console.log(r.text), (e) => { console.log(e.kind, e.message); process.exit(3); });`,
    );
    // The server answers in this process while the child waits: spawn asynchronously.
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(__dirname, '../../fixtures/llm-server/tls/cert.pem') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, out);
    assert.equal(out.trim(), 'trusted');
  } finally {
    await server.close();
  }
});

test('cancellation: a hanging request rejects promptly with cancelled, and so does the retry wait', async () => {
  await withServer({ rules: [{ when: { model: 'hang' }, fault: { type: 'hang' } }, { fault: { type: 'rate-limit', retryAfter: 30 } }] }, async (server) => {
    const controller = new AbortController();
    const pending = modelFor(server, { model: 'hang' }).chat(MESSAGES, { signal: controller.signal }).done;
    setTimeout(() => controller.abort(), 50);
    await rejectsWith(pending, 'cancelled');
    const waiting = new AbortController();
    const slow = modelFor(server, { model: 'wait', retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 60_000 } }).chat(MESSAGES, {
      signal: waiting.signal,
    }).done;
    setTimeout(() => waiting.abort(), 100);
    await rejectsWith(slow, 'cancelled');
    await rejectsWith(modelFor(server).chat(MESSAGES, { signal: AbortSignal.abort() }).done, 'cancelled');
  });
});

test('quirks: refused max_tokens, temperature, stream_options and response_format are adapted once and remembered', async () => {
  await withServer({ refuse: ['max_tokens', 'temperature', 'stream_options', 'response_format'], rules: [{ reply: '{"ok": true}' }] }, async (server) => {
    const model = modelFor(server, { model: 'o3-mini', maxTokens: 500, temperature: 0.8 });
    const reply = await model.chat(MESSAGES, { json: true }).done;
    assert.equal(reply.text, '{"ok": true}');
    assert.equal(reply.usage, undefined, 'no stream_options, no usage: the sampler estimates');
    const outcomes = server.chatRequests().map((r) => r.outcome);
    assert.deepEqual(outcomes, ['400 max_tokens', '400 temperature', '400 stream_options', '400 response_format', 'reply']);
    const last = server.chatRequests().at(-1)!.body as Record<string, unknown>;
    assert.equal(last.max_completion_tokens, 500);
    assert.equal(last.max_tokens, undefined);
    assert.equal(last.temperature, undefined);
    await model.chat(MESSAGES, { json: true }).done;
    assert.equal(server.chatRequests().at(-1)!.outcome, 'reply', 'remembered: the next request goes straight through');
    assert.equal(server.chatRequests().length, 6);
  });
});

test('a plain 400 (context too long) is a bad-request error, not retried', async () => {
  await withServer(
    { rules: [{ fault: { type: 'status', status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens." } }] },
    async (server) => {
      const e = await rejectsWith(modelFor(server).chat(MESSAGES).done, 'bad-request');
      assert.match(e.message, /too long for model "gpt-4o-mini"/);
      assert.equal(server.chatRequests().length, 1);
    },
  );
});

test('Azure OpenAI: deployment URL, api-version query and api-key header', async () => {
  await withServer({ apiKey: KEY, rules: [{ reply: 'from azure' }] }, async (server) => {
    const model = new OpenAiCompatibleModel({
      baseUrl: server.origin,
      model: 'gpt-4o-mini',
      apiKey: KEY,
      azure: { apiVersion: '2024-10-21', deployment: 'my-deploy' },
      retry: FAST_RETRY,
    });
    assert.equal(model.info.vendor, 'azure');
    assert.equal((await model.chat(MESSAGES).done).text, 'from azure');
    const [req] = server.chatRequests();
    assert.equal(req.path, '/openai/deployments/my-deploy/chat/completions');
    assert.equal(req.query['api-version'], '2024-10-21');
    assert.equal(req.headers['api-key'], KEY);
    // Azure's v1 API is plain OpenAI under /openai/v1 with an api-key header.
    const v1 = new OpenAiCompatibleModel({
      baseUrl: server.origin + '/openai/v1',
      model: 'gpt-4o-mini',
      apiKey: KEY,
      azure: { apiVersion: 'unused' },
      retry: FAST_RETRY,
    });
    assert.equal((await v1.chat(MESSAGES).done).text, 'from azure');
    assert.equal(server.chatRequests()[1].path, '/openai/v1/chat/completions');
  });
});

test('a non-streaming body cut mid-way (native n) is retried like a dropped connection', async () => {
  await withServer({ rules: [{ when: { stream: false }, times: 1, fault: { type: 'cut-stream' } }, { reply: ['p', 'q'] }] }, async (server) => {
    const retries: RetryEvent[] = [];
    const replies = await modelFor(server, { onRetry: (e) => retries.push(e) }).chatMany(MESSAGES, 2);
    assert.deepEqual(
      replies.map((r) => r.text),
      ['p', 'q'],
    );
    assert.equal(retries.length, 1);
    assert.equal(retries[0].error.kind, 'server');
  });
});
