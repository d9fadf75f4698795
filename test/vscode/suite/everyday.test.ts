// Everyday use of a run in VS Code: the lens follows the run's stage within a second; the
// completion toast fits what happened (generated tests the code fails, a file edited during the
// run, a cancelled batch, a refused key); messages carry effopt's name once; an unsaved buffer
// is told to save, not shown an error; Cancel is offered only while something runs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Stage } from '../../../src/core/pipeline';
import type { EffoptApi } from '../../../src/extension/extension';
import { STAGE_LABELS } from '../../../src/extension/progress';
import type { ResultEntry } from '../../../src/extension/results';
import { configure, effopt, lenses, recordMessages, scriptedProvider, setText, sleep, waitFor, workspaceUri } from '../helpers';
import { dedupeScript, disagreeScript } from '../scripts';

const file = workspaceUri('dedupe.js');
const ref = { uri: file.toString(), qualifiedName: 'dedupe' };
const STAGES = Object.keys(STAGE_LABELS) as Stage[];

/** The stage a "running" lens title names, or undefined. */
function lensStage(title: string): Stage | undefined {
  return STAGES.find((s) => title.includes(`: ${STAGE_LABELS[s]}…`));
}

const optimizeDedupe = (): Thenable<ResultEntry | undefined> => vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', ref);

describe('effopt everyday: runs', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let close: () => Promise<void>;

  before(async () => {
    api = await effopt();
    ({ close } = await scriptedProvider(api, dedupeScript, { samples: 6, levels: [0, 3] }, file));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    // As a user starts a run: from the lens on screen.
    await waitFor('the optimize lens', async () => (await lenses(file)).some((l) => l.title === '⚡ Optimize'));
  });

  after(() => close());

  it('the lens shows the stage of the run within a second of every stage change', async () => {
    const changes: Array<{ at: number; stage: Stage }> = [];
    const sub = api.ctx.runs.onDidChange(() => {
      const stage = api.ctx.runs.snapshot()?.progress?.stage;
      if (stage && changes[changes.length - 1]?.stage !== stage) changes.push({ at: Date.now(), stage });
    });
    const polls: Array<{ at: number; stage?: Stage }> = [];
    let running = true;
    // The extension host's own delays, to tell a slow lens from a blocked host in a failure.
    const blocked: Array<{ at: number; ms: number }> = [];
    let last = Date.now();
    const lagTimer = setInterval(() => {
      const now = Date.now();
      if (now - last > 250) blocked.push({ at: now, ms: now - last });
      last = now;
    }, 20);
    const poller = (async () => {
      while (running) {
        const titles = (await lenses(file)).map((l) => l.title);
        polls.push({ at: Date.now(), stage: titles.map(lensStage).find((s) => s !== undefined) });
        await sleep(50);
      }
    })();
    let entry: ResultEntry | undefined;
    let ended = 0;
    try {
      entry = await optimizeDedupe();
      ended = Date.now();
    } finally {
      running = false;
      sub.dispose();
      clearInterval(lagTimer);
      await poller;
    }
    assert.equal(entry?.report.status, 'improved', entry?.report.summary);
    assert.ok(changes.length >= 4, `stages seen: ${changes.map((c) => c.stage).join(', ')}`);
    const late: string[] = [];
    changes.forEach((c, i) => {
      // A stage that lasts a second must be on the lens within that second (this stage or a later one).
      const until = changes[i + 1]?.at ?? ended;
      if (until - c.at < 1000) return;
      const rank = STAGES.indexOf(c.stage);
      const seen = polls.find((p) => p.at >= c.at && p.stage !== undefined && STAGES.indexOf(p.stage) >= rank);
      if (!seen || seen.at - c.at > 1000) late.push(`${c.stage}: ${seen ? `${seen.at - c.at} ms` : 'never'}`);
    });
    const t0 = changes[0]?.at ?? 0;
    const timeline = [...changes.map((c) => `${c.at - t0} ${c.stage}`), ...blocked.map((b) => `${b.at - t0} host blocked ${b.ms} ms`)].sort(
      (a, b) => parseInt(a) - parseInt(b),
    );
    assert.deepEqual(late, [], `lens behind the run (${polls.length} polls): ${timeline.join('; ')}`);
  });

  it('sets effopt.running while a run goes, so Cancel shows only then', async () => {
    assert.equal(api.ctx.runs.runningContext, false);
    const seen: boolean[] = [];
    const sub = api.ctx.runs.onDidChange(() => seen.push(api.ctx.runs.runningContext));
    try {
      await optimizeDedupe();
    } finally {
      sub.dispose();
    }
    assert.ok(seen.includes(true), 'true during the run');
    assert.equal(api.ctx.runs.runningContext, false, 'false after it');
  });

  it('does not offer Apply when the file changed during the run, and offers Re-run', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    const original = doc.getText();
    const messages = recordMessages(api);
    let entry: ResultEntry | undefined;
    try {
      const running = optimizeDedupe();
      await waitFor(
        'the run to ask for rewrites',
        () => {
          const stage = api.ctx.runs.snapshot()?.progress?.stage;
          return stage !== undefined && STAGES.indexOf(stage) >= STAGES.indexOf('candidates');
        },
        60_000,
        10,
      );
      const edit = new vscode.WorkspaceEdit();
      edit.insert(file, new vscode.Position(doc.lineCount, 0), '\n// edited during the run\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      entry = await running;
    } finally {
      messages.stop();
    }
    assert.equal(entry?.report.status, 'improved', entry?.report.summary);
    const toast = messages.shown.find((m) => /changed during the run/.test(m.message));
    assert.ok(toast, JSON.stringify(messages.shown));
    assert.match(toast.message, /dedupe\.js changed during the run, so it cannot be applied to the current text/);
    assert.ok(!toast.actions.includes('Apply'), JSON.stringify(toast.actions));
    assert.deepEqual(toast.actions, ['Re-run', 'Show Report']);
    assert.ok(!messages.shown.some((m) => m.actions.includes('Apply')), 'no message offers Apply');
    // code-server auto-saves after a second (VS Code for the Web's default): put the file back on disk too.
    await setText(doc, original);
    await doc.save();
  });

  it('a cancelled batch says how far it got: "cancelled after 0 of 2 functions"', async () => {
    const undo = await configure({ codeLens: 'all' });
    const messages = recordMessages(api);
    try {
      const running = vscode.commands.executeCommand<Array<ResultEntry | undefined>>('effopt.optimizeFile', file);
      await waitFor('the first function to start', () => api.ctx.runs.snapshot()?.qualifiedName === 'dedupe', 30_000, 10);
      assert.equal(await vscode.commands.executeCommand('effopt.cancelRun'), true);
      await running;
      await api.ctx.runs.whenIdle();
    } finally {
      messages.stop();
      await undo();
    }
    const summary = messages.shown.find((m) => /^cancelled after/.test(m.message));
    assert.ok(summary, JSON.stringify(messages.shown));
    assert.equal(summary.message, 'cancelled after 0 of 2 functions.');
    assert.equal(summary.level, 'info');
  });
});

