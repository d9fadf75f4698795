// Results survive a window reload: stored in the workspace's storage, read back by a fresh
// store (what activation after a reload does), lenses come back, and a restored result is
// trusted only on the text its run read (by sha256). Clear Results asks first.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EffoptApi } from '../../../src/extension/extension';
import { ResultStore, type ResultEntry } from '../../../src/extension/results';
import { ResultStorage } from '../../../src/extension/resultStorage';
import { effopt, lenses, scriptedProvider, setText, waitFor, workspaceUri } from '../helpers';
import { dedupeScript } from '../scripts';

const file = workspaceUri('dedupe.js');
const ref = { uri: file.toString(), qualifiedName: 'dedupe' };

describe('effopt persistence across a reload', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let close: () => Promise<void>;
  let entry: ResultEntry;
  let original: string;

  const storage = (): ResultStorage => {
    const dir = api.ctx.extension.storageUri;
    assert.ok(dir, 'the test workspace has a storage folder');
    return new ResultStorage(api.ctx.extension.workspaceState, vscode.Uri.joinPath(dir, 'results'), api.ctx.log);
  };

  /** A second store on the same storage: what the next window's activation builds. */
  async function reloadedStore(): Promise<ResultStore> {
    await api.ctx.results.flush();
    const store = new ResultStore();
    await store.attachStorage(storage());
    return store;
  }

  before(async () => {
    api = await effopt();
    await api.ctx.restored;
    ({ close } = await scriptedProvider(api, dedupeScript, { samples: 6, levels: [0, 3] }, file));
    const doc = await vscode.workspace.openTextDocument(file);
    original = doc.getText();
    await vscode.window.showTextDocument(doc);
    const result = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', ref);
    assert.equal(result?.report.status, 'improved', result?.report.summary);
    entry = result;
  });

  after(() => close());

  it('stores the result and a fresh store reads it back, valid on the same text', async () => {
    const store = await reloadedStore();
    try {
      const back = store.get(entry.key);
      assert.ok(back, 'the result came back');
      assert.deepEqual(back.report, JSON.parse(JSON.stringify(entry.report)), 'the report as JSON (its contract)');
      assert.equal(back.source, entry.source);
      assert.equal(back.uri.toString(), file.toString());
      const doc = await vscode.workspace.openTextDocument(file);
      assert.equal(ResultStore.isCurrent(back, doc), true, 'same text (sha256): Apply may use it');
    } finally {
      store.dispose();
    }
  });

  it('lenses come back after the results are reloaded from storage', async () => {
    assert.equal(await api.ctx.results.reloadFromStorage(), 1);
    const titles = await waitFor('the verdict lens after the reload', async () => {
      const l = (await lenses(file)).map((x) => x.title);
      return l.some((t) => /faster \(verified\)$/.test(t)) && l;
    });
    assert.deepEqual(titles.slice(1), ['Diff', 'Apply', 'Dismiss']);
    assert.notEqual(api.ctx.results.get(entry.key), entry, 'a new entry object, read from storage');
  });

  it('a file whose function changed since the run makes the restored result stale', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    // The function itself changed (an edit elsewhere would leave the proposal valid, re-anchored).
    await setText(doc, original.replace('const out = [];', 'const out = []; // changed while effopt was closed'));
    assert.equal(await api.ctx.results.reloadFromStorage(), 1);
    const restored = api.ctx.results.get(entry.key);
    assert.ok(restored);
    await waitFor('the re-anchoring check of the restored result', () => ResultStore.isCurrent(restored, doc) === false);
    assert.match(ResultStore.staleReason(restored, doc) ?? '', /dedupe/);
    const titles = await waitFor('the stale lens', async () => {
      const l = (await lenses(file)).map((x) => x.title);
      return l.includes('Re-run') && l;
    });
    assert.match(titles[0], /^\$\(history\) /);
    assert.equal(await vscode.commands.executeCommand('effopt.applyProposal', entry.key), 'stale');
    // Back to the run's text: valid again after a reload. (code-server auto-saves edits after a
    // second, so the file on disk is put back too.)
    await setText(doc, original);
    await doc.save();
    await api.ctx.results.reloadFromStorage();
    assert.equal(ResultStore.isCurrent(api.ctx.results.get(entry.key)!, doc), true);
  });

  it('Clear Results asks first; declining keeps the results, agreeing removes them from storage too', async () => {
    const realConfirm = api.ctx.ui.confirm;
    const asked: string[] = [];
    try {
      api.ctx.ui.confirm = async (message) => {
        asked.push(message);
        return false;
      };
      assert.equal(await vscode.commands.executeCommand('effopt.clearResults'), false);
      assert.equal(api.ctx.results.all().length, 1, 'declined: kept');
      api.ctx.ui.confirm = async (message) => {
        asked.push(message);
        return true;
      };
      assert.equal(await vscode.commands.executeCommand('effopt.clearResults'), true);
    } finally {
      api.ctx.ui.confirm = realConfirm;
    }
    assert.deepEqual(asked, ['Clear 1 effopt result?', 'Clear 1 effopt result?']);
    assert.equal(api.ctx.results.all().length, 0);
    const store = await reloadedStore();
    try {
      assert.equal(store.all().length, 0, 'nothing comes back after a reload');
    } finally {
      store.dispose();
    }
  });
});
