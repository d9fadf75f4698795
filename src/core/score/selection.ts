// Shared shape of every selection strategy (B4 and the baselines): a passing matrix in, a ranking
// of groups of solutions out. Consensus sets (docs/SCORING.md) are computed here once for all of them.

/** N solutions × M tests, entry 1 when the solution passes the test, else 0. Rows may be typed arrays. */
export type PassMatrix = ReadonlyArray<ArrayLike<number>>;

export interface RankedGroup {
  /** 0-based row indices (solutions), ascending. */
  rows: number[];
  /** Column indices (tests) that every row of the group passes; for a consensus set exactly its S_y. */
  tests: number[];
  score: number;
  /** 1-based; groups whose scores agree within a relative TIE_TOLERANCE share a rank. */
  rank: number;
}

export interface Selection {
  /** Best first: score descending; exact ties keep row order (smallest row first). */
  ranking: RankedGroup[];
  /** The winning rows: the union of all groups with rank 1, ascending. */
  top: number[];
}

/** Scores within this relative distance are ties (B4 log posteriors are only that reproducible). */
export const TIE_TOLERANCE = 1e-9;

/** True when a and b agree within a relative TIE_TOLERANCE. */
export function sameScore(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= TIE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** A distinct row pattern: the solutions S_x that share it and the tests S_y it passes. */
export interface ConsensusSet {
  rows: number[];
  tests: number[];
}

export interface MatrixSummary {
  /** N */
  solutions: number;
  /** M */
  tests: number;
  /** c_j = number of solutions passing test j */
  columnSums: Float64Array;
  /** Row sums (tests passed per solution). */
  rowSums: Float64Array;
  /** Distinct rows in order of first appearance. */
  consensusSets: ConsensusSet[];
}

/**
 * Validate the matrix and group identical rows; O(N·M). Throws RangeError on an empty matrix,
 * rows of different lengths, or entries other than 0 and 1. A matrix with zero columns is allowed
 * (every solution then forms one consensus set).
 */
export function summarizeMatrix(matrix: PassMatrix): MatrixSummary {
  if (!Array.isArray(matrix) || matrix.length === 0) throw new RangeError('the passing matrix has no rows');
  const first = matrix[0];
  if (first === null || typeof first !== 'object' || typeof first.length !== 'number') throw new RangeError('row 0 of the passing matrix is not an array');
  const n = matrix.length;
  const m = first.length;
  const columnSums = new Float64Array(m);
  const rowSums = new Float64Array(n);
  const byPattern = new Map<string, ConsensusSet>();
  const consensusSets: ConsensusSet[] = [];
  const codes = new Uint16Array(Math.ceil(m / 16));
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') throw new RangeError(`row ${i} of the passing matrix is not an array`);
    if (row.length !== m) throw new RangeError(`the passing matrix is ragged: row ${i} has ${row.length} entries, row 0 has ${m}`);
    codes.fill(0);
    let passed = 0;
    for (let j = 0; j < m; j++) {
      const v = row[j];
      if (v === 1) {
        columnSums[j]++;
        passed++;
        codes[j >> 4] |= 1 << (j & 15);
      } else if (v !== 0) {
        throw new RangeError(`the passing matrix must hold only 0 and 1: row ${i} column ${j} is ${JSON.stringify(v)}`);
      }
    }
    rowSums[i] = passed;
    // 16 columns per UTF-16 code unit: a compact exact key of the row pattern.
    const key = patternKey(codes);
    const known = byPattern.get(key);
    if (known) {
      known.rows.push(i);
    } else {
      const tests: number[] = [];
      for (let j = 0; j < m; j++) if (row[j] === 1) tests.push(j);
      const set = { rows: [i], tests };
      byPattern.set(key, set);
      consensusSets.push(set);
    }
  }
  return { solutions: n, tests: m, columnSums, rowSums, consensusSets };
}

function patternKey(codes: Uint16Array): string {
  let key = '';
  // Chunks keep the argument count of fromCharCode well below engine limits.
  for (let start = 0; start < codes.length; start += 4096) key += String.fromCharCode(...codes.subarray(start, start + 4096));
  return key;
}

/** Order scored groups best first (stable) and assign tie ranks; `top` merges the rank-1 groups. */
export function rankGroups(groups: ReadonlyArray<{ rows: number[]; tests: number[]; score: number }>): Selection {
  for (const g of groups) if (Number.isNaN(g.score)) throw new RangeError(`a selection score is NaN (rows ${g.rows.join(',')})`);
  const order = groups
    .map((g, index) => ({ g, index, firstRow: g.rows.length > 0 ? g.rows[0] : Infinity }))
    .sort((a, b) => b.g.score - a.g.score || a.firstRow - b.firstRow || a.index - b.index);
  const ranking: RankedGroup[] = [];
  let rank = 0;
  let leader = NaN;
  for (const { g } of order) {
    // Compare with the first group of the current tie class, so ties cannot chain downwards.
    if (rank === 0 || !sameScore(leader, g.score)) {
      rank++;
      leader = g.score;
    }
    ranking.push({ rows: [...g.rows].sort((a, b) => a - b), tests: [...g.tests], score: g.score, rank });
  }
  const top = ranking
    .filter((g) => g.rank === 1)
    .flatMap((g) => g.rows)
    .sort((a, b) => a - b);
  return { ranking, top };
}
