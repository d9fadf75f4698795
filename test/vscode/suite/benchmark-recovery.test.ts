// A benchmark whose sandbox workers are killed from outside (as the OS's out-of-memory killer
// would) while it times: the run completes, and its verdict (report summary, completion message)
// names the level that could not be measured and the kill, never a verdict on the rewrite.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EffoptApi } from '../../../src/extension/extension';
import type { ResultEntry } from '../../../src/extension/results';
import { effopt, recordMessages, scriptedProvider, waitFor, workspaceUri } from '../helpers';
import { dedupeScript } from '../scripts';

const file = workspaceUri('dedupe.js');

describe('effopt: a benchmark that loses its sandbox', function () {
  this.timeout(120_000);
  let api: EffoptApi;
  let close: () => Promise<void>;

  before(async () => {
    api = await effopt();
    ({ close } = await scriptedProvider(api, dedupeScript, { samples: 6, levels: [0, 3] }, file));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  });

  after(() => close());

  it('every worker killed while timing: the completion message names the lost level and the kill', async () => {
    let killing = false;
    let kills = 0;
    // From the first "timing level" progress until the benchmark stage ends, every sandbox the
    // extension runs (and every restart of one) gets SIGKILL, like an out-of-memory killer.
    const killer = setInterval(() => {
      const p = api.ctx.runs.snapshot()?.progress;
      if (p?.stage === 'benchmark' && /^timing level/.test(p.message ?? '')) killing = true;
      else if (p && p.stage !== 'benchmark') killing = false;
      if (!killing) return;
      for (const pid of api.liveSandboxPids()) {
        try {
          process.kill(-pid, 'SIGKILL');
          kills++;
        } catch {
          // already gone
        }
      }
    }, 5);
    const messages = recordMessages(api);
    let entry: ResultEntry | undefined;
    try {
      entry = await vscode.commands.executeCommand<ResultEntry | undefined>('effopt.optimizeFunction', { uri: file.toString(), qualifiedName: 'dedupe' });
    } finally {
      clearInterval(killer);
    }
    assert.ok(kills > 0, 'sandboxes were killed while timing');
    assert.ok(entry, 'the run produced a result');
    const r = entry.report;
    assert.equal(r.status, 'no-improvement', r.summary);
    assert.match(
      r.summary,
      /^No verified speedup for dedupe: level \d+ \(n = [\d,]+\) could not be measured( for [\w-]+)?: .*killed by SIGKILL, not by effopt/,
    );
    assert.doesNotMatch(r.summary, /does not clear|TLE|ERR/);
    const shown = await waitFor('the completion message', () => messages.shown.find((m) => m.message === r.summary));
    messages.stop();
    assert.ok(shown.actions.length > 0, 'it offers the report');
    const levels = r.benchmark?.original ?? [];
    assert.ok(
      levels.some((l) => /^could not be measured: /.test(l.failure ?? '')),
      JSON.stringify(levels),
    );
    assert.equal(r.benchmark?.inputSizes?.length, levels.length, 'one input size per level');
    assert.ok(
      r.candidates.filter((c) => c.status === 'not-faster').every((c) => /could not be measured/.test(c.reason)),
      JSON.stringify(r.candidates.map((c) => [c.id, c.status, c.reason])),
    );
    await waitFor('no sandbox left', () => api.liveSandboxPids().length === 0);
  });
});
