import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { efficiencyScore, referenceProfile, scoreProblem, type EfficiencyConfig, type RunResult } from '../../../src/core/score/efficiency';
import { loadVectorFiles } from './vectors';

interface VectorConfig {
  alpha: number;
  hardness: number[];
  n_tests: number[];
  n_reps: number;
  tol_sec: number;
}
interface SampleScoreVector {
  name: string;
  config: VectorConfig;
  reference_times: number[][][];
  sample_times: RunResult[][][];
  expected: { passed: boolean; level_effs: number[]; score: number; T: number };
}
interface ProblemVector {
  name: string;
  config: VectorConfig;
  reference_times: number[][][];
  samples: RunResult[][][][];
  ks: number[];
  expected: Record<string, number>;
  expected_sample_scores: number[];
  expected_passed: boolean[];
}
interface EffkFile {
  sample_score_vectors: SampleScoreVector[];
  problem_vectors: ProblemVector[];
  [key: string]: unknown;
}

const ABS_TOL = 1e-9;
const near = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) <= ABS_TOL, `${what}: got ${got}, expected ${want}`);
/** The grids have the shape the vector's config announces: [level][n_tests[j]][n_reps or 1]. */
function assertShape(grid: unknown[][][], c: VectorConfig, what: string): void {
  assert.equal(grid.length, c.hardness.length, `${what}: levels`);
  grid.forEach((cases, j) => {
    assert.equal(cases.length, c.n_tests[j], `${what}: cases on level ${j}`);
    for (const reps of cases) assert.equal(reps.length, c.hardness[j] > 0 ? c.n_reps : 1, `${what}: repeats on level ${j}`);
  });
}
const configOf = (c: VectorConfig): EfficiencyConfig => ({ alpha: c.alpha, hardness: c.hardness, tolerance: c.tol_sec });

for (const { source, data } of loadVectorFiles<EffkFile>('effk')) {
  test(`every vector group of ${source} is covered by a test`, () => {
    const groups = Object.keys(data).filter((key) => key.endsWith('_vectors'));
    assert.deepEqual(groups.sort(), ['effk_vectors', 'problem_vectors', 'sample_score_vectors']);
  });

  for (const v of data.sample_score_vectors) {
    test(`sample score vector "${v.name}" (${source})`, () => {
      assertShape(v.reference_times, v.config, 'reference');
      assertShape(v.sample_times, v.config, 'sample');
      const got = efficiencyScore(v.reference_times, v.sample_times, configOf(v.config));
      assert.equal(got.passed, v.expected.passed);
      near(got.timeLimit, v.expected.T, 'T');
      near(got.score, v.expected.score, 'score');
      assert.equal(got.levelScores.length, v.expected.level_effs.length);
      got.levelScores.forEach((e, j) => near(e, v.expected.level_effs[j], `e_${j}`));
    });
  }

  for (const v of data.problem_vectors) {
    test(`problem vector "${v.name}" (${source})`, () => {
      assertShape(v.reference_times, v.config, 'reference');
      v.samples.forEach((s, i) => assertShape(s, v.config, `sample ${i}`));
      const got = scoreProblem(v.reference_times, v.samples, v.ks, configOf(v.config));
      assert.deepEqual(
        got.samples.map((s) => s.passed),
        v.expected_passed,
      );
      got.samples.forEach((s, i) => near(s.score, v.expected_sample_scores[i], `sample ${i} score`));
      // Exactly the expected metrics, no more: k > n is dropped.
      const produced = new Map<string, number>();
      for (const k of got.ks) {
        produced.set(`eff@${k}`, got.effAtK[k]);
        produced.set(`pass@${k}`, got.passAtK[k]);
      }
      assert.deepEqual([...produced.keys()].sort(), Object.keys(v.expected).sort());
      for (const [key, want] of Object.entries(v.expected)) near(produced.get(key) as number, want, key);
    });
  }
}

// ---- the rules of docs/SCORING.md on small hand-made cases ------------------------------------------

const config: EfficiencyConfig = { alpha: 2, hardness: [0, 3, 3, 4], tolerance: 0 };
// Reference: level times 0.001 / 0.01 / 0.1 / 1 (two cases, three repeats) → T = 2.
const reference = [0.001, 0.01, 0.1, 1].map((t, j) => [Array(j === 0 ? 1 : 3).fill(t), Array(j === 0 ? 1 : 3).fill(t / 2)]);
const sampleAt = (factor: number): RunResult[][][] => reference.map((cases) => cases.map((reps) => reps.map((t) => t * factor)));
const withRun = (grid: RunResult[][][], level: number, kase: number, rep: number, run: RunResult): RunResult[][][] => {
  const copy = grid.map((cases) => cases.map((reps) => [...reps]));
  copy[level][kase][rep] = run;
  return copy;
};

