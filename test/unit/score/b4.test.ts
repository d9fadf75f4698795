import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { b4Rank, resolveB4Prior, type B4Prior, type B4PriorInput } from '../../../src/core/score/b4';
import { codeT, codeTPaper, maxPass, mbrExec, random } from '../../../src/core/score/baselines';
import { logBeta } from '../../../src/core/score/lnBeta';
import { rankGroups, type PassMatrix, type Selection } from '../../../src/core/score/selection';
import { loadVectorFiles } from './vectors';

interface StrategyExpectation {
  ranking: Array<{ rows: number[]; score: number }>;
  top_group_rows: number[];
  expected_pass_at_1: number;
}
interface B4Vector {
  name: string;
  E: number[][];
  correct: number[];
  hyper: Record<string, number>;
  strategies: Record<string, StrategyExpectation>;
  b4_bruteforce_over_subsets?: { rows: number[]; score: number; equals_full_consensus_set: boolean };
}
interface B4File {
  vectors: B4Vector[];
}

const REL_TOL = 1e-9; // the vector file's tolerance

/** The vectors' snake_case hyper-parameters (alpha_xy, beta_0, …) as a B4 prior (alphaXY, beta0, …). */
function priorOf(hyper: Record<string, number>): B4PriorInput {
  const prior: Record<string, number> = {};
  for (const [key, value] of Object.entries(hyper)) {
    prior[key.replace(/_(\w+)$/, (_, suffix: string) => (/^\d+$/.test(suffix) ? suffix : suffix.toUpperCase()))] = value;
  }
  return prior as B4PriorInput;
}

const STRATEGIES: Record<string, (v: B4Vector) => Selection> = {
  B4: (v) => b4Rank(v.E, priorOf(v.hyper)),
  CodeT: (v) => codeT(v.E),
  CodeT_paper: (v) => codeTPaper(v.E),
  MBR_exec: (v) => mbrExec(v.E),
  MaxPass: (v) => maxPass(v.E),
  Random: (v) => random(v.E, 1),
};

const closeRel = (got: number, want: number) => Math.abs(got - want) <= REL_TOL * Math.max(Math.abs(want), Math.abs(got)) || got === want;

/** B4 log posterior of S_x from the definition (explicit sums over the other rows, no column sums). */
function b4Direct(E: number[][], rows: number[], prior: B4Prior): number {
  const N = E.length;
  const M = E[0].length;
  const inSet = new Set(rows);
  const sy = E[rows[0]].map((v, j) => (v === 1 ? j : -1)).filter((j) => j >= 0);
  const inSy = new Set(sy);
  let n1 = 0;
  let n0 = 0;
  for (let i = 0; i < N; i++) {
    if (inSet.has(i)) continue;
    for (let j = 0; j < M; j++) {
      if (E[i][j] !== 1) continue;
      if (inSy.has(j)) n1++;
      else n0++;
    }
  }
  const nx = rows.length;
  const ny = sy.length;
  const m1 = (N - nx) * ny;
  const m0 = (N - nx) * (M - ny);
  return (
    logBeta(nx + prior.alphaX, N - nx + prior.betaX) +
    logBeta(ny + prior.alphaY, M - ny + prior.betaY) +
    logBeta(n1 + prior.alpha1, m1 - n1 + prior.beta1) +
    logBeta(n0 + prior.alpha0, m0 - n0 + prior.beta0)
  );
}

for (const { source, data } of loadVectorFiles<B4File>('b4')) {
  for (const v of data.vectors) {
    for (const [strategy, expected] of Object.entries(v.strategies)) {
      test(`b4 vector "${v.name}", strategy ${strategy} (${source})`, () => {
        const run = STRATEGIES[strategy];
        assert.ok(run, `no implementation is mapped to strategy "${strategy}"`);
        const got = run(v);
        assert.deepEqual(
          got.ranking.map((g) => g.rows),
          expected.ranking.map((g) => g.rows),
          'ranked groups',
        );
        got.ranking.forEach((g, i) =>
          assert.ok(closeRel(g.score, expected.ranking[i].score), `group ${i}: score ${g.score}, expected ${expected.ranking[i].score}`),
        );
        assert.deepEqual(got.top, expected.top_group_rows, 'top group rows');
        const passAt1 = got.top.reduce((sum, row) => sum + v.correct[row], 0) / got.top.length;
        assert.ok(Math.abs(passAt1 - expected.expected_pass_at_1) <= 1e-12, `expected pass@1 ${passAt1}`);
        // Every group's tests are passed by all of its rows.
        for (const g of got.ranking) for (const row of g.rows) for (const j of g.tests) assert.equal(v.E[row][j], 1);
      });
    }

    if (v.b4_bruteforce_over_subsets) {
      const brute = v.b4_bruteforce_over_subsets;
      test(`b4 vector "${v.name}": best over all row subsets (${source})`, () => {
        // Valid hypotheses: non-empty sets of identical rows (S_y is their common row).
        const prior = resolveB4Prior(priorOf(v.hyper));
        let best = { rows: [] as number[], score: -Infinity };
        for (let mask = 1; mask < 1 << v.E.length; mask++) {
          const rows = v.E.map((_, i) => i).filter((i) => mask & (1 << i));
          if (!rows.every((i) => v.E[i].join() === v.E[rows[0]].join())) continue;
          const score = b4Direct(v.E, rows, prior);
          if (score > best.score) best = { rows, score };
        }
        assert.deepEqual(best.rows, brute.rows);
        assert.ok(closeRel(best.score, brute.score));
        const top = b4Rank(v.E, priorOf(v.hyper)).ranking[0];
        assert.equal(brute.equals_full_consensus_set, top.rows.join() === best.rows.join());
        assert.ok(closeRel(top.score, best.score));
      });
    }
  }
}

