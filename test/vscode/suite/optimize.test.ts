// The whole loop inside a real VS Code against the scripted OpenAI-compatible server: lens →
// run → proposal → diff → apply (and refusal after an edit) → report panel; flagged results;
// Optimize File; cancellation that leaves no process behind; no secret in the log.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ScriptedServer } from '../../fixtures/llm-server/server';
import type { EffoptApi } from '../../../src/extension/extension';
import type { ResultEntry } from '../../../src/extension/results';
import { configure, effopt, isAlive, lenses, recordMessages, scriptedProvider, setText, waitFor, workspaceUri } from '../helpers';
import { dedupeScript, disagreeScript, TEST_KEY } from '../scripts';

const file = workspaceUri('dedupe.js');
const ref = { uri: file.toString(), qualifiedName: 'dedupe' };

async function optimizeDedupe(): Promise<ResultEntry> {
  const entry = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', ref);
  assert.ok(entry, 'the run produced a result');
  return entry;
}

describe('effopt optimize → diff → apply', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let server: ScriptedServer;
  let close: () => Promise<void>;
  let entry: ResultEntry;
  let original: string;

  before(async () => {
    api = await effopt();
    // Small levels keep each run to seconds on a busy 2-core machine.
    ({ server, close } = await scriptedProvider(api, dedupeScript, { samples: 6, levels: [0, 3] }, file));
    const doc = await vscode.workspace.openTextDocument(file);
    original = doc.getText();
    await vscode.window.showTextDocument(doc);
  });

  after(() => close());

  it('Optimize Function produces a verified proposal, with progress through the stages', async () => {
    const stages = new Set<string>();
    let concurrent = 0;
    const sub = api.ctx.runs.onDidChange(() => {
      const snap = api.ctx.runs.snapshot();
      if (snap?.progress) stages.add(snap.progress.stage);
      if (snap) concurrent = Math.max(concurrent, 1);
    });
    try {
      entry = await optimizeDedupe();
    } finally {
      sub.dispose();
    }
    const r = entry.report;
    assert.equal(r.status, 'improved', r.summary);
    assert.ok(r.proposal, 'a proposal');
    assert.equal(r.proposal.autoApply, true);
    assert.match(r.proposal.newText, /new Set/);
    assert.ok(r.winner && r.winner.speedup.low > 1, 'a speedup whose interval is above 1');
    for (const s of ['tests', 'candidates', 'verify', 'benchmark']) assert.ok(stages.has(s), `progress reported stage ${s} (saw ${[...stages].join(', ')})`);
    // The key from SecretStorage reached the server (it answers 401 without it).
    assert.ok(server.chatRequests().length >= 2);
    assert.ok(server.requests.every((q) => q.outcome !== '401'));
    assert.equal(api.ctx.runs.busy, false);
  });

  it('the lens turns into the verdict with Diff · Apply · Dismiss', async () => {
    const titles = await waitFor('result lenses', async () => {
      const l = (await lenses(file)).filter((x) => x.line === 2).map((x) => x.title);
      return l.some((t) => /faster \(verified\)$/.test(t)) && l;
    });
    assert.equal(titles.length, 4);
    assert.match(titles[0], /^\d+(\.\d+)?× faster \(verified\)$/);
    assert.deepEqual(titles.slice(1), ['Diff', 'Apply', 'Dismiss']);
  });

  it('opens the diff between the file and the proposed file', async () => {
    assert.equal(await vscode.commands.executeCommand('effopt.showDiff', entry.key), true);
    const tab = await waitFor('the diff tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputTextDiff && t;
    });
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.toString(), file.toString());
    assert.equal(input.modified.scheme, 'effopt-proposal');
    assert.match(tab.label, /dedupe\.js ↔ effopt: dedupe \(\d/);
    const proposed = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(proposed.getText(), entry.report.proposal!.newText);
  });

  it('the report panel renders the result', async () => {
    await vscode.commands.executeCommand('effopt.showReport', entry.key);
    const shown = await waitFor('the panel to render the result', () => {
      const r = api.ctx.report.lastRendered;
      return r?.key === entry.key && /Verified speedup/.test(r.text) && r;
    });
    for (const title of [
      'Winner',
      'Speedup per input size',
      'Efficiency e_i per rewrite',
      'eff@k and pass@k (k = 1…6)',
      'Candidates (7)',
      'How the winner was chosen',
      'Tokens, cost and time',
    ]) {
      assert.ok(shown.sections.includes(title), `section "${title}" in ${JSON.stringify(shown.sections)}`);
    }
    assert.ok(shown.sections.some((s) => /^Rejected candidates \(\d+\)$/.test(s)));
    assert.match(shown.text, /dedupe/);
    assert.match(shown.text, new RegExp(`${entry.report.winner!.id}`));
    // B4 against the baselines and the passing matrix: in the collapsed "How the winner was chosen".
    assert.match(shown.allText, /CodeT/);
    assert.match(shown.allText, /MaxPass/);
    assert.match(shown.allText, /Passing matrix/);
    assert.match(shown.text, /wrong result/, 'the sorting candidate is shown as wrong');
    assert.match(shown.text, /changed the signature/, 'a rejection reason');
    assert.match(shown.text, /gpt-4o-mini/);
    assert.match(shown.text, /\d+ in \+ \d+ out/);
  });

  it('keeps the panel state when it is hidden and shown again', async () => {
    const before = api.ctx.report.lastRendered!;
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the panel to hide', () => !api.ctx.report.visible);
    await vscode.commands.executeCommand('effopt.showReport');
    await waitFor('the panel to show', () => api.ctx.report.visible);
    const again = await waitFor('a render after showing', () => api.ctx.report.lastRendered !== before && api.ctx.report.lastRendered);
    assert.equal(again.key, before.key);
    assert.deepEqual(again.sections, before.sections);
  });

  it('refuses to Apply after the function was edited, and offers to re-run', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    const edit = new vscode.WorkspaceEdit();
    // Inside dedupe: an edit elsewhere in the file would leave the proposal valid (see proposals.test.ts).
    edit.insert(file, new vscode.Position(3, 0), '  // edited after the run\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const edited = doc.getText();
    const messages = recordMessages(api);
    try {
      assert.equal(await vscode.commands.executeCommand('effopt.applyProposal', entry.key), 'stale');
    } finally {
      messages.stop();
    }
    assert.equal(doc.getText(), edited, 'the document is untouched');
    const warning = messages.shown.find((m) => m.level === 'warning');
    assert.ok(warning, 'a warning');
    assert.match(warning.message, /changed since this rewrite of dedupe was proposed, so it was not applied: `dedupe` itself changed/);
    assert.deepEqual(warning.actions, ['Re-run', 'Show Diff']);
    const titles = (await lenses(file)).map((l) => l.title);
    assert.ok(titles.includes('Re-run'), `a Re-run lens (${titles.join(' · ')})`);
    // Back to exactly the text the run read: the proposal is valid again.
    await setText(doc, original);
  });

  it('Apply writes the proposal in one edit, and undo restores the original', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    assert.equal(doc.getText(), original);
    assert.equal(await vscode.commands.executeCommand('effopt.applyProposal', entry.key), 'applied');
    assert.equal(doc.getText(), entry.report.proposal!.newText);
    assert.ok(!doc.getText().includes('out.includes'), 'the quadratic search is gone');
    const titles = await waitFor('the applied lens', async () => {
      const l = (await lenses(file)).map((x) => x.title);
      return l.some((t) => t.includes('Applied')) && l;
    });
    assert.match(titles[0], /^\$\(check\) Applied: .*faster$/);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor('undo', () => doc.getText() === original);
    // After undo the proposal applies again (same text), then Dismiss discards it.
    await waitFor('the proposal lens again', async () => (await lenses(file)).some((l) => l.title === 'Apply'));
  });

  it('Dismiss discards the result and the lens returns to "⚡ Optimize"', async () => {
    assert.equal(await vscode.commands.executeCommand('effopt.dismissProposal', entry.key), true);
    assert.equal(api.ctx.results.get(entry.key), undefined);
    const titles = await waitFor('the optimize lens', async () => {
      const l = (await lenses(file)).map((x) => x.title);
      return l.length === 1 && l;
    });
    assert.deepEqual(titles, ['⚡ Optimize']);
    const noProposal = await vscode.commands.executeCommand('effopt.applyProposal', entry.key);
    assert.equal(noProposal, 'no-proposal');
  });

  it('Optimize File queues the hot functions and runs them one at a time', async () => {
    const undo = await configure({ codeLens: 'all' });
    const seen: string[] = [];
    const sub = api.ctx.runs.onDidChange(() => {
      const snap = api.ctx.runs.snapshot();
      if (snap && seen[seen.length - 1] !== snap.qualifiedName) seen.push(snap.qualifiedName);
    });
    let results: Array<ResultEntry | undefined>;
    try {
      results = await vscode.commands.executeCommand<Array<ResultEntry | undefined>>('effopt.optimizeFile', file);
    } finally {
      sub.dispose();
      await undo();
    }
    assert.deepEqual(seen, ['dedupe', 'add'], 'hottest first, one after the other');
    assert.equal(results.length, 2);
    assert.equal(results[0]?.report.status, 'improved');
    // The script only knows dedupe: add's run ends without a verified rewrite, but it ran.
    assert.ok(results[1], 'add was run');
    assert.notEqual(results[1]!.report.status, 'improved');
    await vscode.commands.executeCommand('effopt.clearResults', { confirm: false });
    assert.equal(api.ctx.results.all().length, 0);
  });

  it('optimizes a Python function the same way', async () => {
    const py = workspaceUri('dedupe.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(py));
    const result = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', { uri: py.toString(), qualifiedName: 'dedupe' });
    assert.ok(result);
    assert.equal(result.report.status, 'improved', result.report.summary);
    assert.equal(result.report.function.language, 'python');
    assert.match(result.report.proposal!.newText, /set\(|dict\.fromkeys/);
    const titles = await waitFor('the Python verdict lens', async () => {
      const l = (await lenses(py)).map((x) => x.title);
      return l.some((t) => /faster \(verified\)$/.test(t)) && l;
    });
    assert.deepEqual(titles.slice(1), ['Diff', 'Apply', 'Dismiss']);
    await vscode.commands.executeCommand('effopt.clearResults', { confirm: false });
  });

  it('Cancel stops a run and leaves no sandbox process behind', async () => {
    // The default four levels make the benchmark long enough to cancel in the middle of it.
    const undo = await configure({ levels: [0, 3, 3, 4] });
    const seenPids = new Set<number>();
    let running: Thenable<ResultEntry | undefined> | undefined;
    try {
      running = vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', ref);
      await waitFor(
        'sandbox processes during verification or benchmarking',
        () => {
          const stage = api.ctx.runs.snapshot()?.progress?.stage;
          const pids = api.liveSandboxPids();
          for (const p of pids) seenPids.add(p);
          return (stage === 'benchmark' || stage === 'verify') && pids.length > 0;
        },
        60_000,
        10,
      );
      assert.equal(await vscode.commands.executeCommand('effopt.cancelRun'), true);
      const result = await running;
      assert.equal(result?.report.status, 'cancelled');
    } finally {
      await undo();
    }
    assert.equal(api.ctx.runs.busy, false);
    assert.deepEqual(api.liveSandboxPids(), []);
    assert.ok(seenPids.size > 0);
    await waitFor('every sandbox process to be gone', () => [...seenPids].every((p) => !isAlive(p)), 5_000);
    const titles = (await lenses(file)).map((l) => l.title);
    assert.deepEqual(titles, ['⚡ Optimize'], 'a cancelled run leaves the lens ready for another');
  });

  it('never writes the API key to the output log', async () => {
    const logDir = dirname(api.ctx.extension.logUri.fsPath);
    const files = await waitFor(
      'the effopt log file',
      () => {
        const found = findFiles(logDir, (p) => /effopt/i.test(p) && p.endsWith('.log')).filter((p) => readFileSync(p, 'utf8').includes('optimizing dedupe'));
        return found.length > 0 && found;
      },
      10_000,
      200,
    );
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      assert.ok(!text.includes(TEST_KEY), `${f} contains the API key`);
      assert.ok(!text.includes(TEST_KEY.slice(8, 24)), `${f} contains part of the API key`);
      assert.match(text, /OpenAI-compatible server http:\/\/127\.0\.0\.1:\d+\/v1, model gpt-4o-mini/);
    }
  });
});