test('the reference scores 1 on every weighted level; faster samples score above 1, unclipped', () => {
  const self = efficiencyScore(reference, reference, config);
  assert.deepEqual(self.levelScores, [0, 1, 1, 1]);
  assert.equal(self.score, 1);
  assert.equal(self.stoppedBy, undefined);
  const twiceAsFast = efficiencyScore(reference, sampleAt(0.5), config);
  assert.ok(twiceAsFast.score > 1);
  near(twiceAsFast.levelScores[3], (2 - 0.5) / (2 - 1), 'e_3');
});

test('memory and overflow errors censor like timeouts; a time beyond T + tolerance is a kill', () => {
  for (const token of ['TLE', 'MLE', 'OVF'] as const) {
    const got = efficiencyScore(reference, withRun(sampleAt(1), 2, 1, 0, token), config);
    assert.equal(got.passed, true);
    assert.deepEqual(got.levelScores, [0, 1, 0, 0]);
    assert.deepEqual(got.stoppedBy, { level: 2, case: 1, repeat: 0, outcome: token, effect: 'censored' });
    assert.deepEqual(got.levelTimes.slice(2), [null, null]);
  }
  const slow = efficiencyScore(reference, withRun(sampleAt(1), 1, 0, 2, 2.5), config);
  assert.equal(slow.stoppedBy?.outcome, 'limit');
  assert.deepEqual(slow.levelScores, [0, 0, 0, 0]);
  assert.equal(slow.passed, true);
  // Within the tolerance it is a measured (zero-scoring) time, and later levels still count.
  const tolerated = efficiencyScore(reference, withRun(sampleAt(1), 1, 0, 2, 2.005), { ...config, tolerance: 0.01 });
  assert.equal(tolerated.stoppedBy, undefined);
  assert.equal(tolerated.levelScores[3], 1);
});

test('wrong answers and exceptions make a sample incorrect; runs after a kill are never looked at', () => {
  for (const token of ['WA', 'ERR'] as const) {
    const got = efficiencyScore(reference, withRun(sampleAt(1), 1, 0, 1, token), config);
    assert.equal(got.passed, false);
    assert.equal(got.score, 0);
    assert.deepEqual(got.stoppedBy, { level: 1, case: 0, repeat: 1, outcome: token, effect: 'incorrect' });
  }
  // ENAMEL stops at the first kill: a later wrong answer was never run.
  const killedFirst = withRun(withRun(sampleAt(1), 2, 0, 0, 'TLE'), 3, 0, 0, 'WA');
  assert.equal(efficiencyScore(reference, killedFirst, config).passed, true);
  // ... so the sample may simply stop there.
  const truncated: RunResult[][][] = [...sampleAt(1).slice(0, 2), [['TLE']]];
  const got = efficiencyScore(reference, truncated, config);
  assert.equal(got.passed, true);
  assert.deepEqual(got.levelScores, [0, 1, 0, 0]);
  // A kill on level 0 (correctness) is incorrect.
  assert.equal(efficiencyScore(reference, withRun(sampleAt(1), 0, 0, 0, 'MLE'), config).passed, false);
});

test('bad input is refused with a reason', () => {
  assert.throws(() => efficiencyScore(reference, withRun(sampleAt(1), 1, 0, 0, 'OOPS' as RunResult), config), /unknown run result/);
  assert.throws(() => efficiencyScore(reference, withRun(sampleAt(1), 1, 0, 0, NaN), config), /finite/);
  assert.throws(() => efficiencyScore(reference, withRun(sampleAt(1), 1, 0, 0, -1), config), /finite/);
  assert.throws(() => efficiencyScore(reference, sampleAt(1).slice(0, 3), config), /no runs on level 3/);
  assert.throws(() => efficiencyScore(reference, [...sampleAt(1), [[1]]], config), /5 levels/);
  assert.throws(() => efficiencyScore(reference, reference, { ...config, alpha: 1 }), /alpha/);
  assert.throws(() => efficiencyScore(reference, reference, { ...config, hardness: [0, 0, 0, 0] }), /positive hardness/);
  assert.throws(() => efficiencyScore(reference, reference, { ...config, hardness: [0, 3, 3] }), /levels/);
  assert.throws(() => referenceProfile(withRun(sampleAt(1), 1, 0, 0, 'TLE') as number[][][], config), /must not fail/);
  assert.throws(() => referenceProfile([[[1]], [], [[1]], [[1]]], config), /no cases/);
  assert.throws(() => scoreProblem(reference, [], [1], config), /at least one sample/);
});

test('scores are invariant to the time unit and decrease as a sample slows down', () => {
  fc.assert(
    fc.property(fc.double({ min: 0.2, max: 3, noNaN: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (factor, unit) => {
      const base = efficiencyScore(reference, sampleAt(factor), config);
      const scaledReference = reference.map((cases) => cases.map((reps) => reps.map((t) => t * unit)));
      const scaled = efficiencyScore(
        scaledReference,
        sampleAt(factor).map((cases) => cases.map((reps) => reps.map((t) => (t as number) * unit))),
        config,
      );
      assert.ok(Math.abs(base.score - scaled.score) <= 1e-9);
      const slower = efficiencyScore(reference, sampleAt(factor * 1.1), config);
      assert.ok(slower.score <= base.score + 1e-12);
    }),
    { seed: 3 },
  );
});
