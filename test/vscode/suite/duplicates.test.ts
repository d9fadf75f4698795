// Duplicate samples inside a real VS Code (issue 13): Optimize Function on duplicates.js against
// the scripted server's duplicates script (six rewrites: c3 repeats c1, c4 repeats c2). The
// repeats are reported as duplicates of their source with its outcome, and pass@1 counts all six.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import duplicates from '../../fixtures/llm-server/scripts/duplicates.json';
import type { EffoptApi } from '../../../src/extension/extension';
import type { ResultEntry } from '../../../src/extension/results';
import { effopt, scriptedProvider, workspaceUri } from '../helpers';
import { TEST_KEY } from '../scripts';

const file = workspaceUri('duplicates.js');

describe('effopt with duplicate samples', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let close: () => Promise<void>;

  before(async () => {
    api = await effopt();
    ({ close } = await scriptedProvider(api, { ...duplicates, apiKey: TEST_KEY }, { samples: 6, levels: [0, 3] }, file));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  });

  after(() => close());

  it('Optimize Function reports the repeats as duplicates with their source outcome, and pass@1 = 4/6', async () => {
    const entry = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', { uri: file.toString(), qualifiedName: 'dedupe' });
    assert.ok(entry, 'the run produced a result');
    const r = entry.report;
    assert.equal(r.status, 'improved', r.summary);
    const by = (id: string) => r.candidates.find((c) => c.id === id)!;
    const table = r.candidates.map((c) => `${c.id} ${c.status} e=${c.efficiency.score} ${c.efficiency.note ?? ''} ${c.reason}`).join('\n');
    for (const [dup, source] of [
      ['c3', 'c1'],
      ['c4', 'c2'],
    ]) {
      assert.equal(by(dup).status, 'duplicate', `${dup}: ${by(dup).reason}`);
      assert.equal(by(dup).duplicateOf, source);
      assert.equal(by(dup).efficiency.score, by(source).efficiency.score, table);
      assert.ok(by(dup).efficiency.passed, table);
      assert.equal(by(dup).verification?.status, 'verified');
    }
    assert.notEqual(r.winner?.id, 'c3');
    assert.notEqual(r.winner?.id, 'c4');
    assert.ok(Math.abs(r.effAtK[0].pass - 4 / 6) < 1e-9, `pass@1 = ${r.effAtK[0].pass}`);
  });
});
