// Settings people look for first: Select Model lists the models the server offers (GET
// /v1/models on the scripted server), says so when the server refuses the key and still takes a
// typed name; a refused key during a run is said as such; the view title has a settings gear.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { renderMarkdown } from '../../../src/core/pipeline/reportText';
import type { EffoptApi } from '../../../src/extension/extension';
import type { ResultEntry } from '../../../src/extension/results';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';
import { configure, effopt, EXTENSION_ID, lenses, recordMessages, waitFor, workspaceUri } from '../helpers';
import { dedupeScript, TEST_KEY } from '../scripts';

const file = workspaceUri('dedupe.js');

describe('effopt settings and model picker', function () {
  this.timeout(60_000);
  let api: EffoptApi;
  let server: ScriptedServer;
  let restore: () => Promise<void>;
  const realPick = () => api.ctx.ui.pick;
  let pick: EffoptApi['ctx']['ui']['pick'];
  let input: EffoptApi['ctx']['ui']['input'];

  before(async () => {
    api = await effopt();
    pick = realPick();
    input = api.ctx.ui.input;
    server = await startScriptedServer({ ...dedupeScript, models: ['gpt-4o-mini', 'qwen2.5-coder:7b', 'llama3.1:8b'] });
    restore = await configure({ provider: 'openai', baseUrl: server.url, model: 'gpt-4o-mini' });
  });

  afterEach(async () => {
    api.ctx.ui.pick = pick;
    api.ctx.ui.input = input;
    await api.ctx.extension.secrets.delete('effopt.apiKey');
  });

  after(async () => {
    await restore();
    await server.close();
  });

  /** Runs Select Model, answering its quick pick with `choose` (given the item labels). */
  async function selectModel(
    choose: (labels: string[]) => string | undefined,
    typed?: string,
  ): Promise<{ labels: string[]; details: string[]; result: unknown }> {
    let labels: string[] = [];
    let details: string[] = [];
    api.ctx.ui.pick = async (items) => {
      labels = items.map((i) => i.label);
      details = items.map((i) => i.detail ?? '');
      const wanted = choose(labels);
      return items.find((i) => i.label === wanted);
    };
    api.ctx.ui.input = async () => typed;
    const result = await vscode.commands.executeCommand('effopt.selectModel');
    return { labels, details, result };
  }

  it('Select Model lists the models the server offers and switches to the chosen one', async () => {
    await api.ctx.extension.secrets.store('effopt.apiKey', TEST_KEY);
    await waitFor('the key store to see the key', async () => (await api.ctx.apiKeys.get()) === TEST_KEY);
    const { labels, result } = await selectModel(() => '$(server) qwen2.5-coder:7b');
    assert.deepEqual(
      labels.filter((l) => l.startsWith('$(server)')),
      ['$(server) gpt-4o-mini', '$(server) llama3.1:8b', '$(server) qwen2.5-coder:7b'],
    );
    assert.ok(
      server.requests.some((r) => r.outcome === 'models'),
      'the picker asked GET /v1/models',
    );
    assert.deepEqual(result, { provider: 'openai', model: 'qwen2.5-coder:7b' });
    assert.equal(vscode.workspace.getConfiguration('effopt').get('model'), 'qwen2.5-coder:7b');
  });

  it('a refused key is said in the list, and a typed model name still works', async () => {
    await api.ctx.extension.secrets.store('effopt.apiKey', 'sk-wrong-key-abcdefghijklmnop0123');
    await waitFor('the key store to see the key', async () => (await api.ctx.apiKeys.get()) === 'sk-wrong-key-abcdefghijklmnop0123');
    const { labels, details, result } = await selectModel(() => '$(edit) Type a model name…', 'my-model');
    const error = labels.findIndex((l) => l.startsWith('$(error)'));
    assert.ok(error >= 0, labels.join(' | '));
    assert.equal(labels[error], '$(error) The server refused the API key: set it with "effopt: Set API Key"');
    assert.match(details[error], /refused the API key \(HTTP 401\)/);
    assert.ok(!labels.some((l) => l.startsWith('$(server)')));
    assert.deepEqual(result, { provider: 'openai', model: 'my-model' });
    assert.equal(vscode.workspace.getConfiguration('effopt').get('model'), 'my-model');
  });

  it('an unreachable server is said in the list', async () => {
    const undo = await configure({ baseUrl: 'http://127.0.0.1:9/v1' });
    try {
      const { labels, result } = await selectModel(() => undefined);
      assert.ok(labels.includes('$(error) The server could not be reached: check effopt.baseUrl'), labels.join(' | '));
      assert.equal(result, undefined);
    } finally {
      await undo();
    }
  });

  it('a run whose key the server refuses says "refused the API key", not bad input', async () => {
    const undo = await configure({ model: 'gpt-4o-mini', samples: 2, levels: [0, 3] });
    await api.ctx.extension.secrets.store('effopt.apiKey', 'sk-wrong-key-abcdefghijklmnop0123');
    await waitFor('the key store to see the key', async () => (await api.ctx.apiKeys.get()) === 'sk-wrong-key-abcdefghijklmnop0123');
    const messages = recordMessages(api);
    try {
      const entry = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', { uri: file.toString(), qualifiedName: 'dedupe' });
      assert.equal(entry?.report.status, 'failed');
      assert.match(renderMarkdown(entry.report), /\nTests: none \(the run failed before tests were made\)\.\n/);
    } finally {
      messages.stop();
      await undo();
      await vscode.commands.executeCommand('effopt.clearResults', { confirm: false });
    }
    const error = messages.shown.find((m) => m.level === 'error');
    assert.ok(error, JSON.stringify(messages.shown));
    assert.match(error.message, /^dedupe: .* refused the API key \(HTTP 401\)/);
    assert.ok(!/input/i.test(error.message), error.message);
    assert.equal(error.actions[0], 'Set API Key');
  });

  it("the walkthrough's sample opens as a real file, with its lens", async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('effopt.openSample');
    assert.equal(uri.scheme, 'file', 'saved on disk, so it can run');
    assert.ok(uri.fsPath.startsWith(api.ctx.extension.globalStorageUri.fsPath), uri.fsPath);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.match(vscode.window.activeTextEditor!.document.getText(), /function dedupe\(xs\)/);
    await waitFor("the sample's lens", async () => (await lenses(uri)).some((l) => l.title === '⚡ Optimize'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("the report view has a settings gear that opens effopt's settings", async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const titleMenu = ext.packageJSON.contributes.menus['view/title'] as Array<{ command: string; when: string }>;
    assert.ok(titleMenu.some((m) => m.command === 'effopt.openSettings' && /view == effopt\.report/.test(m.when)));
    assert.ok((await vscode.commands.getCommands(true)).includes('effopt.openSettings'));
    await vscode.commands.executeCommand('effopt.openSettings');
  });
});
