// A sandbox worker killed from outside during a benchmark (the OS's out-of-memory killer, say):
// the restarted worker gets its inputs again and the benchmark completes with every level; when
// the worker cannot be brought back, the level is said to be lost to the sandbox, never turned
// into a verdict about the rewrite. Real sandboxes, real SIGKILLs (of this test's own sandboxes).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { benchmark } from '../../../src/core/exec/benchmark/benchmark';
import { liveSandboxPids } from '../../../src/core/exec/sandbox/sandbox';
import type { BenchmarkRequest, ProgressEvent } from '../../../src/core/exec/types';
import { noImprovementSummary } from '../../../src/core/pipeline/optimize';
import { leftovers } from './helpers';

const quick: Partial<BenchmarkRequest> = { repeats: 3, budgetMsPerLevel: 60, warmupMs: 3, resamples: 200 };
const limits = { timeoutMs: 5000, memoryMb: 256 };

after(async () => {
  assert.deepEqual(await leftovers(), []);
});

/** Kills every sandbox this process runs, the way the OS would: SIGKILL to the whole group. */
function killAllSandboxes(): number {
  let killed = 0;
  for (const pid of liveSandboxPids()) {
    try {
      process.kill(-pid, 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}

// A fast O(n) function and an equally fast rewrite, on 1,000 and 20,000 items.
const request = (onProgress: (e: ProgressEvent) => void): BenchmarkRequest => ({
  language: 'javascript',
  original: { moduleText: 'function total(xs) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s }', entry: 'total' },
  candidates: [{ id: 'c1', moduleText: 'function total(xs) { let s = 0; for (const x of xs) s += x; return s }', entry: 'total' }],
  generators: [
    { level: 1, language: 'javascript', code: 'function generate(rng) { return [[Array.from({ length: 1000 }, () => Math.floor(rng() * 100))]] }' },
    {
      level: 2,
      language: 'javascript',
      code: 'function generate(rng) { return [[Array.from({ length: 20000 }, () => Math.floor(rng() * 100))], [Array.from({ length: 500 }, () => 1)]] }',
    },
  ],
  limits,
  ...quick,
  onProgress,
});

test('every worker killed before and within level 2: restarted workers get their inputs again and every level is measured', async () => {
  const kills: string[] = [];
  const r = await benchmark(
    request((e) => {
      // Before level 2's inputs are built, and in its second round, when every worker holds them.
      if (/^timing level 2: \d+ cases/.test(e.message) || e.message === 'timing level 2: round 2 of 3') kills.push(`${e.message}: ${killAllSandboxes()}`);
    }),
  );
  assert.equal(kills.length, 2, JSON.stringify(kills));
  // Which workers are alive at an instant depends on scheduling (a worker may be between a
  // restart and its next request): at least one is killed each time.
  assert.ok(
    kills.every((k) => !k.endsWith(': 0')),
    `a worker killed each time: ${JSON.stringify(kills)}`,
  );
  const text = JSON.stringify(r);
  assert.doesNotMatch(text, /has no input set/);
  assert.equal(r.lostLevels, undefined, JSON.stringify(r.lostLevels));
  assert.ok(r.restarts >= kills.length, `restarts: ${r.restarts}`);
  // The kill within the level: a worker that held level 2's input set got it back.
  assert.ok(
    r.notes.some((n) => /^sandbox of (original|c1) restarted \(\d+\) after a kill; its \d+ input set\(s\) were built again \([^)]*g1/.test(n)),
    JSON.stringify(r.notes),
  );
  assert.deepEqual(
    r.original.levels.map((l) => [l.level, l.cases.length, l.worst !== null]),
    [
      [1, 1, true],
      [2, 2, true],
    ],
  );
  const c1 = r.candidates[0];
  assert.equal(c1.status, 'ok', c1.reason);
  assert.deepEqual(
    c1.speedups.map((s) => s.level),
    [1, 2],
  );
  assert.ok(c1.verdict === 'accepted' || c1.verdict === 'not-clear' || c1.verdict === 'slower', `${c1.verdict}: ${c1.reason}`);
  assert.doesNotMatch(c1.reason, /SIGKILL|could not be measured/);
  assert.deepEqual(r.inputSizes, [
    { level: 1, n: 1000 },
    { level: 2, n: 20000 },
  ]);
});

test('a worker that cannot be brought back: level 2 could not be measured, and the verdict says so and why', async () => {
  let killer: NodeJS.Timeout | undefined;
  const r = await benchmark(
    request((e) => {
      // From level 2's first round until the timing ends, every worker (and every restart) is killed.
      if (e.message === 'timing level 2: round 1 of 3' && !killer) {
        killAllSandboxes();
        killer = setInterval(killAllSandboxes, 5);
      }
      if (e.message === 'timing done' && killer) clearInterval(killer);
    }),
  ).finally(() => clearInterval(killer));
  assert.ok(killer, 'the kills started');
  assert.doesNotMatch(JSON.stringify(r), /has no input set/);
  assert.equal(r.lostLevels?.length, 1, JSON.stringify(r.lostLevels));
  const lost = r.lostLevels![0];
  assert.equal(lost.level, 2);
  assert.match(lost.reason, /sandbox worker of (original|c1) .*SIGKILL, not by effopt/);
  const level2 = r.original.levels.find((l) => l.level === 2)!;
  assert.equal(level2.worst, null);
  assert.equal(level2.lost, lost.reason);
  assert.ok(r.original.levels.find((l) => l.level === 1)?.worst, 'level 1 was measured');
  assert.ok(
    r.notes.some((n) => n.startsWith('level 2 (n = 20,000) could not be measured: ')),
    JSON.stringify(r.notes),
  );

  const c1 = r.candidates[0];
  assert.equal(c1.accepted, false);
  assert.equal(c1.verdict, 'lost-level', c1.reason);
  assert.match(c1.reason, /^level 2 \(n = 20,000\) could not be measured: .*SIGKILL/);
  assert.doesNotMatch(c1.reason, /TLE|ERR|does not clear/);
  // The run's verdict line names the cause, not the rewrite.
  const summary = noImprovementSummary('total', 1, 1, r.candidates, r.noiseFloor);
  assert.match(summary, /^No verified speedup for total: level 2 \(n = 20,000\) could not be measured: .*SIGKILL/);
  assert.doesNotMatch(summary, /does not clear/);
});

test('Python: a worker killed within a level gets its inputs again; the level is measured', async () => {
  let killed = 0;
  const r = await benchmark({
    language: 'python',
    original: { moduleText: 'def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n', entry: 'total' },
    candidates: [{ id: 'c1', moduleText: 'def total(xs):\n    return sum(xs)\n', entry: 'total' }],
    generators: [{ level: 1, language: 'python', code: 'def generate(rng):\n    return [([rng.randrange(100) for _ in range(20000)],)]\n' }],
    limits,
    ...quick,
    onProgress: (e) => {
      if (e.message === 'timing level 1: round 2 of 3') killed = killAllSandboxes();
    },
  });
  assert.ok(killed >= 1, `killed ${killed}`);
  assert.doesNotMatch(JSON.stringify(r), /has no input set/);
  assert.equal(r.lostLevels, undefined, JSON.stringify(r.lostLevels));
  assert.ok(
    r.notes.some((n) => /^sandbox of (original|c1) restarted/.test(n) && n.includes('were built again (g0')),
    JSON.stringify(r.notes),
  );
  assert.ok(r.original.levels[0].worst, 'level 1 measured');
  assert.deepEqual(
    r.candidates[0].speedups.map((s) => s.level),
    [1],
  );
  assert.deepEqual(r.inputSizes, [{ level: 1, n: 20000 }]);
});
