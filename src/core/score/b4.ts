// B4 (ASE 2024): rank the consensus sets of a passing matrix by the log posterior of the
// hypothesis "this set's solutions are the correct ones and its tests the correct tests"
// (docs/SCORING.md). Scores depend only on integer counts, so permuting rows or columns cannot change them.

import { logBeta } from './lnBeta';
import { rankGroups, summarizeMatrix, type PassMatrix, type Selection } from './selection';

/** Beta-prior hyper-parameters of B4. */
export interface B4Prior {
  alphaX: number;
  betaX: number;
  alphaY: number;
  betaY: number;
  alpha1: number;
  beta1: number;
  alpha0: number;
  beta0: number;
}

/** A partial prior; `alphaXY` sets alphaX and alphaY together (an explicit alphaX / alphaY wins). */
export type B4PriorInput = Partial<B4Prior> & { alphaXY?: number };

/** The paper's defaults: α_x = α_y = 1e3, β_0 = 1e4, all others 1. */
export const DEFAULT_B4_PRIOR: Readonly<B4Prior> = Object.freeze({
  alphaX: 1e3,
  betaX: 1,
  alphaY: 1e3,
  betaY: 1,
  alpha1: 1,
  beta1: 1,
  alpha0: 1,
  beta0: 1e4,
});

const PRIOR_KEYS = new Set<string>([...Object.keys(DEFAULT_B4_PRIOR), 'alphaXY']);

/** Fill a partial prior with the defaults. Throws RangeError on unknown keys or values that are not finite and > 0. */
export function resolveB4Prior(input: B4PriorInput = {}): B4Prior {
  for (const [key, value] of Object.entries(input)) {
    if (!PRIOR_KEYS.has(key)) throw new RangeError(`unknown B4 prior parameter "${key}" (known: ${[...PRIOR_KEYS].join(', ')})`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
      throw new RangeError(`B4 prior parameter ${key} must be a finite number > 0, got ${JSON.stringify(value)}`);
  }
  const { alphaXY, ...rest } = input;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<B4Prior>;
  return {
    ...DEFAULT_B4_PRIOR,
    ...(alphaXY !== undefined ? { alphaX: alphaXY, alphaY: alphaXY } : {}),
    ...defined,
  };
}

/**
 * Log posterior (up to a constant) of one hypothesis from its counts:
 * n_x = |S_x|, n_y = |S_y|, n_1 / n_0 = passes outside S_x on / off S_y, in an N × M matrix.
 */
export function b4LogPosterior(
  counts: { solutions: number; tests: number; setSize: number; setTests: number; passesOnSetTests: number; passesOffSetTests: number },
  prior: B4Prior,
): number {
  const { solutions: N, tests: M, setSize: nx, setTests: ny, passesOnSetTests: n1, passesOffSetTests: n0 } = counts;
  const m1 = (N - nx) * ny;
  const m0 = (N - nx) * (M - ny);
  return (
    logBeta(nx + prior.alphaX, N - nx + prior.betaX) +
    logBeta(ny + prior.alphaY, M - ny + prior.betaY) +
    logBeta(n1 + prior.alpha1, m1 - n1 + prior.beta1) +
    logBeta(n0 + prior.alpha0, m0 - n0 + prior.beta0)
  );
}

/**
 * B4 ranking of every consensus set (rows, S_y as `tests`, log-posterior score), best first, with
 * ties within relative 1e-9 sharing a rank and merged into `top`. O(N·M) via column sums.
 * Throws RangeError on a malformed matrix (empty, ragged, entries other than 0/1) or prior.
 */
export function b4Rank(matrix: PassMatrix, prior?: B4PriorInput): Selection {
  const p = resolveB4Prior(prior);
  const summary = summarizeMatrix(matrix);
  const { solutions, tests, columnSums } = summary;
  let allPasses = 0;
  for (let j = 0; j < tests; j++) allPasses += columnSums[j];
  return rankGroups(
    summary.consensusSets.map((set) => {
      const nx = set.rows.length;
      const ny = set.tests.length;
      let onSetTests = 0;
      for (const j of set.tests) onSetTests += columnSums[j];
      // Rows of S_x pass exactly S_y: remove their n_x·n_y passes; off S_y they contribute none.
      const n1 = onSetTests - nx * ny;
      const n0 = allPasses - onSetTests;
      const score = b4LogPosterior({ solutions, tests, setSize: nx, setTests: ny, passesOnSetTests: n1, passesOffSetTests: n0 }, p);
      return { rows: set.rows, tests: set.tests, score };
    }),
  );
}
