// Property getters inside a real VS Code (issue 13): the ⚡ Optimize lens appears above a hot
// getter (JavaScript `get`, Python `@property`), and Optimize Function runs one end to end against
// the scripted server: its tests start with the instance's state only, and Apply replaces the
// getter, which stays a getter.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import getters from '../../fixtures/llm-server/scripts/getters.json';
import type { EffoptApi } from '../../../src/extension/extension';
import type { ResultEntry } from '../../../src/extension/results';
import { effopt, lenses, scriptedProvider, waitFor, workspaceUri } from '../helpers';
import { TEST_KEY } from '../scripts';

const jsFile = workspaceUri('getters.js');
const pyFile = workspaceUri('getters.py');

async function lensNear(file: vscode.Uri, marker: string): Promise<{ qualifiedName?: string }> {
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  const line = doc
    .getText()
    .split('\n')
    .findIndex((l) => l.includes(marker));
  assert.ok(line >= 0, `${marker} is in ${file.fsPath}`);
  const found = await waitFor(`the ⚡ Optimize lens above ${marker}`, async () =>
    (await lenses(file)).find((x) => x.title === '⚡ Optimize' && x.line >= line - 1 && x.line <= line),
  );
  return found.args[0] as { qualifiedName?: string };
}

describe('effopt on property getters', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let close: () => Promise<void>;

  before(async () => {
    api = await effopt();
    ({ close } = await scriptedProvider(api, { ...getters, apiKey: TEST_KEY }, { samples: 1, levels: [0, 1] }, jsFile));
  });

  after(() => close());

  it('shows the lens above a hot getter and a hot @property', async () => {
    assert.equal((await lensNear(jsFile, 'get uniqueCount()')).qualifiedName, 'Cart.uniqueCount');
    assert.equal((await lensNear(pyFile, 'def unique_count(self)')).qualifiedName, 'Cart.unique_count');
  });

  it('optimizes the getter and Apply keeps it a getter', async () => {
    const doc = await vscode.workspace.openTextDocument(jsFile);
    await vscode.window.showTextDocument(doc);
    const entry = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', {
      uri: jsFile.toString(),
      qualifiedName: 'Cart.uniqueCount',
    });
    assert.ok(entry, 'the run produced a result');
    const r = entry.report;
    assert.equal(r.function.kind, 'getter');
    assert.equal(r.status, 'improved', `${r.summary}\n${r.candidates.map((c) => `${c.id} ${c.status} ${c.reason}`).join('\n')}`);
    assert.equal(await vscode.commands.executeCommand('effopt.applyProposal', entry.key), 'applied');
    assert.match(doc.getText(), /get uniqueCount\(\) \{\n {4}return new Set\(this\.items\)\.size;\n {2}\}/);
    assert.ok(doc.getText().includes('constructor(items) {'), 'the rest of the class is kept');
  });
});
