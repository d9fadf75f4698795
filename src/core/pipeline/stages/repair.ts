// Stage 5: one repair round. Each candidate that failed verification is shown its failure and
// asked to be fixed; the repaired candidates are verified by the caller (verify.ts verifyRepairs).
import { renderValue, type ProgramVerification, type VerifyResult } from '../../exec';
import { requestRepair, samplingOptions, type AcceptedCandidate, type RepairFailure } from '../../llm';
import { preview, type Candidate, type Discovered, type RunContext } from '../context';
import { accept, linkDuplicates } from './candidates';
import { requireModel } from './model';

/** The failure of a candidate, in the shape the repair prompt shows. */
function repairFailure(d: Discovered, verification: VerifyResult, v: ProgramVerification): RepairFailure {
  const f = v.firstFailure;
  if (v.status === 'load-error' || v.status === 'unsupported' || !f) return { summary: `does not load: ${v.loadError ?? v.status}` };
  const kase = verification.cases.find((c) => c.id === f.caseId);
  const actual = f.outcome.value ? renderValue(f.outcome.value, preview(d.language)) : undefined;
  const expected = kase?.original.value ? renderValue(kase.original.value, preview(d.language)) : undefined;
  return {
    summary: f.reason ?? 'differs from the original',
    argsExpr: kase?.argsText,
    expected,
    actual,
    error: f.outcome.error ? `${f.outcome.error.type}: ${f.outcome.error.message}` : f.outcome.detail,
  };
}

/** The repaired candidates (ids `<id>r`), duplicates linked to the earlier code they repeat. */
export async function requestRepairs(ctx: RunContext, d: Discovered, verification: VerifyResult, candidates: readonly Candidate[]): Promise<Candidate[]> {
  const failed = verification.candidates.filter((v) => v.status === 'failed' || v.status === 'load-error');
  if (failed.length === 0) return [];
  const acceptedCode = (c: Candidate): AcceptedCandidate[] => (c.parse?.ok ? [c.parse] : []);
  const accepted = candidates.flatMap(acceptedCode);
  const repaired: Candidate[] = [];
  for (const [i, v] of failed.entries()) {
    ctx.progress('repair', i, failed.length, `repairing ${v.id}`);
    // A candidate that ran was accepted by the parser: it has code to repair.
    const parse = candidates.find((c) => c.id === v.id)?.parse;
    if (!parse?.ok) continue;
    const round = await requestRepair(requireModel(ctx.opts), d.target, parse.code, repairFailure(d, verification, v), {
      ...samplingOptions(ctx.opts.settings),
      budget: ctx.budget,
      signal: ctx.opts.signal,
      previous: [...accepted, ...repaired.flatMap(acceptedCode)],
    });
    ctx.llm.promptVersions.repair = round.promptVersion;
    if (round.stopped) {
      ctx.llm.stopped = round.stopped.message;
      break;
    }
    const r = round.results[0];
    if (r) repaired.push(await accept(ctx, d, { id: `${v.id}r`, origin: 'repair', repairOf: v.id, parse: r }));
  }
  return linkDuplicates(repaired, candidates);
}
