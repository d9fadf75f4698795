// The efficiency report inside a real VS Code: numbers in plain words (input sizes, what the
// overall speedup and e_i are, candidates named by what changed, the research detail collapsed),
// the explanation as Markdown and the code coloured, Open Report in Editor, Export Markdown, and
// the panel following the function under the cursor.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import dedupe from '../../fixtures/llm-server/scripts/dedupe.json';
import { candidateLabel, candidateName } from '../../../src/core/pipeline/labels';
import { renderMarkdown } from '../../../src/core/pipeline/reportText';
import type { OptimizationReport } from '../../../src/core/pipeline/report';
import type { EffoptApi } from '../../../src/extension/extension';
import type { RenderedReport } from '../../../src/extension/reportView';
import type { ResultEntry } from '../../../src/extension/results';
import { effopt, recordMessages, scriptedProvider, waitFor, workspaceUri } from '../helpers';
import { TEST_KEY } from '../scripts';

const file = workspaceUri('dedupe.js');

const fence = (code: string, prose: string): string => '```javascript\n' + code + '\n```\n\n' + prose;

/** The model's explanation of the winning rewrite: Markdown, with markup that must stay text. */
const EXPLANATION = 'Use a **hash set** instead of `out.includes`:\n\n- one pass over `xs`\n- first occurrences kept\n\n<img src=x onerror="alert(1)">';

/** dedupe's tests from the shared script; one fast correct rewrite, one wrong (sorts), one as slow as the original. */
const script = {
  models: ['gpt-4o-mini'],
  apiKey: TEST_KEY,
  rules: [
    dedupe.rules.find((r) => r.when?.kind === 'tests' && !r.when.user)!,
    // A correct repair that is no faster than the original: it never competes with the winner.
    { when: { kind: 'repair' }, reply: fence('function dedupe(xs) {\n  return xs.filter((x, i) => xs.indexOf(x) === i);\n}', 'Keeps order.') },
    {
      when: { kind: 'optimize' },
      reply: [
        '```javascript\nfunction dedupe(xs) {\n  // one Set, one pass\n  return [...new Set(xs)];\n}\n```\n\n' + EXPLANATION,
        fence('function dedupe(xs) {\n  return [...new Set(xs)].sort((a, b) => a - b);\n}', 'Sorting makes the output canonical.'),
        fence('function dedupe(xs) {\n  return xs.filter((x, i) => xs.indexOf(x) === i);\n}', 'The filter keeps the first index of each value.'),
      ],
    },
  ],
};

function rendered(api: EffoptApi, surface: 'view' | 'editor', key: string, extra: (r: RenderedReport) => boolean = () => true): Promise<RenderedReport> {
  return waitFor(`the ${surface} to render ${key}`, () => {
    const r = api.ctx.report.rendered[surface];
    return r?.key === key && extra(r) && r;
  });
}