// ---- properties ------------------------------------------------------------------------------

const matrices = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 }))
  .chain(([n, m]) => fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: m, maxLength: m }), { minLength: n, maxLength: n }));

/** A ranking as tie classes of (sorted rows, score), order-free inside a class. */
function canonical(selection: Selection, rowMap: (row: number) => number = (r) => r) {
  const classes = new Map<number, string[]>();
  for (const g of selection.ranking) {
    const key = `${g.rows
      .map(rowMap)
      .sort((a, b) => a - b)
      .join(',')}@${g.score}`;
    classes.set(g.rank, [...(classes.get(g.rank) ?? []), key].sort());
  }
  return { classes: [...classes.values()], top: selection.top.map(rowMap).sort((a, b) => a - b) };
}

function permutation(size: number, seed: number): number[] {
  const p = Array.from({ length: size }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = size - 1; i > 0; i--) {
    s = (s * 48271) % 2147483647;
    const j = s % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

test('B4 and the baselines rank the same sets with the same scores after permuting rows and columns', () => {
  fc.assert(
    fc.property(matrices, fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (E, rowSeed, colSeed) => {
      const rowPerm = permutation(E.length, rowSeed); // new row i = old row rowPerm[i]
      const colPerm = permutation(E[0].length, colSeed);
      const permuted = rowPerm.map((r) => colPerm.map((c) => E[r][c]));
      for (const rank of [(m: PassMatrix) => b4Rank(m), codeT, codeTPaper, maxPass, mbrExec]) {
        assert.deepEqual(
          canonical(rank(permuted), (i) => rowPerm[i]),
          canonical(rank(E)),
        );
      }
    }),
    { seed: 17, numRuns: 200 },
  );
});

test('B4 scores equal the definition computed without column sums', () => {
  fc.assert(
    fc.property(matrices, (E) => {
      const prior = resolveB4Prior();
      for (const g of b4Rank(E).ranking) assert.ok(closeRel(g.score, b4Direct(E, g.rows, prior)) || Math.abs(g.score - b4Direct(E, g.rows, prior)) < 1e-12);
    }),
    { seed: 19 },
  );
});

test('ties within relative 1e-9 share a rank and are merged into top; ties do not chain', () => {
  const sel = rankGroups([
    { rows: [2], tests: [], score: -100 },
    { rows: [0, 1], tests: [], score: -100 * (1 + 5e-10) },
    { rows: [3], tests: [], score: -100 * (1 + 1.2e-9) },
    { rows: [4], tests: [], score: -101 },
  ]);
  assert.deepEqual(
    sel.ranking.map((g) => [g.rows, g.rank]),
    [
      [[2], 1],
      [[0, 1], 1],
      [[3], 2],
      [[4], 3],
    ],
  );
  assert.deepEqual(sel.top, [0, 1, 2]);
});

test('the prior changes the winner (alphaXY, beta0)', () => {
  // b4_vs_codet_disagree: a strong alphaXY favours the large consensus set; with alphaXY = 1 the
  // lone row passing more tests wins.
  const disagree = [
    [1, 0],
    [1, 0],
    [1, 0],
    [1, 1],
  ];
  assert.deepEqual(b4Rank(disagree).top, [0, 1, 2]);
  assert.deepEqual(b4Rank(disagree, { alphaXY: 1 }).top, [3]);
  // prior_sensitivity_default: a weaker beta0 makes extra passes of wrong tests cheap.
  const sensitivity = [
    [1, 1, 0, 0, 0],
    [1, 1, 0, 0, 0],
    [1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0],
    [1, 1, 0, 0, 1],
  ];
  assert.deepEqual(b4Rank(sensitivity).top, [3]);
  assert.deepEqual(b4Rank(sensitivity, { beta0: 100 }).top, [0, 1, 2]);
  assert.deepEqual(resolveB4Prior({ alphaXY: 10 }), { ...resolveB4Prior(), alphaX: 10, alphaY: 10 });
  assert.equal(resolveB4Prior({ alphaXY: 10, alphaX: 5 }).alphaX, 5);
});

test('random is deterministic under a seed and uniform over the rows', () => {
  const E = Array.from({ length: 5 }, () => [1, 0]);
  assert.equal(random(E, 123).pick, random(E, 123).pick);
  const counts = [0, 0, 0, 0, 0];
  for (let seed = 0; seed < 5000; seed++) counts[random(E, seed).pick]++;
  for (const c of counts) assert.ok(c > 850 && c < 1150, `counts ${counts}`);
  assert.throws(() => random(E, 1.5), RangeError);
});

test('malformed matrices and priors are refused with a reason', () => {
  for (const rank of [(m: PassMatrix) => b4Rank(m), codeT, maxPass, mbrExec, (m: PassMatrix) => random(m)]) {
    assert.throws(() => rank([]), /no rows/);
    assert.throws(() => rank([[1, 0], [1]]), /ragged: row 1/);
    assert.throws(() => rank([[1, 2]]), /only 0 and 1: row 0 column 1/);
    assert.throws(() => rank([[1, NaN]]), /only 0 and 1/);
  }
  assert.throws(() => b4Rank([[1]], { beta0: -1 }), /beta0/);
  assert.throws(() => b4Rank([[1]], { gamma: 1 } as B4PriorInput), /unknown B4 prior parameter "gamma"/);
  // Typed-array rows and zero-column matrices are fine.
  assert.deepEqual(b4Rank([Uint8Array.of(1, 0), Uint8Array.of(1, 0)]).top, [0, 1]);
  assert.deepEqual(b4Rank([[], []]).top, [0, 1]);
});