describe('effopt everyday: tests the code fails', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let close: () => Promise<void>;

  before(async () => {
    api = await effopt();
    ({ close } = await scriptedProvider(api, disagreeScript, { samples: 5, levels: [0, 3] }, file));
  });

  after(() => close());

  it('the lens and the toast say "your code fails N generated tests — see why", with See Why', async () => {
    const messages = recordMessages(api);
    let entry: ResultEntry | undefined;
    try {
      entry = await optimizeDedupe();
    } finally {
      messages.stop();
    }
    assert.ok(entry);
    const fails = entry.report.selection?.disagreements.length ?? 0;
    assert.ok(fails > 0, 'the script makes the original fail generated tests');
    const plural = fails === 1 ? 'test' : 'tests';
    const toast = messages.shown.find((m) => m.message.includes(`your code fails ${fails} generated ${plural} — see why`));
    assert.ok(toast, JSON.stringify(messages.shown));
    assert.equal(toast.actions[0], 'See Why');
    const titles = (await lenses(file)).map((l) => l.title);
    assert.equal(titles[0], `$(warning) Your code fails ${fails} generated ${plural} — see why`);
    const lens = (await lenses(file))[0];
    assert.equal(lens.command, 'effopt.showReport');
  });
});

describe('effopt everyday: messages', function () {
  this.timeout(60_000);
  let api: EffoptApi;

  before(async () => {
    api = await effopt();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('names effopt once: no "effopt: effopt …"', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'just text\n' });
    await vscode.window.showTextDocument(doc);
    const messages = recordMessages(api);
    try {
      await vscode.commands.executeCommand('effopt.optimizeFunction');
    } finally {
      messages.stop();
    }
    assert.equal(messages.shown.length, 1, JSON.stringify(messages.shown));
    assert.equal(messages.shown[0].text, 'effopt optimizes JavaScript, TypeScript and Python; this file is plaintext.');
    assert.ok(!/effopt: effopt/i.test(messages.shown[0].text));
  });

  it('an untitled buffer is told to save first, as information with Save As…', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'javascript',
      content: 'function dedupe(xs) {\n  const out = [];\n  for (const x of xs) if (!out.includes(x)) out.push(x);\n  return out;\n}\n',
    });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(2, 4, 2, 4);
    const messages = recordMessages(api);
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand('effopt.optimizeFunction');
    } finally {
      messages.stop();
    }
    assert.equal(result, undefined);
    assert.equal(messages.shown.length, 1, JSON.stringify(messages.shown));
    assert.equal(messages.shown[0].level, 'info');
    assert.match(messages.shown[0].text, /^effopt: save this untitled file to disk first/);
    assert.deepEqual(messages.shown[0].actions, ['Save As…']);
    assert.equal(api.ctx.runs.busy, false, 'nothing was queued');
  });
});
