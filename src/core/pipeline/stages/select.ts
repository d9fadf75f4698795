// Stage 9: B4 ranks the candidates by the passing matrix; the winner is chosen by winner.ts.
import type { VerifyResult } from '../../exec';
import { allBaselines, b4Rank, passMatrix, type Selection } from '../../score';
import { ORIGINAL, type Candidate } from '../context';

/** The passing matrix, B4's ranking of its rows and the baselines' choices on it. */
export interface Ranking {
  rows: string[];
  columns: string[];
  matrix: number[][];
  b4: Selection;
  baselines: ReturnType<typeof allBaselines>;
}

export function rankWithB4(verification: VerifyResult, candidates: readonly Candidate[]): Ranking {
  const { rows, columns, matrix } = withDuplicateRows(candidates, passMatrix(verification));
  return { rows, columns, matrix, b4: b4Rank(matrix), baselines: allBaselines(matrix) };
}

/** The ids of B4's selected set (its rows by id, the original included when it is there). */
export const b4Top = (r: Ranking): Set<string> => new Set(r.b4.top.map((i) => r.rows[i]));

/**
 * The passing matrix with a row for every duplicate among the first-round samples, equal to the
 * row of the code it duplicates. B4's rows are the N programs sampled from the model, each an
 * independent draw: a program the model wrote twice is two rows of one consensus set (n_x counts
 * it twice), the evidence B4's prior on |S_x| is meant to weigh. The duplicate is not re-run
 * (programs are deterministic on the cases), so its row is its source's. A repair that repeats
 * earlier code is no new draw (each repair prompt asks for a fix of a given failure, and such
 * asks converge on one fix): it is left out of the matrix and reported with its source's rank.
 * Rows follow the candidates' order.
 */
function withDuplicateRows(candidates: readonly Candidate[], base: ReturnType<typeof passMatrix>): ReturnType<typeof passMatrix> {
  const rowOf = new Map(base.rows.map((id, i) => [id, base.matrix[i]]));
  const rows: string[] = [];
  const matrix: number[][] = [];
  const placed = new Set<string>();
  const place = (id: string, row: number[]): void => {
    rows.push(id);
    matrix.push(row);
    placed.add(id);
  };
  const original = rowOf.get(ORIGINAL);
  if (original) place(ORIGINAL, original);
  for (const c of candidates) {
    const row = rowOf.get(c.duplicateOf ?? c.id);
    if (!row || placed.has(c.id) || (!c.duplicateOf && !rowOf.has(c.id)) || (c.duplicateOf && c.origin === 'repair')) continue;
    place(c.id, [...row]);
  }
  // Rows of programs the pipeline does not list as candidates (none today) stay, after the others.
  base.rows.forEach((id, i) => {
    if (!placed.has(id)) place(id, base.matrix[i]);
  });
  return { rows, columns: base.columns, matrix };
}
