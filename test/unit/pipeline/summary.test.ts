// The verdict line when no rewrite is offered: it names the real cause, and never says an
// interval "does not clear" the floor when it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateTiming } from '../../../src/core/exec/types';
import { noImprovementSummary } from '../../../src/core/pipeline/optimize';

function timing(
  id: string,
  overall: { estimate: number; low: number; high: number } | null,
  verdict: CandidateTiming['verdict'],
  reason: string,
): CandidateTiming {
  return {
    id,
    status: verdict === 'stopped' ? 'failed' : 'ok',
    levels: [],
    measureSeconds: 1,
    integrity: { checks: [] },
    speedups: [],
    overall: overall ? { ...overall, accepted: overall.low > 1.05, minRule: { speedup: overall.estimate, accepted: overall.estimate > 1.05 } } : null,
    accepted: false,
    reason,
    ...(verdict ? { verdict } : {}),
  };
}

test('the issue: levels lost to the sandbox, a remaining interval that clears the floor — the line names the lost level, not the floor', () => {
  const lost =
    'level 2 (n = 200,000) could not be measured: the sandbox worker of original failed, and again in a fresh process with its inputs built again: the node process was killed by SIGKILL, not by effopt';
  const line = noImprovementSummary(
    'total',
    1,
    3,
    [
      timing(
        'c1',
        { estimate: 1.14, low: 1.12, high: 1.16 },
        'lost-level',
        `${lost}; no verdict without it (the levels measured give 1.14× (95% interval 1.12–1.16))`,
      ),
    ],
    0.05,
  );
  assert.match(line, /^No verified speedup for total: level 2 \(n = 200,000\) could not be measured: .*SIGKILL/);
  assert.doesNotMatch(line, /does not clear/);
});

test('an interval that clears the floor, refused for another reason: the line gives that reason', () => {
  const line = noImprovementSummary(
    'f',
    2,
    2,
    [
      timing('c1', { estimate: 1.4, low: 1.3, high: 1.5 }, 'stopped', 'TLE — level 3: case L3/g2/0: 2.1 s per call, over the cut-off of 0.4 s'),
      timing('c2', { estimate: 1.1, low: 1.0, high: 1.2 }, 'not-clear', 'speedup 1.10× (95% interval 1.00–1.20) does not clear 1 + 0.05'),
    ],
    0.05,
  );
  assert.doesNotMatch(line, /does not clear/);
  assert.match(line, /the best is 1\.40× \(interval 1\.30×–1\.50×\), but c1 was not accepted: TLE — level 3: case L3\/g2\/0/);
  // Without a verdict kind (an older result), the figures still decide: an interval above the floor is never "not clearing".
  const old = noImprovementSummary('f', 1, 1, [timing('c1', { estimate: 1.14, low: 1.12, high: 1.16 }, undefined, 'not every level could be timed')], 0.05);
  assert.match(old, /but c1 was not accepted: not every level could be timed$/);
  assert.doesNotMatch(old, /does not clear/);
});

test('"does not clear" only for an interval that does not; a slower level is said as such', () => {
  const line = noImprovementSummary(
    'f',
    1,
    1,
    [timing('c1', { estimate: 1.03, low: 1.01, high: 1.05 }, 'not-clear', 'speedup 1.03× (95% interval 1.01–1.05) does not clear 1 + 0.05')],
    0.05,
  );
  assert.equal(line, 'No verified speedup for f: 1 rewrite(s) equivalent, the best is 1.03× (interval 1.01×–1.05×), which does not clear 1.05×');
  const slower = noImprovementSummary(
    'f',
    1,
    1,
    [timing('c1', { estimate: 1.02, low: 0.99, high: 1.06 }, 'slower', 'significantly slower on level 1 (0.80×, interval 0.78–0.82)')],
    0.05,
  );
  assert.match(slower, /but c1 was not accepted: significantly slower on level 1/);
  assert.doesNotMatch(slower, /does not clear/);
  assert.match(noImprovementSummary('f', 0, 4, [], 0.05), /none of 4 rewrites is equivalent/);
});
