// The report's summary line (issue 13): a supplied test the user's own code fails is news and
// comes first ("Your code fails 1 of 2 supplied tests — see why in the report; …"), the
// disagreeing test is listed right under the verdict, and "equivalent on N cases" says how many
// cases it leaves out and why. Real sandbox, supplied rewrites and tests (no LLM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../../src/core/config';
import { optimize } from '../../../src/core/pipeline';
import { renderMarkdown, renderTerminal } from '../../../src/core/pipeline/reportText';
import { parseSuppliedTests } from '../../../src/core/testgen/supplied';

// Recursive: a large n overflows the call stack (a resource limit: that case is excluded).
const SOURCE = `function sumTo(n) {
  return n <= 0 ? 0 : n + sumTo(n - 1);
}

module.exports = { sumTo };
`;
const FAST = 'function sumTo(n) {\n  if (n <= 0) return 0;\n  let s = 0;\n  for (let x = n; x > 0; x--) s += x;\n  return s;\n}';

function run(expectedForThree: number) {
  const tests = parseSuppliedTests(
    JSON.stringify({
      inputs: { '0': [[0], [1], [5], [-2], [1e6], { args: [3], expected: expectedForThree }, { args: [4], expected: 10 }], '1': [[4000], [4500]] },
    }),
    'javascript',
  );
  return optimize({
    filePath: '/tmp/effopt-test/sum.js',
    source: SOURCE,
    functionName: 'sumTo',
    settings: resolveSettings({ levels: [0, 1] }),
    tests,
    candidates: [{ id: 's1', code: FAST }],
    bench: { repeats: 4, budgetMsPerLevel: 150, warmupMs: 20 },
  });
}

test('a supplied test your code fails comes first in the summary and under the verdict; excluded cases are counted', async () => {
  // The test expects sumTo(3) = 7; the code (and the rewrite) give 6.
  const report = await run(7);
  assert.equal(report.selection?.disagreements.length, 1);
  assert.deepEqual(
    report.selection!.disagreements.map((d) => [d.argsText, d.expectedText, d.originalText]),
    [['(3)', '7', '6']],
  );
  assert.match(report.summary, /^Your code fails 1 of 2 supplied tests — see why in the report; /);
  // The rewrite is equivalent to the code, so B4 keeps the original's set and the verdict follows.
  assert.equal(report.status, 'improved', report.summary);
  assert.match(report.summary, /; sumTo: [\d.]+× faster \(95% interval .*\), equivalent on 10 cases \(1 excluded: 1 resource limit\) — candidate s1$/);
  assert.equal(report.tests.cases, 10);
  assert.equal(report.tests.excluded.length, 1);
  assert.match(report.tests.excluded[0].reason, /call stack/);

  const term = renderTerminal(report, { color: false }).split('\n');
  const verdict = term.findIndex((l) => l.includes('Your code fails 1 of 2'));
  assert.ok(verdict >= 0);
  assert.match(term[verdict + 1], /test L0\.5: \(3\) expected 7, your function gives 6/, 'the failing test right under the verdict');
  const md = renderMarkdown(report);
  assert.ok(md.indexOf('Assertion tests your function fails') < md.indexOf('| candidate |'), 'before the candidates table');
});

test('without a failing test the summary is the verdict alone', async () => {
  const report = await run(6);
  assert.equal(report.selection?.disagreements.length, 0);
  assert.equal(report.status, 'improved', report.summary);
  assert.match(report.summary, /^sumTo: [\d.]+× faster .*equivalent on 10 cases \(1 excluded: 1 resource limit\) — candidate s1$/);
});