describe('effopt efficiency report', function () {
  this.timeout(180_000);
  let api: EffoptApi;
  let close: () => Promise<void>;
  let entry: ResultEntry;
  let addEntry: ResultEntry | undefined;
  let tmp: string;

  before(async () => {
    api = await effopt();
    ({ close } = await scriptedProvider(api, script, { samples: 3, levels: [0, 3] }, file));
    tmp = mkdtempSync(join(tmpdir(), 'effopt-report-'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const e = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', { uri: file.toString(), qualifiedName: 'dedupe' });
    assert.ok(e, 'a result');
    entry = e;
    assert.equal(entry.report.status, 'improved', entry.report.summary);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('contributes Open Report in Editor and Export Markdown, with buttons on the report view', async () => {
    const ext = vscode.extensions.getExtension('effopt.effopt')!;
    const contributes = ext.packageJSON.contributes as {
      commands: Array<{ command: string; title: string }>;
      menus: Record<string, Array<{ command: string; when?: string }>>;
    };
    const titles = Object.fromEntries(contributes.commands.map((c) => [c.command, c.title]));
    assert.equal(titles['effopt.openReportInEditor'], 'Open Report in Editor');
    assert.equal(titles['effopt.exportMarkdown'], 'Export Markdown');
    const onView = contributes.menus['view/title'].filter((m) => m.when === 'view == effopt.report').map((m) => m.command);
    assert.ok(onView.includes('effopt.openReportInEditor') && onView.includes('effopt.exportMarkdown'), onView.join(', '));
    const registered = await vscode.commands.getCommands(true);
    assert.ok(registered.includes('effopt.openReportInEditor') && registered.includes('effopt.exportMarkdown'));
  });

  it('says what the numbers mean: weighted geometric mean, input sizes, e_i scale, names by change', async () => {
    await vscode.commands.executeCommand('effopt.showReport', entry.key);
    const shown = await rendered(api, 'view', entry.key, (r) => /Verified speedup/.test(r.text));
    const winner = entry.report.candidates.find((c) => c.id === entry.report.winner!.id)!;
    assert.equal(candidateLabel(winner), 'hash set', 'the scripted winner explains itself');
    assert.match(shown.text, /weighted geometric mean of the speedups on each input size/);
    // Each timed level by its input size (measured by the harness), the original's time → the winner's, and its speedup.
    assert.match(shown.text, /n = [\d,]+: [\d.]+ (µs|ms|s) → [\d.]+ (µs|ms|s), [\d.]+×/);
    assert.match(shown.text, /1 = as fast as the original, 0 = wrong or as slow as the time limit \(α = 2 × the original's slowest time\)/);
    assert.ok(shown.text.includes(candidateName(winner)), `the winner named "${candidateName(winner)}"`);
    assert.match(shown.text, /sorting/, 'the wrong rewrite named by its change');
    // The research tables are there, collapsed: not in what the user sees until opened.
    assert.ok(shown.sections.includes('How the winner was chosen'), JSON.stringify(shown.sections));
    assert.ok(shown.collapsed.includes('How the winner was chosen'));
    for (const hidden of ['CodeT', 'MBR-exec', 'log score', 'Passing matrix']) {
      assert.ok(!shown.text.includes(hidden), `${hidden} is collapsed`);
      assert.ok(shown.allText.includes(hidden), `${hidden} is in the collapsed section`);
    }
    // eff@k and pass@k on separate axes; every bar colour explained by a legend.
    assert.equal(shown.inspect?.atKCharts, 2);
    assert.deepEqual(shown.inspect?.unexplainedBars, []);
    assert.match(shown.text, /pass@k \(probability\)/);
  });

  it('renders the explanation as Markdown and the rewritten function coloured, markup as text', async () => {
    const shown = await rendered(api, 'view', entry.key);
    const tags = shown.inspect!.explanationTags;
    for (const tag of ['p', 'strong', 'code', 'ul', 'li']) assert.ok(tags.includes(tag), `<${tag}> in the explanation (${tags.join(', ')})`);
    assert.ok(!tags.includes('img'), 'no element from the model’s HTML');
    assert.ok(shown.text.includes('<img src=x onerror="alert(1)">'), 'the model’s HTML is shown as text');
    assert.ok(!shown.text.includes('**hash set**') && !shown.text.includes('`out.includes`'), 'Markdown markers are rendered, not shown');
    const tokens = shown.inspect!.codeTokens;
    assert.ok((tokens['tok-keyword'] ?? 0) >= 3, JSON.stringify(tokens));
    assert.ok((tokens['tok-comment'] ?? 0) >= 1, JSON.stringify(tokens));
  });

  it('shows a duplicate as "same as …" (not rejected) and input sizes when the report has them', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    const r: OptimizationReport = structuredClone(entry.report);
    const other = r.candidates.find((c) => c.id !== r.winner!.id && c.status !== 'winner')!;
    other.status = 'duplicate';
    other.duplicateOf = r.winner!.id;
    r.benchmark!.inputSizes = r.benchmark!.original.map((o, i) => ({ n: 1000 * (i + 1), text: `n = ${(1000 * (i + 1)).toLocaleString('en-US')}` }));
    const slow = r.candidates.find((c) => c.status === 'not-faster' || c.status === 'wrong')!;
    const firstTimed = r.benchmark!.original[0];
    slow.reason = `significantly slower on level ${firstTimed.level} (0.5×)`;
    const injected = api.ctx.results.add({ uri: file, qualifiedName: 'dedupe', version: doc.version, source: entry.source, report: r });
    await vscode.commands.executeCommand('effopt.showReport', injected.key);
    const shown = await rendered(api, 'view', injected.key, (x) => x.text.includes(`same as ${r.winner!.id}`));
    const rejected = /Rejected candidates[\s\S]*$/.exec(shown.text)?.[0] ?? '';
    assert.ok(!rejected.includes(candidateName(other)), 'the duplicate is not listed under Rejected');
    const timedLevel = r.candidates.find((c) => c.id === r.winner!.id)!.timing!.levels.find((l) => l.speedup)!.level;
    const i = r.benchmark!.original.findIndex((o) => o.level === timedLevel);
    assert.ok(shown.text.includes(`${r.benchmark!.inputSizes![i]!.text}: `), 'the input size names the level');
    assert.ok(shown.text.includes(`significantly slower on ${r.benchmark!.inputSizes![0]!.text} (0.5×)`), 'reasons name input sizes too');
    // Back to the real result.
    api.ctx.results.add({ uri: file, qualifiedName: 'dedupe', version: doc.version, source: entry.source, report: entry.report });
  });

  it('Export Markdown writes exactly the CLI’s Markdown, to a path or through the save dialog', async () => {
    const current = api.ctx.results.get(entry.key)!;
    const target = join(tmp, 'report.md');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('effopt.exportMarkdown', entry.key, target);
    assert.equal(written?.fsPath, target);
    assert.equal(readFileSync(target, 'utf8'), renderMarkdown(current.report, current.source));
    // A file that cannot be written: a clear error, nothing returned.
    const messages = recordMessages(api);
    try {
      assert.equal(await vscode.commands.executeCommand('effopt.exportMarkdown', entry.key, tmp), undefined);
    } finally {
      messages.stop();
    }
    assert.ok(
      messages.shown.some((m) => m.level === 'error' && m.message.startsWith(`could not write ${tmp}`)),
      JSON.stringify(messages.shown),
    );
    // Without a path: the save dialog (answered here) picks the file; cancelling writes nothing.
    const picked = vscode.Uri.file(join(tmp, 'picked.md'));
    const realSave = api.ctx.ui.saveFile;
    const asked: vscode.SaveDialogOptions[] = [];
    try {
      api.ctx.ui.saveFile = async (options) => (asked.push(options), picked);
      assert.equal((await vscode.commands.executeCommand<vscode.Uri>('effopt.exportMarkdown'))?.fsPath, picked.fsPath);
      assert.equal(readFileSync(picked.fsPath, 'utf8'), renderMarkdown(current.report, current.source));
      assert.match(asked[0].defaultUri!.fsPath, /dedupe\.effopt\.md$/);
      api.ctx.ui.saveFile = async () => undefined;
      assert.equal(await vscode.commands.executeCommand('effopt.exportMarkdown', entry.key), undefined);
    } finally {
      api.ctx.ui.saveFile = realSave;
    }
  });

  it('Open Report in Editor opens the report in a webview tab, sharing the side view’s selection', async () => {
    assert.equal(await vscode.commands.executeCommand('effopt.openReportInEditor', entry.key), true);
    const tab = await waitFor('the report tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('effopt.reportEditor')),
    );
    assert.equal(tab.label, 'effopt: Efficiency Report');
    const shown = await rendered(api, 'editor', entry.key, (r) => /Verified speedup/.test(r.text));
    assert.equal(shown.inspect?.surface, 'editor');
    assert.ok(shown.sections.includes('Winner'));
    // A second call reveals the same tab instead of opening another.
    await vscode.commands.executeCommand('effopt.openReportInEditor');
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('effopt.reportEditor'));
    assert.equal(tabs.length, 1);
    await vscode.window.tabGroups.close(tabs);
  });

  it('follows the function under the cursor when it has a result', async () => {
    addEntry = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', { uri: file.toString(), qualifiedName: 'add' });
    assert.ok(addEntry, 'add has a result');
    await vscode.commands.executeCommand('effopt.showReport', addEntry.key);
    await rendered(api, 'view', addEntry.key);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const text = editor.document.getText();
    const at = (needle: string): vscode.Position => editor.document.positionAt(text.indexOf(needle));
    editor.selection = new vscode.Selection(at('out.push(x)'), at('out.push(x)'));
    await rendered(api, 'view', entry.key);
    assert.equal(api.ctx.report.shownKey, entry.key);
    editor.selection = new vscode.Selection(at('a + b'), at('a + b'));
    await rendered(api, 'view', addEntry.key);
    // Outside every function: the panel keeps what it shows.
    editor.selection = new vscode.Selection(at('module.exports'), at('module.exports'));
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(api.ctx.report.shownKey, addEntry.key);
    assert.equal(api.ctx.report.rendered.view?.key, addEntry.key);
  });
});
