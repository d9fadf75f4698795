// Providers and their failures, as a user meets them: no VS Code language model, no key for
// OpenAI, a key the server refuses, an exhausted quota; the vscode.lm adapter's error mapping;
// the key kept in SecretStorage only.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LlmError } from '../../../src/core/llm';
import { LmChatModel, toLlmError } from '../../../src/extension/lmModel';
import { startScriptedServer } from '../../fixtures/llm-server/server';
import { configure, effopt, recordMessages, waitFor, workspaceUri } from '../helpers';
import { dedupeScript, quotaScript, TEST_KEY } from '../scripts';

const file = workspaceUri('dedupe.js');
const ref = { uri: file.toString(), qualifiedName: 'dedupe' };

async function runAndCollect(api: Awaited<ReturnType<typeof effopt>>) {
  const messages = recordMessages(api);
  try {
    const entry = await vscode.commands.executeCommand<{ report: { status: string } } | undefined>('effopt.optimizeFunction', ref);
    return { entry, shown: messages.shown };
  } finally {
    messages.stop();
  }
}

describe('effopt providers', function () {
  this.timeout(60_000);
  let restore: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await restore?.();
    restore = undefined;
    const api = await effopt();
    await api.ctx.extension.secrets.delete('effopt.apiKey');
    await vscode.commands.executeCommand('effopt.clearResults', { confirm: false });
  });

  it('vscode-lm without any model explains it and offers the ways out', async () => {
    const api = await effopt();
    assert.deepEqual(await vscode.lm.selectChatModels(), [], 'code-server has no language models');
    restore = await configure({ provider: 'vscode-lm', model: '' });
    const { entry, shown } = await runAndCollect(api);
    assert.equal(entry, undefined);
    const error = shown.find((m) => m.level === 'error');
    assert.ok(error, JSON.stringify(shown));
    assert.match(error.message, /no VS Code language model is available/);
    assert.deepEqual(error.actions, ['Select Model', 'Use an OpenAI-compatible Server']);
  });

  it('OpenAI without a key asks for one (with a button) before sending anything', async () => {
    const api = await effopt();
    restore = await configure({ provider: 'openai', baseUrl: 'https://api.openai.com/v1' });
    const { entry, shown } = await runAndCollect(api);
    assert.equal(entry, undefined);
    const error = shown.find((m) => m.level === 'error');
    assert.ok(error);
    assert.match(error.message, /no API key is set for https:\/\/api\.openai\.com\/v1/);
    assert.equal(error.actions[0], 'Set API Key');
  });

  it('a key the server refuses gives an auth message with "Set API Key", without the key in it', async () => {
    const api = await effopt();
    const server = await startScriptedServer(dedupeScript);
    const wrongKey = 'sk-wrong-key-abcdefghijklmnop0123';
    try {
      restore = await configure({ provider: 'openai', baseUrl: server.url, model: 'gpt-4o-mini', samples: 2, levels: [0, 3] });
      await api.ctx.extension.secrets.store('effopt.apiKey', wrongKey);
      await waitFor('the key store to see the key', async () => (await api.ctx.apiKeys.get()) === wrongKey);
      const { entry, shown } = await runAndCollect(api);
      assert.equal(entry?.report.status, 'failed');
      const error = shown.find((m) => m.level === 'error');
      assert.ok(error, JSON.stringify(shown));
      assert.ok(error.actions.includes('Set API Key'), JSON.stringify(error));
      assert.ok(!error.message.includes(wrongKey) && !error.message.includes(wrongKey.slice(6, 20)), error.message);
      assert.ok(
        server.requests.some((r) => r.outcome === '401'),
        'the server refused the key',
      );
    } finally {
      await server.close();
    }
  });

  it('an exhausted quota says so', async () => {
    const api = await effopt();
    const server = await startScriptedServer(quotaScript);
    try {
      restore = await configure({ provider: 'openai', baseUrl: server.url, model: 'gpt-4o-mini', samples: 2, levels: [0, 3] });
      const { entry, shown } = await runAndCollect(api);
      assert.equal(entry?.report.status, 'failed');
      const error = shown.find((m) => m.level === 'error');
      assert.ok(error);
      assert.match(error.message, /quota/i);
    } finally {
      await server.close();
    }
  });

  it('keeps the API key in SecretStorage, never in settings', async () => {
    const api = await effopt();
    await api.ctx.apiKeys.store(TEST_KEY);
    assert.equal(await api.ctx.extension.secrets.get('effopt.apiKey'), TEST_KEY);
    const cfg = vscode.workspace.getConfiguration('effopt');
    const values = JSON.stringify(Object.keys(cfg).map((k) => cfg.inspect(k)));
    assert.ok(!values.includes(TEST_KEY));
    assert.ok(api.ctx.apiKeys.secretsToRedact().includes(TEST_KEY));
  });
});

