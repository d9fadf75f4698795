// Stage 6, fuzzing: before a verified rewrite can be timed (and win), it runs against the original on
// new inputs made from the level-0 cases by type-preserving mutations (exec/verify/fuzz.ts). A rewrite that
// is right on every test but wrong for an input class the tests do not cover is the target.
import { fuzzCases, type FuzzLanguage } from '../../exec/verify/fuzz';
import type { InputGenerator } from '../../testgen/types';
import type { CaseVerdict, VerifyResult } from '../../exec/types';
import type { LanguageId } from '../../languages/types';
import type { Candidate, Discovered, RunContext } from '../context';
import { verifyCandidates } from './verify';

export interface FuzzStageInput {
  language: LanguageId;
  /** The verification so far: its level-0 cases seed the fuzzer, its verified candidates are fuzzed. */
  verification: VerifyResult;
  /** Runs the original and the given candidates on extra generators (the verify stage, on other material). */
  verifyOn: (candidateIds: string[], generators: InputGenerator[]) => Promise<VerifyResult>;
  max?: number;
  seed?: number;
}

export interface FuzzStageOutput {
  /** Fuzz inputs the original could be compared on. */
  ran: number;
  /** Candidates that differ from the original on a fuzz input, with the first (smallest) such case. */
  failures: Map<string, CaseVerdict>;
  notes: string[];
}

async function fuzzVerified(input: FuzzStageInput): Promise<FuzzStageOutput> {
  const v = input.verification;
  const ids = v.candidates.filter((c) => c.status === 'verified').map((c) => c.id);
  const out: FuzzStageOutput = { ran: 0, failures: new Map(), notes: [] };
  if (ids.length === 0) return out;
  const seeds = v.cases.filter((c) => c.included && (c.level ?? 0) === 0 && c.args).map((c) => c.args!);
  const plan = fuzzCases(input.language === 'python' ? 'python' : ((input.language === 'javascript' ? 'javascript' : 'typescript') as FuzzLanguage), seeds, {
    max: input.max,
    seed: input.seed,
    receiver: !!v.receiver,
  });
  if (plan.cases.length === 0) {
    out.notes.push(
      `fuzzing: no input could be derived from the ${seeds.length} correctness case(s)${plan.skipped ? ` (${plan.skipped} could not be rebuilt as source)` : ''}`,
    );
    return out;
  }
  const fuzzed = await input.verifyOn(ids, [{ level: 0, language: input.language, code: plan.code }]);
  out.ran = fuzzed.cases.filter((c) => c.included).length;
  const excluded = fuzzed.cases.length - out.ran;
  out.notes.push(
    `fuzzing: ${out.ran} extra input(s) from type-preserving mutations of the correctness cases compared with the original${excluded ? ` (${excluded} where the original itself failed by a limit or was not deterministic left out)` : ''}`,
  );
  for (const c of fuzzed.candidates) {
    // Only a real difference counts: a fuzz input the rewrite could not be run on (the sandbox gave
    // up after restarts, on inputs where the original itself hit a limit) proves nothing.
    const f = c.verdicts.find((x) => x.status === 'fail');
    if (!f) continue;
    const kase = fuzzed.cases.find((x) => x.id === f.caseId);
    out.failures.set(c.id, { ...f, caseId: `fuzz/${f.caseId}`, reason: `on a fuzz input ${kase?.argsText ?? ''}: ${f.reason ?? 'differs from the original'}` });
  }
  return out;
}

/** Marks fuzz failures in the verification: those candidates are no longer verified. */
function applyFuzzFailures(v: VerifyResult, failures: ReadonlyMap<string, CaseVerdict>): void {
  for (const c of v.candidates) {
    const f = failures.get(c.id);
    if (!f) continue;
    c.status = 'failed';
    c.failed++;
    c.verdicts.push(f);
    c.firstFailure = f;
  }
}

/** Fuzzes the verified candidates; one that differs from the original is marked failed in `verification` (in place). */
export async function fuzzAll(ctx: RunContext, d: Discovered, verification: VerifyResult, candidates: readonly Candidate[]): Promise<void> {
  const out = await fuzzVerified({
    language: d.language,
    verification,
    verifyOn: (ids, generators: InputGenerator[]) =>
      verifyCandidates(ctx, d, { candidates: candidates.filter((c) => ids.includes(c.id)), tests: { generators, assertions: [] }, stage: 'fuzz' }),
  });
  applyFuzzFailures(verification, out.failures);
  ctx.notes.push(...out.notes);
}
