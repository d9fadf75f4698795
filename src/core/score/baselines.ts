// Selection baselines for comparison with B4 (docs/SCORING.md), in the same result shape.
// Consensus-set strategies (CodeT, MBR-exec) rank each distinct row pattern; per-solution
// strategies (MaxPass, Random) score single solutions and group the solutions with equal scores.

import { rankGroups, summarizeMatrix, type ConsensusSet, type MatrixSummary, type PassMatrix, type Selection } from './selection';

/** CodeT scoring: `sqrt` = |S_y|·√|S_x| (the authors' code), `product` = |S_x|·|S_y| (the paper). */
export type CodeTVariant = 'sqrt' | 'product';

function rankConsensusSets(summary: MatrixSummary, score: (set: ConsensusSet) => number): Selection {
  return rankGroups(summary.consensusSets.map((set) => ({ rows: set.rows, tests: set.tests, score: score(set) })));
}

/** Group solutions with identical scores; a group's `tests` are those every member passes. */
function rankSolutions(matrix: PassMatrix, summary: MatrixSummary, score: (row: number) => number): Selection {
  const byScore = new Map<number, number[]>();
  for (let i = 0; i < summary.solutions; i++) {
    const s = score(i);
    const rows = byScore.get(s);
    if (rows) rows.push(i);
    else byScore.set(s, [i]);
  }
  return rankGroups(
    [...byScore].map(([s, rows]) => {
      const tests: number[] = [];
      for (let j = 0; j < summary.tests; j++) if (rows.every((i) => matrix[i][j] === 1)) tests.push(j);
      return { rows, tests, score: s };
    }),
  );
}

/** CodeT (Chen et al. 2022): consensus sets scored by agreement; `variant` picks the formula. */
export function codeT(matrix: PassMatrix, variant: CodeTVariant = 'sqrt'): Selection {
  const summary = summarizeMatrix(matrix);
  return rankConsensusSets(summary, (set) => (variant === 'sqrt' ? set.tests.length * Math.sqrt(set.rows.length) : set.rows.length * set.tests.length));
}

/** CodeT as written in its paper: |S_x|·|S_y|. */
export function codeTPaper(matrix: PassMatrix): Selection {
  return codeT(matrix, 'product');
}

/** MaxPass: each solution scored by the number of tests it passes. */
export function maxPass(matrix: PassMatrix): Selection {
  const summary = summarizeMatrix(matrix);
  return rankSolutions(matrix, summary, (i) => summary.rowSums[i]);
}

/** MBR-exec: consensus sets scored by their size |S_x| (agreement of execution behaviour). */
export function mbrExec(matrix: PassMatrix): Selection {
  return rankConsensusSets(summarizeMatrix(matrix), (set) => set.rows.length);
}

export interface RandomSelection extends Selection {
  /** The row a uniform random choice picks under the seed (deterministic for a given seed and N). */
  pick: number;
}

/** mulberry32: a small, well-mixed 32-bit PRNG; enough for a reproducible uniform pick. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random selection: every solution equally likely, so the ranking is one group of all rows with
 * score 1 and `top` is every row (its expected pass@1 is the fraction of correct rows);
 * `pick` is the seeded draw. Throws RangeError on a malformed matrix or a non-integer seed.
 */
export function random(matrix: PassMatrix, seed = 0): RandomSelection {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const summary = summarizeMatrix(matrix);
  const selection = rankSolutions(matrix, summary, () => 1);
  const pick = Math.floor(mulberry32(seed)() * summary.solutions);
  return { ...selection, pick };
}

export interface Baselines {
  codeT: Selection;
  codeTPaper: Selection;
  maxPass: Selection;
  mbrExec: Selection;
  random: RandomSelection;
}

/** Every baseline on one matrix. */
export function allBaselines(matrix: PassMatrix, seed = 0): Baselines {
  return { codeT: codeT(matrix), codeTPaper: codeTPaper(matrix), maxPass: maxPass(matrix), mbrExec: mbrExec(matrix), random: random(matrix, seed) };
}
