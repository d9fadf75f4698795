// An instance method from lens to Apply inside a real VS Code (stock.js is the js/stock example, which
// the runner copies into the workspace): the tests the scripted server sends start every input with
// the instance's state, and the rewrite replaces only the method.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import examples from '../../fixtures/llm-server/scripts/examples.json';
import type { ScriptedServer } from '../../fixtures/llm-server/server';
import type { EffoptApi } from '../../../src/extension/extension';
import type { ResultEntry } from '../../../src/extension/results';
import { effopt, lenses, scriptedProvider, waitFor, workspaceUri } from '../helpers';
import { TEST_KEY } from '../scripts';

const file = workspaceUri('stock.js');

describe('effopt on an instance method', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let server: ScriptedServer;
  let close: () => Promise<void>;

  before(async () => {
    api = await effopt();
    ({ server, close } = await scriptedProvider(api, { ...examples, apiKey: TEST_KEY }, { samples: 3, levels: [0, 3] }, file));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  });

  after(() => close());

  it('shows a lens above the hot method, runs it, and Apply replaces only that method', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    const methodLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('reserve(order) {'));
    const before = await waitFor('the ⚡ Optimize lens above Stock.reserve', async () => {
      const l = await lenses(file);
      return l.some((x) => x.title === '⚡ Optimize' && x.line >= methodLine - 4 && x.line <= methodLine) && l;
    });
    assert.ok(
      before.every((x) => !/constructor/.test(String(x.args?.[0] && (x.args[0] as { qualifiedName?: string }).qualifiedName))),
      'no lens above the constructor',
    );

    const entry = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', {
      uri: file.toString(),
      qualifiedName: 'Stock.reserve',
    });
    assert.ok(entry, 'the run produced a result');
    const r = entry.report;
    assert.equal(r.status, 'improved', r.summary);
    assert.ok(r.winner && r.winner.speedup.low > 1, 'a speedup whose interval is above 1');
    // The tests' inputs start with the instance's state.
    const testsRequest = server.chatRequests().find((q) => JSON.stringify(q.body).includes("instance's state"));
    assert.ok(testsRequest, "the tests prompt asks for the instance's state first");

    const original = doc.getText();
    assert.equal(await vscode.commands.executeCommand('effopt.applyProposal', entry.key), 'applied');
    const after = doc.getText();
    assert.notEqual(after, original);
    const ctor = /constructor\(skus\) \{[\s\S]*?\n {2}\}/;
    assert.equal(after.match(ctor)?.[0], original.match(ctor)?.[0], 'the constructor is untouched');
    assert.equal(after.slice(after.indexOf('available()')), original.slice(original.indexOf('available()')), 'the other method is untouched');
    assert.match(after, /reserve\(order\) \{[\s\S]*new Set/);
  });
});
