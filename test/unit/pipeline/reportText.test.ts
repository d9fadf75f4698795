import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renderMarkdown, renderTerminal } from '../../../src/core/pipeline/reportText';
import type { CandidateReport, OptimizationReport } from '../../../src/core/pipeline/report';

const level = (lvl: number, worst: number, speedup?: number) => ({
  level: lvl,
  worstSeconds: worst,
  ...(speedup ? { speedup: { estimate: speedup, low: speedup * 0.9, high: speedup * 1.1, accepted: true } } : {}),
});

function candidate(id: string, explanation: string | undefined, status: CandidateReport['status']): CandidateReport {
  return {
    id,
    origin: 'llm',
    status,
    reason: status === 'winner' ? 'verified and faster' : 'differs on a case',
    explanation,
    notes: [],
    efficiency: { score: status === 'winner' ? 1.6 : 0, passed: status === 'winner', levelScores: [] },
    ...(status === 'winner'
      ? { timing: { levels: [level(1, 0.002, 3), level(2, 0.00092, 137)], overall: { estimate: 40, low: 36, high: 44, accepted: true } } }
      : {}),
  };
}

function report(inputSizes?: NonNullable<OptimizationReport['benchmark']>['inputSizes']): OptimizationReport {
  return {
    schemaVersion: 1,
    tool: { name: 'effopt', version: '0.0.0' },
    createdAt: '2026-01-01T00:00:00Z',
    mode: 'optimize',
    file: { path: 'dedupe.js', language: 'javascript', sha256: 'x' },
    function: {
      name: 'dedupe',
      qualifiedName: 'dedupe',
      kind: 'function',
      language: 'javascript',
      startLine: 1,
      endLine: 5,
      params: ['xs'],
      hotness: 2,
      hotnessReasons: [],
    },
    status: 'improved',
    summary: 'dedupe: 40× faster',
    winner: { id: 'c1', speedup: { estimate: 40, low: 36, high: 44 }, efficiency: 1.6 },
    candidates: [candidate('c1', 'Use a hash set instead of a linear search.', 'winner'), candidate('c2', 'Sorting makes the output canonical.', 'wrong')],
    effAtK: [],
    tests: { source: 'llm', generators: 2, assertions: 2, cases: 4, excluded: [], dropped: [] },
    benchmark: {
      levels: [0, 1, 2],
      repeats: 5,
      noiseFloor: 0.05,
      alpha: 2,
      hardness: [0, 3, 4],
      original: [level(1, 0.006), level(2, 0.126)],
      ...(inputSizes ? { inputSizes } : {}),
      cutoffSeconds: 1,
      measureSeconds: 1,
    },
    timings: { total: 3 },
    notes: [],
  };
}

it('the Markdown says what the overall speedup and e_i are, and names candidates by what changed', () => {
  const md = renderMarkdown(report());
  assert.match(md, /Overall speedup: the weighted geometric mean of the per-size speedups \(weights 3 : 4\)\./);
  assert.match(
    md,
    /e_i \(ENAMEL efficiency\): 1 = as fast as the original, 0 = wrong or as slow as the time limit \(α = 2 × the original's slowest time\); at most α\/\(α−1\) = 2\.00\./,
  );
  assert.match(md, /\| hash set \(c1\) \| winner \|/);
  assert.match(md, /\| sorting \(c2\) \| wrong \|/);
  assert.match(md, /\| level 2 \| 126\.0 ms \| 920\.0 µs \| 137× /);
});

it('the Markdown and the terminal name each level by its input size when the report has them', () => {
  const r = report([
    { n: 1000, text: 'n = 1,000' },
    { n: 7000, text: 'n = 7,000' },
  ]);
  assert.match(renderMarkdown(r), /\| n = 7,000 \| 126\.0 ms \| 920\.0 µs \| 137× /);
  const term = renderTerminal(r, { color: false });
  assert.match(term, /per input size: n = 1,000: 3\.00× \[[^\]]+\] {3}n = 7,000: 137× /);
  assert.match(term, /weighted geometric mean/);
});