/** A LanguageModelChat double: streams the given fragments, or throws the given error. */
function fakeLm(fragments: string[], error?: Error, seen: vscode.LanguageModelChatMessage[][] = []): vscode.LanguageModelChat {
  return {
    id: 'fake-model',
    name: 'Fake Model',
    vendor: 'tests',
    family: 'fake',
    version: '1',
    maxInputTokens: 8000,
    countTokens: async (t: string | vscode.LanguageModelChatMessage) => (typeof t === 'string' ? t.length : 1),
    sendRequest: async (messages: vscode.LanguageModelChatMessage[], _options?: vscode.LanguageModelChatRequestOptions, token?: vscode.CancellationToken) => {
      seen.push(messages);
      if (error) throw error;
      async function* text() {
        for (const f of fragments) {
          if (token?.isCancellationRequested) throw new vscode.CancellationError();
          yield f;
        }
      }
      return { text: text(), stream: text() } as unknown as vscode.LanguageModelChatResponse;
    },
  } as unknown as vscode.LanguageModelChat;
}

describe('effopt vscode.lm adapter', () => {
  it('implements ChatModel: streams the reply, system prompt first as a user message', async () => {
    const seen: vscode.LanguageModelChatMessage[][] = [];
    const model = new LmChatModel(fakeLm(['Hello', ', ', 'world'], undefined, seen));
    assert.deepEqual(model.info, { id: 'fake-model', vendor: 'vscode-lm:tests', maxInputTokens: 8000 });
    const stream = model.chat([
      { role: 'system', content: 'be fast' },
      { role: 'user', content: 'optimize' },
    ]);
    const parts: string[] = [];
    for await (const p of stream) parts.push(p);
    assert.deepEqual(parts, ['Hello', ', ', 'world']);
    assert.equal((await stream.done).text, 'Hello, world');
    assert.equal(seen[0].length, 2);
    assert.equal(seen[0][0].role, vscode.LanguageModelChatMessageRole.User);
  });

  it('maps refused consent, quota and missing models to LlmError kinds with what to do', async () => {
    const cases: Array<[Error, string, RegExp]> = [
      [vscode.LanguageModelError.NoPermissions('no consent'), 'auth', /allow effopt/],
      [vscode.LanguageModelError.Blocked('quota'), 'rate-limited', /quota/],
      [vscode.LanguageModelError.NotFound('gone'), 'model-not-found', /Select Model/],
    ];
    for (const [error, kind, message] of cases) {
      const stream = new LmChatModel(fakeLm([], error)).chat([{ role: 'user', content: 'x' }]);
      await assert.rejects(stream.done, (e: unknown) => e instanceof LlmError && e.kind === kind && message.test(e.message));
    }
    assert.equal(toLlmError(new vscode.CancellationError(), { name: 'm', id: 'm' }).kind, 'cancelled');
  });

  it('cancels through the AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort();
    const stream = new LmChatModel(fakeLm(['a', 'b'])).chat([{ role: 'user', content: 'x' }], { signal: controller.signal });
    await assert.rejects(stream.done, (e: unknown) => e instanceof LlmError && e.kind === 'cancelled');
  });
});
