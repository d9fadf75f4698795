// Stage 4: verification of candidates against the original in the sandbox; also the repair round's
// verification, merged into the first, and the fuzz stage's runs (fuzz.ts).
import { availableParallelism } from 'node:os';
import { verify, type CandidateSource, type VerifyResult } from '../../exec';
import type { TestSuite } from '../../testgen/types';
import { ORIGINAL, type Candidate, type Discovered, type RunContext } from '../context';
import type { Stage } from '../report';

/** The candidates that have a module, as the sandbox takes them. */
export const runnable = (cs: readonly Candidate[], entry: string): CandidateSource[] =>
  cs.flatMap((c) => (c.module ? [{ id: c.id, moduleText: c.module, entry }] : []));

/** Sandbox settings shared by verification and benchmarking. */
export function execEnv(ctx: RunContext, d: Discovered) {
  const { opts } = ctx;
  const { settings } = opts;
  return {
    language: d.language,
    limits: { timeoutMs: settings.timeoutMs, memoryMb: settings.memoryMb },
    projectDir: opts.projectDir,
    filePath: opts.filePath,
    pythonPath: settings.pythonPath,
    signal: opts.signal,
    ...(opts.tolerance
      ? {
          equivalence: {
            ...(opts.tolerance.rtol !== undefined ? { relTol: opts.tolerance.rtol } : {}),
            ...(opts.tolerance.atol !== undefined ? { absTol: opts.tolerance.atol } : {}),
          },
        }
      : {}),
  };
}

export interface VerifyInput {
  candidates: readonly Candidate[];
  tests: { generators: TestSuite['generators']; assertions: TestSuite['assertions'] };
  /** The stage the progress events are reported under. */
  stage: Stage;
}

export function verifyCandidates(ctx: RunContext, d: Discovered, input: VerifyInput): Promise<VerifyResult> {
  return verify({
    ...execEnv(ctx, d),
    original: { moduleText: d.context.moduleText, entry: d.entry },
    candidates: runnable(input.candidates, d.entry),
    tests: input.tests,
    concurrency: ctx.opts.concurrency ?? Math.max(1, availableParallelism()),
    onProgress: (e) => ctx.progress(input.stage, e.done ?? 0, e.total ?? 0, e.message),
  });
}

export async function verifyAll(ctx: RunContext, d: Discovered, suite: TestSuite, candidates: readonly Candidate[]): Promise<VerifyResult> {
  const v = await verifyCandidates(ctx, d, { candidates, tests: { generators: suite.generators, assertions: suite.assertions }, stage: 'verify' });
  // The parser decides what the prompts say; the runtime decides how cases are called. Say when they differ.
  if (v.original.status === 'ok' && !!v.receiver !== !!d.target.instance) {
    const name = d.context.target.qualifiedName;
    ctx.notes.push(
      v.receiver
        ? `${name} runs as an instance method (the first element of every input is used as the instance's state), but its source did not look like one: check that the tests start with the instance's fields.`
        : `${name} looked like an instance method in its source but runs as a static or class method: its inputs are passed as plain arguments.`,
    );
  }
  return v;
}

/** Verifies the repaired candidates on the same material and adds the result to `verification` (in place). */
export async function verifyRepairs(
  ctx: RunContext,
  d: Discovered,
  suite: TestSuite,
  verification: VerifyResult,
  repaired: readonly Candidate[],
): Promise<void> {
  if (!repaired.some((r) => r.module)) return;
  const second = await verifyCandidates(ctx, d, {
    candidates: repaired,
    tests: { generators: suite.generators, assertions: suite.assertions },
    stage: 'repair',
  });
  mergeVerification(verification, second);
}

/** Adds a second verification (same cases: same generators, seeds and assertions) to the first. */
function mergeVerification(into: VerifyResult, more: VerifyResult): void {
  into.candidates.push(...more.candidates);
  for (const a of into.assertions) {
    const b = more.assertions.find((x) => x.id === a.id);
    if (b) for (const [id, pass] of Object.entries(b.passes)) if (id !== ORIGINAL) a.passes[id] = pass;
  }
  const known = new Set(into.cases.filter((c) => c.included).map((c) => c.id));
  const differing = more.cases.filter((c) => c.included && !known.has(c.id));
  if (differing.length > 0)
    into.notes.push(`The repair round saw ${differing.length} case(s) the first round did not; the passing matrix uses the first round's cases.`);
  into.seconds += more.seconds;
}

export const verifiedIds = (v: VerifyResult): string[] => v.candidates.filter((c) => c.status === 'verified').map((c) => c.id);
