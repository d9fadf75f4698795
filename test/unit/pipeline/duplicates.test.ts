// Duplicate samples (issue 13): six rewrites from the scripted server over real HTTP, run in the
// real sandbox, of which c3 is c1 again (reformatted, a comment) and c4 is exactly c2. A duplicate
// is not re-run but keeps its own place among the n samples: it has the outcome and e_i of the
// code it duplicates, so pass@1 is 4/6 (not 2/6), and it is shown as "same as c1".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSettings } from '../../../src/core/config';
import { createChatModel } from '../../../src/core/llm';
import { optimize, type OptimizationReport } from '../../../src/core/pipeline';
import { renderMarkdown, renderTerminal } from '../../../src/core/pipeline/reportText';
import { effAtKs, passAtK } from '../../../src/core/score';
import { startScriptedServer } from '../../fixtures/llm-server/server';

const DEDUPE = `// keeps the first occurrence of each item
function dedupe(xs) {
  const out = [];
  for (const x of xs) {
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

module.exports = { dedupe };
`;

let server: Awaited<ReturnType<typeof startScriptedServer>>;
let report: OptimizationReport;

before(async () => {
  server = await startScriptedServer(JSON.parse(readFileSync(join(__dirname, '../../fixtures/llm-server/scripts/duplicates.json'), 'utf8')));
  const settings = resolveSettings({ baseUrl: server.url, model: 'gpt-4o-mini', samples: 6, levels: [0, 3] });
  report = await optimize({
    filePath: '/tmp/effopt-test/dedupe.js',
    source: DEDUPE,
    functionName: 'dedupe',
    settings,
    model: createChatModel(settings, 'sk-test'),
    bench: { repeats: 4, budgetMsPerLevel: 150, warmupMs: 20 },
  });
});
after(() => server.close());

const by = (id: string) => {
  const c = report.candidates.find((x) => x.id === id);
  assert.ok(c, `candidate ${id} is reported`);
  return c;
};

test('a duplicate has the status, outcome, e_i and B4 rank of the code it duplicates, and is not re-run', () => {
  assert.equal(report.status, 'improved', report.summary);
  for (const [dup, source] of [
    ['c3', 'c1'],
    ['c4', 'c2'],
  ]) {
    const d = by(dup);
    const s = by(source);
    assert.equal(d.status, 'duplicate');
    assert.equal(d.duplicateOf, source);
    assert.equal(d.reason, `same code as ${source} (not re-run)`);
    assert.equal(d.efficiency.score, s.efficiency.score);
    assert.equal(d.efficiency.passed, true);
    assert.deepEqual(d.efficiency.levelScores, s.efficiency.levelScores);
    assert.ok(d.efficiency.score > 0, `${dup} has the e_i of ${source} (${s.efficiency.score}), not 0`);
    assert.deepEqual(d.verification, s.verification);
    assert.equal(d.b4Rank, s.b4Rank);
    assert.equal(d.timing, undefined, `${dup} was not timed again`);
    assert.ok(d.code, 'its own code is kept');
  }
  assert.ok(['winner', 'faster'].includes(by('c1').status) && ['winner', 'faster'].includes(by('c2').status));
  assert.ok(report.winner && ['c1', 'c2'].includes(report.winner.id), 'the winner is a first occurrence, never a duplicate');
  assert.equal(by('c5').status, 'wrong');
  assert.equal(by('c6').status, 'rejected');
  // The repair of c5 is c1 again: a duplicate too.
  const repair = report.candidates.find((c) => c.origin === 'repair');
  assert.equal(repair?.status, 'duplicate');
  assert.equal(repair?.duplicateOf, 'c1');
  assert.equal(repair?.repairOf, 'c5');
  assert.equal(repair?.b4Rank, by('c1').b4Rank);
  assert.equal(repair?.efficiency.score, by('c1').efficiency.score);
});

test('eff@k and pass@k count all n = 6 samples, the duplicates with their source outcome', () => {
  assert.equal(report.effAtK.length, 6);
  assert.ok(Math.abs(report.effAtK[0].pass - 4 / 6) < 1e-12, `pass@1 = ${report.effAtK[0].pass}, expected 4/6`);
  const firstRound = report.candidates.filter((c) => c.origin !== 'repair');
  assert.equal(firstRound.length, 6);
  const scores = firstRound.map((c) => c.efficiency.score);
  const expected = effAtKs(scores, [1, 2, 3, 4, 5, 6]);
  report.effAtK.forEach((e, i) => {
    assert.ok(Math.abs(e.eff - expected[i]) < 1e-12, `eff@${e.k}`);
    assert.ok(Math.abs(e.pass - passAtK(6, 4, e.k)) < 1e-12, `pass@${e.k}`);
  });
  assert.ok(
    Math.abs(report.effAtK[0].eff - (2 * by('c1').efficiency.score + 2 * by('c2').efficiency.score) / 6) < 1e-12,
    'eff@1 is the mean over the six samples',
  );
});

test('in the passing matrix a duplicate is a row equal to its source row (one consensus set)', () => {
  const sel = report.selection!;
  const row = (id: string) => sel.matrix[sel.rows.indexOf(id)];
  assert.ok(sel.rows.includes('c3') && sel.rows.includes('c4'));
  assert.deepEqual(row('c3'), row('c1'));
  assert.deepEqual(row('c4'), row('c2'));
  const group = sel.b4.ranking.find((g) => g.rows.includes('c1'))!;
  assert.ok(group.rows.includes('c3') && group.rows.includes('c4') && group.rows.includes('original'), group.rows.join(','));
  assert.ok(sel.b4.top.includes('c3'));
  // A repair that repeats earlier code is no new sample: not a row (it has its source's rank).
  assert.ok(!sel.rows.includes('c5r'), sel.rows.join(','));
});

test('the terminal and Markdown reports show "same as c1", not a rejection', () => {
  const md = renderMarkdown(report, DEDUPE);
  // Candidates are named by what changed, the id in brackets ("set lookup (c3)").
  assert.match(md, /\| (?:[^|]*\()?c3\)? \| same as c1 \|/);
  assert.match(md, /\| (?:[^|]*\()?c4\)? \| same as c2 \|/);
  assert.doesNotMatch(md, /c3\)? \| rejected/);
  const term = renderTerminal(report, { color: false, original: DEDUPE, width: 200 });
  assert.match(term, /^ {2}c3 +same as c1 /m);
  // The wrong rewrite's failure is shown once (a duplicate of a failing one would not repeat it).
  assert.equal((md.match(/\*\*(?:[^*]*\()?c5\)?\*\*/g) ?? []).length, 1);
});
