// `effopt optimize` end to end on every example: the real CLI (dist/cli.js) against the scripted
// LLM server in its own process over real HTTP. The server answers with each example's tests
// and hand-written rewrites; the report must find a verified faster rewrite, reject the wrong
// ones with their failing case, time out the hanging one and call the slower one not faster.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CandidateReport } from '../../../src/core/pipeline/report';
import { EXAMPLES_SCRIPT, EXPECTED_STATUS, examplesScript, loadExamples, SCRIPTED_MODEL, scriptText, type Example } from './examples';
import { parseReport, QUICK, runCli, scratchDir, startServer, type ServerProcess } from './helpers';

const TIMED_CASE = /^L[1-9]\d*\//;

describe('effopt optimize on the examples (scripted LLM over HTTP)', () => {
  const scratch = scratchDir();
  let server: ServerProcess;
  before(async () => {
    server = await startServer(EXAMPLES_SCRIPT, scratch.dir);
  });
  after(async () => {
    await server?.close();
    scratch.remove();
  });

  it('the committed server script is the one the examples generate', () => {
    assert.equal(readFileSync(EXAMPLES_SCRIPT, 'utf8'), scriptText(examplesScript()), 'run: node --import tsx test/unit/e2e/make-script.ts');
  });

  for (const example of loadExamples()) {
    it(`${example.id}: finds a verified faster rewrite of ${example.function}`, async () => {
      const json = join(scratch.dir, `${example.id.replace('/', '-')}.json`);
      const before = readFileSync(example.file, 'utf8');
      const r = await runCli([
        'optimize',
        example.file,
        '--function',
        example.function,
        '--base-url',
        server.url,
        '--model',
        SCRIPTED_MODEL,
        '--samples',
        String(example.candidates.length),
        '--json',
        json,
        '--quiet',
        ...QUICK,
      ]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const report = parseReport(readFileSync(json, 'utf8'));
      assert.equal(readFileSync(example.file, 'utf8'), before, 'without --apply the file is untouched');
      checkReport(example, report);
      assert.match(r.stdout, new RegExp(`✔ ${example.function}: [\\d.]+× faster`), 'the terminal report states the verified speedup');
    });
  }

  it('asked the server for tests, rewrites and repairs, and every request matched a scripted rule', () => {
    const kinds = new Set(server.requests().map((q) => q.kind));
    assert.deepEqual([...kinds].sort(), ['optimize', 'repair', 'tests']);
    for (const q of server.requests()) assert.equal(q.outcome, 'reply', `request ${q.call} (${q.kind}): ${q.outcome}`);
  });
});

function checkReport(example: Example, report: ReturnType<typeof parseReport>): void {
  assert.equal(report.status, 'improved', report.summary);
  assert.equal(report.mode, 'optimize');
  assert.equal(report.tests.source, 'llm');
  assert.equal(report.llm?.model, SCRIPTED_MODEL);
  assert.ok(report.tests.cases > 0 && report.tests.dropped.length === 0, JSON.stringify(report.tests));
  const first = report.candidates.filter((c) => c.origin === 'llm');
  assert.equal(first.length, example.candidates.length);
  const byId = new Map<string, CandidateReport>();
  example.candidates.forEach((cand, i) => {
    const c = first[i];
    assert.equal(c.id, `c${i + 1}`);
    assert.equal(c.code?.trim(), cand.code.trim(), `c${i + 1} is ${cand.id}`);
    byId.set(cand.id, c);
    assert.ok(EXPECTED_STATUS[cand.kind].includes(c.status), `${example.id} ${cand.id} (${cand.kind}): ${c.status} — ${c.reason}`);
  });

  // The winner: a faster-and-correct rewrite whose whole interval clears the noise floor.
  const winner = report.candidates.find((c) => c.status === 'winner')!;
  assert.ok(winner, 'a winner');
  assert.equal(report.winner?.id, winner.id);
  assert.ok(example.candidates.some((c) => c.kind === 'faster' && byId.get(c.id) === winner) || winner.origin === 'repair', `winner ${winner.id}`);
  assert.ok(report.winner!.speedup.low > 1 + (report.benchmark?.noiseFloor ?? 0.05), JSON.stringify(report.winner));
  assert.equal(winner.verification?.status, 'verified');
  assert.equal(winner.verification?.failed, 0);
  // An exponential original (ts/edit-distance) gives speedups beyond 1000×: proposed, with a confirmation.
  assert.ok(report.proposal?.autoApply || report.proposal?.confirm?.why === 'implausible', 'an improved run proposes an edit to apply');
  assert.equal(report.proposal?.candidateId, winner.id);

  for (const cand of example.candidates) {
    const c = byId.get(cand.id)!;
    if (cand.kind === 'wrong-edge') {
      // Rejected with its failing case, and only edge cases fail: every large (timed) case passes.
      const v = c.verification!;
      assert.equal(v.status, 'failed');
      assert.ok(v.firstFailure?.caseId, 'the failing case is named');
      assert.ok(c.reason.includes(`(case ${v.firstFailure!.caseId})`), c.reason);
      assert.match(v.firstFailure!.diffText ?? '', /expected:[\s\S]*actual:/);
      assert.ok(!TIMED_CASE.test(v.firstFailure!.caseId), `fails on an edge case, not ${v.firstFailure!.caseId}`);
      const timed = v.cases.filter((x) => TIMED_CASE.test(x.caseId));
      assert.ok(timed.length >= 3 && timed.every((x) => x.status === 'pass'), `${cand.id} passes every timed case: ${JSON.stringify(timed)}`);
      assert.ok(v.passed > v.failed, `${cand.id} passes most cases (${v.passed} vs ${v.failed})`);
      assert.equal(c.efficiency.score, 0);
      assert.equal(c.timing, undefined, 'a wrong rewrite is never benchmarked');
    }
    if (cand.kind === 'hangs') {
      assert.match(c.reason, /timed out/);
      assert.equal(c.efficiency.score, 0);
    }
    if (cand.kind === 'slower') {
      assert.equal(c.verification?.status, 'verified');
      assert.ok(c.timing?.overall && !c.timing.overall.accepted, JSON.stringify(c.timing?.overall));
      assert.ok(c.timing.overall.estimate < 1 + (report.benchmark?.noiseFloor ?? 0.05), `${cand.id} is not faster: ${c.timing.overall.estimate}`);
    }
  }

  // The repair round: failing rewrites went back to the model once.
  const failing = first.filter((c) => c.status === 'wrong' || c.status === 'crashed').map((c) => c.id);
  const repairs = report.candidates.filter((c) => c.origin === 'repair');
  assert.deepEqual(repairs.map((c) => c.repairOf).sort(), failing.sort());
  if (example.id === 'js/dedupe') {
    const fixed = repairs.find((c) => c.repairOf === byId.get('object-keys')!.id)!;
    assert.equal(fixed.verification?.status, 'verified', fixed.reason);
    assert.ok(['winner', 'faster'].includes(fixed.status), fixed.reason);
  }
  for (const c of repairs) if (!(example.id === 'js/dedupe' && c.repairOf === byId.get('object-keys')!.id)) assert.equal(c.status, 'rejected', c.reason);
}