describe('effopt flagged results (tests disagree with the code)', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let close: () => Promise<void>;

  before(async () => {
    api = await effopt();
    ({ close } = await scriptedProvider(api, disagreeScript, { samples: 5, levels: [0, 3] }, file));
  });

  after(() => close());

  it('never applies a flagged proposal without a second, explicit confirmation', async () => {
    const messages = recordMessages(api);
    const entry = await optimizeDedupe();
    messages.stop();
    assert.equal(entry.report.status, 'tests-disagree', entry.report.summary);
    assert.ok(entry.report.proposal);
    assert.equal(entry.report.proposal.autoApply, false);
    assert.ok(messages.shown.some((m) => m.level === 'warning' && /disagree/.test(m.message)));
    const titles = (await lenses(file)).map((l) => l.title);
    assert.match(titles[0], /^\$\(warning\) Your code fails \d+ generated tests? — see why$/);
    assert.ok(titles.includes('Apply…'));

    const doc = await vscode.workspace.openTextDocument(file);
    const before = doc.getText();
    const asked: string[] = [];
    const realConfirm = api.ctx.ui.confirm;
    try {
      api.ctx.ui.confirm = async (message) => {
        asked.push(message);
        return false;
      };
      assert.equal(await vscode.commands.executeCommand('effopt.applyProposal', entry.key), 'declined');
      assert.equal(doc.getText(), before, 'declined: the file is untouched');
      api.ctx.ui.confirm = async (message) => {
        asked.push(message);
        return true;
      };
      assert.equal(await vscode.commands.executeCommand('effopt.applyProposal', entry.key), 'applied');
    } finally {
      api.ctx.ui.confirm = realConfirm;
    }
    assert.equal(asked.length, 2);
    assert.match(asked[0], /The generated tests disagree with your code on dedupe/);
    assert.equal(doc.getText(), entry.report.proposal.newText);
  });

  it('shows the disagreement in the report panel', async () => {
    const key = api.ctx.results.all()[0].key;
    await vscode.commands.executeCommand('effopt.showReport', key);
    const shown = await waitFor('the flagged report', () => {
      const r = api.ctx.report.lastRendered;
      return r?.key === key && /Tests disagree with your code/.test(r.text) && r;
    });
    assert.match(shown.text, /Tests your code fails/);
    assert.match(shown.allText, /Agrees with B4/);
  });
});

function findFiles(dir: string, match: (path: string) => boolean, depth = 4): string[] {
  if (depth < 0 || !existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...findFiles(p, match, depth - 1));
    else if (match(p)) out.push(p);
  }
  return out;
}
