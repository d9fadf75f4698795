// `effopt optimize` with the scripted server's dedupe script: a plainly wrong rewrite (sorts its
// output) is rejected with its failing case and diff, a duplicate is not re-run (it has its
// source's outcome), a changed signature and a prose-only reply never run, and the repair round turns the wrong rewrite into a verified one.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SCRIPTED_MODEL, SCRIPTS_DIR } from './examples';
import { parseReport, QUICK, runCli, scratchDir, startServer } from './helpers';

const ORIGINAL = `// Keeps the first occurrence of every value, in order.
function dedupe(xs) {
  const out = [];
  for (const x of xs) if (!out.includes(x)) out.push(x);
  return out;
}

module.exports = { dedupe };
`;

describe('effopt optimize rejects what must not win', () => {
  const scratch = scratchDir();
  after(() => scratch.remove());

  it('a wrong rewrite is rejected with its failing case; a duplicate takes its source outcome; signature changes and prose never run', async () => {
    const server = await startServer(join(SCRIPTS_DIR, 'dedupe.json'), scratch.dir);
    try {
      const file = join(scratch.dir, 'dedupe.js');
      writeFileSync(file, ORIGINAL);
      const json = join(scratch.dir, 'report.json');
      const r = await runCli([
        'optimize',
        file,
        '--function',
        'dedupe',
        '--base-url',
        server.url,
        '--model',
        SCRIPTED_MODEL,
        '--samples',
        '6',
        '--json',
        json,
        '--quiet',
        ...QUICK,
      ]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const report = parseReport(readFileSync(json, 'utf8'));
      assert.equal(report.status, 'improved', report.summary);
      const by = new Map(report.candidates.map((c) => [c.id, c]));
      assert.ok(['winner', 'faster'].includes(by.get('c1')!.status));
      assert.ok(['winner', 'faster'].includes(by.get('c2')!.status));

      const wrong = by.get('c3')!;
      assert.equal(wrong.status, 'wrong');
      const failure = wrong.verification!.firstFailure!;
      assert.ok(wrong.reason.endsWith(`(case ${failure.caseId})`), wrong.reason);
      assert.match(failure.diffText!, new RegExp(`^case ${failure.caseId.replace(/[/.]/g, '\\$&')}: input \\(`));
      assert.match(failure.diffText!, /expected: returned \[[\s\S]*actual: {3}returned \[/);
      assert.equal(wrong.timing, undefined);

      // c4 is c1 again: not re-run, it has c1's outcome (issue 13), and is not a rejection.
      assert.equal(by.get('c4')!.status, 'duplicate');
      assert.equal(by.get('c4')!.duplicateOf, 'c1');
      assert.equal(by.get('c4')!.reason, 'same code as c1 (not re-run)');
      assert.deepEqual(by.get('c4')!.verification, by.get('c1')!.verification);
      assert.equal(by.get('c4')!.timing, undefined);
      assert.equal(by.get('c5')!.status, 'rejected');
      assert.match(by.get('c5')!.reason, /changed the signature/);
      assert.equal(by.get('c6')!.status, 'rejected');
      assert.match(by.get('c6')!.reason, /no code/);
      for (const id of ['c5', 'c6']) assert.equal(by.get(id)!.verification, undefined, `${id} never ran`);

      // Only the wrong one went back for repair (rejected replies have nothing to repair); the repair is verified.
      const repairs = report.candidates.filter((c) => c.origin === 'repair');
      assert.deepEqual(
        repairs.map((c) => [c.id, c.repairOf]),
        [['c3r', 'c3']],
      );
      assert.equal(repairs[0].verification?.status, 'verified');
      assert.ok(['winner', 'faster'].includes(repairs[0].status), repairs[0].reason);
      assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
    } finally {
      await server.close();
    }
  });
});
