// Ctrl-C: SIGINT to the CLI mid-benchmark and mid-LLM-request. The run exits 130 with a
// "cancelled" report of what finished, and no sandboxed process outlives it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { examplesScript, functionPattern, loadExamples, SCRIPTED_MODEL } from './examples';
import { descendantsOf, isHarness, parseReport, processTable, scratchDir, startCli, startServer, stillRunning, type Proc } from './helpers';

const leaderboard = loadExamples().find((e) => e.id === 'ts/leaderboard')!;

/** Waits until the CLI has a sandboxed harness below it, and returns its process subtree. */
async function harnessTree(pid: number, timeoutMs = 60_000): Promise<Proc[]> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const tree = descendantsOf(pid);
    if (tree.some(isHarness)) return tree;
    await sleep(100);
  }
  throw new Error('no harness process appeared below the CLI');
}

/** The sandboxes' throw-away work directories named in their command lines. */
const workDirs = (procs: readonly Proc[]): string[] => [...new Set(procs.flatMap((p) => p.args.match(/\/[^\s'"]*effopt-sbx-[A-Za-z0-9]+/g) ?? []))];

/** Polls until none of the processes is left (a killed process group takes a moment to be reaped). */
async function gone(procs: readonly Proc[], timeoutMs = 5000): Promise<Proc[]> {
  const until = Date.now() + timeoutMs;
  let left = stillRunning(procs);
  while (left.length > 0 && Date.now() < until) {
    await sleep(100);
    left = stillRunning(procs);
  }
  return left;
}

describe('cancelling a run (SIGINT)', () => {
  const scratch = scratchDir();
  after(() => scratch.remove());

  it('mid-benchmark: exits 130, reports what finished, leaves no sandbox process or work dir', async () => {
    const json = join(scratch.dir, 'cancelled.json');
    const cli = startCli([
      'evaluate',
      leaderboard.file,
      '--function',
      leaderboard.function,
      '--candidates',
      leaderboard.candidatesDir,
      '--tests',
      leaderboard.testsFile,
      '--timeout-ms',
      '1000',
      '--json',
      json,
    ]);
    await cli.waitForStderr(/effopt: benchmark…/);
    const tree = await harnessTree(cli.child.pid!);
    const harnesses = tree.filter(isHarness);
    assert.ok(harnesses.length > 0);
    const dirs = workDirs(tree);
    assert.ok(dirs.length > 0 && dirs.every((d) => existsSync(d)), `work dirs while running: ${dirs.join(', ')}`);
    await sleep(300);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /cancelling/);
    assert.match(r.stdout, /Cancelled: liveRanks/);
    const report = parseReport(readFileSync(json, 'utf8'));
    assert.equal(report.status, 'cancelled');
    // Verification had finished: its verdicts are kept; nothing got a speedup.
    assert.ok(
      report.candidates.some((c) => c.status === 'wrong'),
      JSON.stringify(report.candidates.map((c) => c.status)),
    );
    assert.ok(!report.candidates.some((c) => c.status === 'winner'));
    assert.equal(report.proposal, undefined);

    assert.deepEqual(await gone(tree), [], 'every process the CLI started is gone');
    const anywhere = processTable().filter((p) => isHarness(p) && dirs.some((d) => p.args.includes(d)));
    assert.deepEqual(anywhere, [], 'no harness on the machine still uses this run’s work dirs');
    for (const d of dirs) assert.ok(!existsSync(d), `work dir ${d} removed`);
  });

  it('while waiting for the LLM: exits 130 promptly, no sandbox left', async () => {
    const dedupe = loadExamples().find((e) => e.id === 'js/dedupe')!;
    const script = examplesScript([dedupe]);
    // The model never answers the rewrite request.
    script.rules.unshift({ when: { kind: 'optimize', user: functionPattern(dedupe.function) }, fault: { type: 'hang' } });
    const server = await startServer(script, scratch.dir);
    try {
      const json = join(scratch.dir, 'cancelled-llm.json');
      const cli = startCli([
        'optimize',
        dedupe.file,
        '--function',
        dedupe.function,
        '--base-url',
        server.url,
        '--model',
        SCRIPTED_MODEL,
        '--samples',
        '3',
        '--json',
        json,
      ]);
      await cli.waitForStderr(/effopt: candidates…/);
      const until = Date.now() + 30_000;
      while (!server.requests().some((q) => q.kind === 'optimize') && Date.now() < until) await sleep(50);
      assert.ok(
        server.requests().some((q) => q.kind === 'optimize'),
        'the rewrite request reached the server',
      );
      const tree = descendantsOf(cli.child.pid!);
      const sent = Date.now();
      cli.child.kill('SIGINT');
      const r = await cli.done;
      assert.equal(r.code, 130, r.stderr);
      assert.ok(Date.now() - sent < 10_000, 'cancelled promptly');
      const report = parseReport(readFileSync(json, 'utf8'));
      assert.equal(report.status, 'cancelled');
      assert.equal(report.tests.source, 'llm');
      assert.ok(report.tests.generators > 0, 'the tests that had arrived are in the report');
      assert.deepEqual(await gone(tree), []);
    } finally {
      await server.close();
    }
  });
});
