// The passing matrix B4 selects from (docs/SCORING.md), built from a verification result: which
// program passes which test. Plain data in, plain data out.
import type { VerifyResult } from '../exec/types';

/** The row id of the original program (verify() reports it under this id). */
const ORIGINAL_ID = 'original';

/**
 * The passing matrix for B4 (docs/SCORING.md): rows = the original then each candidate (in request
 * order); columns = the assertion tests (pass = matches the expected value) then the included
 * differential cases (pass = equivalent to the original; the original passes them all).
 * Columns an assertion could not run for are left out.
 */
export function passMatrix(result: VerifyResult): { rows: string[]; columns: string[]; matrix: number[][] } {
  const rows = [ORIGINAL_ID, ...result.candidates.map((c) => c.id)];
  const columns: string[] = [];
  const matrix: number[][] = rows.map(() => []);
  for (const a of result.assertions) {
    if (a.error) continue;
    columns.push(`assert:${a.id}`);
    rows.forEach((id, i) => matrix[i].push(a.passes[id] ? 1 : 0));
  }
  for (const c of result.cases) {
    if (!c.included) continue;
    columns.push(`diff:${c.id}`);
    matrix[0].push(1);
    result.candidates.forEach((cand, i) => matrix[i + 1].push(cand.verdicts.find((v) => v.caseId === c.id)?.status === 'pass' ? 1 : 0));
  }
  return { rows, columns, matrix };
}
