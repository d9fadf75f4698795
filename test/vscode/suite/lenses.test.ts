// Code lenses on a sample file: which functions get one under each effopt.codeLens mode, hottest
// first, following edits, and cheap (one parse per document version).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { selectFunctions } from '../../../src/extension/codeLens';
import { configure, effopt, lenses, revert, waitFor, workspaceUri } from '../helpers';

describe('effopt code lenses', () => {
  const file = workspaceUri('dedupe.js');
  let restore: (() => Promise<void>) | undefined;

  before(async () => {
    await effopt();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  });

  afterEach(async () => {
    await restore?.();
    restore = undefined;
    await revert(file);
  });

  it('shows "⚡ Optimize" above hot functions only by default', async () => {
    const found = await waitFor('a lens', async () => {
      const l = await lenses(file);
      return l.length > 0 && l;
    });
    assert.deepEqual(
      found.map((l) => [l.line, l.title, l.command]),
      [[2, '⚡ Optimize', 'effopt.optimizeFunction']],
      'dedupe (line 3) is hot: a search inside a loop; add is not',
    );
    assert.deepEqual(found[0].args, [{ uri: file.toString(), qualifiedName: 'dedupe' }]);
  });

  it('"all" puts a lens on every optimizable function, hottest first; "off" on none', async () => {
    restore = await configure({ codeLens: 'all' });
    const all = await waitFor('two lenses', async () => {
      const l = await lenses(file);
      return l.length === 2 && l;
    });
    assert.deepEqual(
      all.map((l) => [l.line, l.title]),
      [
        [2, '⚡ Optimize'],
        [10, '⚡ Optimize'],
      ],
    );
    await vscode.workspace.getConfiguration('effopt').update('codeLens', 'off', vscode.ConfigurationTarget.Global);
    assert.deepEqual(await lenses(file), []);
  });

  it('follows edits: lenses move with their function and appear on new hot code', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(file, new vscode.Position(0, 0), '// a new first line\n');
    edit.insert(
      file,
      doc.positionAt(doc.getText().length),
      '\nfunction countPairs(xs) {\n  let n = 0;\n  for (const a of xs) for (const b of xs) if (xs.indexOf(a) < xs.indexOf(b)) n++;\n  return n;\n}\n',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await waitFor('lenses after the edit', async () => {
      const l = await lenses(file);
      return l.length === 2 && l;
    });
    const byLine = after.map((l) => [l.line, l.title]).sort((a, b) => (a[0] as number) - (b[0] as number));
    assert.deepEqual(byLine, [
      [3, '⚡ Optimize'],
      [17, '⚡ Optimize'],
    ]);
    // Hottest first (the order of lenses and of Optimize File): two nested loops with searches
    // outrank one loop with a search. (VS Code sorts lenses by position when it lists them.)
    const api = await effopt();
    const analysis = await api.ctx.documents.analysis(doc);
    assert.deepEqual(
      selectFunctions(analysis!.functions, 'all').map((f) => f.qualifiedName),
      ['countPairs', 'dedupe', 'add'],
    );
    assert.deepEqual(
      selectFunctions(analysis!.functions, 'hot').map((f) => f.qualifiedName),
      ['countPairs', 'dedupe'],
    );
  });

  it('parses a document version once, however often lenses are asked for', async () => {
    const api = await effopt();
    const doc = await vscode.workspace.openTextDocument(file);
    const first = await api.ctx.documents.analysis(doc);
    const again = await Promise.all([api.ctx.documents.analysis(doc), api.ctx.documents.analysis(doc), lenses(file)]);
    assert.ok(first);
    assert.equal(again[0], first, 'the same analysis object for the same version');
    assert.equal(again[1], first);
    assert.equal(first.version, doc.version);
  });
});
