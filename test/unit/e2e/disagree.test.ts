// A buggy original: the scripted model's assertion tests (written from the docstring) contradict
// the code. B4's winning set excludes the original, the report says the tests disagree and lists
// the cases, and nothing is applied — not even with --apply.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUGGY_FUNCTION, BUGGY_SCRIPT, buggyScript } from './buggy';
import { SCRIPTED_MODEL, scriptText } from './examples';
import { parseReport, QUICK, runCli, scratchDir, startServer } from './helpers';

describe('effopt optimize on a buggy original (tests disagree)', () => {
  const scratch = scratchDir();
  after(() => scratch.remove());

  it('the committed server script is the one buggy.ts generates', () => {
    assert.equal(readFileSync(BUGGY_SCRIPT, 'utf8'), scriptText(buggyScript()), 'run: node --import tsx test/unit/e2e/make-script.ts');
  });

  it('flags the disagreement, lists the cases and applies nothing even with --apply', async () => {
    const server = await startServer(BUGGY_SCRIPT, scratch.dir);
    try {
      const file = join(scratch.dir, 'bands.js');
      const original = readFileSync(join(__dirname, 'fixtures', 'bands.js'), 'utf8');
      writeFileSync(file, original);
      const json = join(scratch.dir, 'report.json');
      const r = await runCli([
        'optimize',
        file,
        '--function',
        BUGGY_FUNCTION,
        '--base-url',
        server.url,
        '--model',
        SCRIPTED_MODEL,
        '--samples',
        '4',
        '--apply',
        '--json',
        json,
        '--quiet',
        ...QUICK,
      ]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.equal(readFileSync(file, 'utf8'), original, '--apply wrote nothing');
      assert.match(r.stderr, /not applied: the generated tests disagree with your function/);
      // The news first: the user's code fails tests (issue 13), then the verdict.
      assert.match(
        r.stdout,
        /Your code fails 3 of 5 generated tests — see why in the report; the tests disagree with your code and B4 sides with them: check your code or the tests; nothing is applied automatically/,
      );

      const report = parseReport(readFileSync(json, 'utf8'));
      assert.equal(report.status, 'tests-disagree', report.summary);
      // B4's winning set: the three rewrites that follow the docstring, not the original.
      assert.deepEqual(report.selection!.b4.top, ['c1', 'c2', 'c3']);
      assert.ok(!report.selection!.b4.top.includes('original'));
      assert.deepEqual(
        report.selection!.disagreements.map((d) => [d.testId, d.expectedText, d.originalText]),
        [
          ['a1', '[3]', '[2]'],
          ['a2', '[2]', '[0]'],
          ['a4', '[2, 2]', '[1, 1]'],
        ],
      );
      // The rewrite that matches the code is verified and faster, but only offered for review.
      assert.equal(report.proposal?.candidateId, 'c4');
      assert.equal(report.proposal?.autoApply, false);
      assert.equal(report.candidates.find((c) => c.id === 'c4')?.verification?.status, 'verified');
      for (const id of ['c1', 'c2', 'c3']) {
        const c = report.candidates.find((x) => x.id === id)!;
        assert.equal(c.status, 'wrong');
        assert.equal(c.verification?.firstFailure?.caseId, 'A/a1', 'differs from the original where the docstring and the code differ');
      }
    } finally {
      await server.close();
    }
  });
});
