// verify(): behavioural equivalence of candidates with the original (docs/SANDBOX.md).
// Every program runs in its own sandbox process (the original twice, for the determinism check),
// several in parallel; inputs are built inside each process from the same generator code and
// seeds and checked by fingerprint; the comparison happens here, in effopt's process.
import { availableParallelism } from 'node:os';
import type { DroppedTestMaterial } from '../../testgen/types';
import { compareValues } from '../compare/equivalence';
import { cpuLock } from '../lock';
import { compareOutcomes, describeOutcome, formatCaseDiff } from '../compare/outcomes';
import {
  ExecCancelled,
  ExecRequestError,
  linkedAbort,
  preflight,
  prepareExpression,
  prepareGenerators,
  prepareProgram,
  resolveDeterminism,
  sessionOptions,
  throwIfCancelled,
  type PreparedProgram,
} from '../sandbox/programs';
import type { AssertionResult, GenerateResult } from '../sandbox/protocol';
import { renderArgs, renderValue, type Flavour } from '../compare/valueText';
import { emptyRun, ProgramRunner, type AssertionPlan, type ProgramRun } from './runner';
import { sandboxCapabilities } from '../sandbox/sandbox';
import { SandboxDied } from '../sandbox/session';
import type { AssertionVerdict, CaseOutcome, CaseVerdict, ProgramVerification, VerifyCase, VerifyRequest, VerifyResult } from '../types';
import { containsOpaque, opaqueReason } from '../compare/values';
import { ORIGINAL_ID } from '../../defaults';

const ORIGINAL = ORIGINAL_ID;
const ORIGINAL_RERUN = 'original#2';

function validate(req: VerifyRequest): void {
  const ids = new Set<string>();
  for (const c of req.candidates) {
    if (!c.id || c.id === ORIGINAL || c.id === ORIGINAL_RERUN) throw new ExecRequestError(`candidate id "${c.id}" is empty or reserved`);
    if (ids.has(c.id)) throw new ExecRequestError(`candidate id "${c.id}" is used twice`);
    ids.add(c.id);
  }
  if (!(req.limits.timeoutMs > 0) || !(req.limits.memoryMb > 0)) throw new ExecRequestError('limits.timeoutMs and limits.memoryMb must be positive');
}

/** Runs jobs with at most `n` at a time; the first error aborts `ac` (stopping the others) and is rethrown. */
async function pool<T>(jobs: Array<() => Promise<T>>, n: number, ac: AbortController): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < jobs.length && failure === undefined) {
      const i = next++;
      try {
        results[i] = await jobs[i]();
      } catch (err) {
        if (failure === undefined) failure = err;
        ac.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, jobs.length)) }, worker));
  if (failure !== undefined) throw failure;
  return results;
}

const failedRun = (key: string, message: string): ProgramRun => ({ ...emptyRun(key), loadError: message });

/** Verifies every candidate against the original on the generated cases and assertion tests. */
export async function verify(req: VerifyRequest): Promise<VerifyResult> {
  validate(req);
  preflight(req.language, req);
  return cpuLock.shared(() => verifyLocked(req), req.signal);
}

async function verifyLocked(req: VerifyRequest): Promise<VerifyResult> {
  const started = performance.now();
  const flavour: Flavour = req.language === 'python' ? 'py' : 'js';
  const det = resolveDeterminism(req);
  const env = req;
  const notes: string[] = [];
  const dropped: DroppedTestMaterial[] = [];
  throwIfCancelled(req.signal);

  const original = prepareProgram(req.language, ORIGINAL, req.original, env);
  const candidates = req.candidates.map((c) => prepareProgram(req.language, c.id, c, env));
  const transpileMs: Record<string, number> = Object.fromEntries([original, ...candidates].map((p) => [p.key, p.transpileMs]));
  const assertions: AssertionPlan[] = [];
  (req.tests.assertions ?? []).forEach((test, i) => {
    try {
      assertions.push({
        set: `a${i}`,
        test,
        argsExpr: prepareExpression(req.language, test.argsExpr),
        expectedExpr: prepareExpression(req.language, test.expectedExpr),
      });
    } catch (err) {
      dropped.push({ what: `assertion test ${test.id}`, reason: (err as Error).message });
    }
  });
  const options = sessionOptions(req.language, req.limits, det, env, original.filename);
  const ac = linkedAbort(req.signal);
  const sandbox = sandboxCapabilities();
  notes.push(...sandbox.notes);

  const runProgram = async (p: PreparedProgram, key: string, captureArgsBefore: boolean): Promise<ProgramRun> => {
    if (p.error) return failedRun(key, p.error);
    const runner = new ProgramRunner({
      session: options,
      program: { ...p, key },
      generators: prepareGenerators(req.language, req.tests.generators, det.seed),
      assertions,
      timeoutMs: req.limits.timeoutMs,
      seed: det.seed,
      maxRestarts: req.maxRestarts ?? 3,
      captureArgsBefore,
      signal: ac.signal,
    });
    try {
      const run = await runner.execute();
      finished++;
      req.onProgress?.({
        phase: 'verify',
        message: `${key}: ${run.loadError ? 'did not load' : `${run.outcomes.size} cases run`}`,
        done: finished,
        total: jobCount,
      });
      return run;
    } catch (err) {
      if (err instanceof ExecCancelled || req.signal?.aborted) throw new ExecCancelled();
      if (err instanceof SandboxDied) return failedRun(key, err.message);
      throw err;
    }
  };

  let finished = 0;
  const jobCount = 1 + (req.skipDeterminismCheck ? 0 : 1) + candidates.length;
  const jobs: Array<() => Promise<ProgramRun>> = [() => runProgram(original, ORIGINAL, true)];
  if (!req.skipDeterminismCheck) jobs.push(() => runProgram(original, ORIGINAL_RERUN, false));
  for (const c of candidates) jobs.push(() => runProgram(c, c.key, false));
  const concurrency = req.concurrency ?? Math.max(1, Math.min(2, availableParallelism()));
  const runs = await pool(jobs, concurrency, ac);
  const run1 = runs[0];
  const run2 = req.skipDeterminismCheck ? undefined : runs[1];
  const candidateRuns = runs.slice(req.skipDeterminismCheck ? 1 : 2);

  const base = {
    language: req.language,
    dropped,
    notes,
    sandbox,
    transpileMs,
  };
  if (run1.loadError) {
    const status = run1.unsupported ? 'unsupported' : 'load-error';
    return {
      ...base,
      cases: [],
      original: { status, loadError: run1.loadError, restarts: run1.restarts, tamperedOnLoad: run1.tamperedOnLoad },
      candidates: candidateRuns.map((r) =>
        emptyVerification(r, status === 'unsupported' ? 'unsupported' : 'no-cases', `the original does not run: ${run1.loadError}`),
      ),
      assertions: [],
      seconds: (performance.now() - started) / 1000,
    };
  }

  // Test material that the original's process could not build, or that is not reproducible.
  const generators = prepareGenerators(req.language, req.tests.generators, det.seed);
  const unusableSets = new Set<string>();
  for (const g of generators) {
    const r1 = run1.generators.get(g.set);
    const what = `input generator ${g.index} (level ${g.level})`;
    if (!r1 || 'error' in r1) {
      dropped.push({ what, reason: r1 && 'error' in r1 ? r1.error : 'not run' });
      unusableSets.add(g.set);
      continue;
    }
    const r2 = run2?.generators.get(g.set);
    if (run2 && !run2.loadError && r2 && !('error' in r2) && r2.fingerprint !== r1.fingerprint) {
      dropped.push({ what, reason: 'not deterministic: the same seed built different inputs in two processes' });
      unusableSets.add(g.set);
      continue;
    }
    if (r1.droppedCases > 0) notes.push(`${what}: kept the first ${r1.count} cases, dropped ${r1.droppedCases}`);
  }
  for (const a of assertions) {
    const r = run1.assertions.get(a.set);
    if (!r || 'error' in r) {
      dropped.push({ what: `assertion test ${a.test.id}`, reason: r && 'error' in r ? r.error : 'not run' });
      unusableSets.add(a.set);
    }
  }

  // The case table, from the original's first run.
  const cases: VerifyCase[] = [];
  const caseSet = new Map<string, string>();
  for (const c of run1.cases) {
    if (unusableSets.has(c.set)) continue;
    caseSet.set(c.id, c.set);
    const outcome = run1.outcomes.get(c.id) ?? skippedOutcome('not run');
    const args = run1.argsBefore.get(c.id);
    const g = generators.find((x) => x.set === c.set);
    const a = assertions.find((x) => x.set === c.set);
    const vc: VerifyCase = {
      id: c.id,
      kind: g ? 'generated' : 'assertion',
      argsText: args ? renderArgs(args, { flavour, maxChars: 300 }, run1.receiver) : '',
      included: true,
      original: outcome,
    };
    if (args) vc.args = args;
    if (g) {
      vc.level = g.level;
      vc.generator = g.index;
    }
    if (a) vc.assertionId = a.test.id;
    const exclusion = excludeReason(outcome, run2?.loadError ? undefined : run2?.outcomes.get(c.id), req, flavour, run1.receiver);
    if (exclusion) {
      vc.included = false;
      vc.excludedReason = exclusion;
    }
    cases.push(vc);
  }
  const excludedCount = cases.filter((c) => !c.included).length;
  if (excludedCount > 0) notes.push(`${excludedCount} of ${cases.length} cases excluded (see each case's excludedReason)`);
  if (run2?.loadError) notes.push(`determinism check not done: the original's second run failed (${run2.loadError})`);
  if (cases.every((c) => !c.included)) notes.push('no usable case: every candidate is unverified');

  const verifications = candidateRuns.map((r) => judge(r, run1, cases, caseSet, req, flavour));
  return {
    ...base,
    ...(run1.receiver ? { receiver: run1.receiver } : {}),
    cases,
    original: { status: 'ok', restarts: run1.restarts + (run2?.restarts ?? 0), tamperedOnLoad: run1.tamperedOnLoad },
    candidates: verifications,
    assertions: assertionVerdicts(assertions, run1, candidateRuns, req, flavour),
    seconds: (performance.now() - started) / 1000,
  };
}

function skippedOutcome(detail: string): CaseOutcome {
  return { status: 'skipped', stdout: '', stdoutOverflow: false, seconds: 0, tampered: [], detail };
}

/**
 * A failure that comes from a resource limit (recursion depth, stack, memory) is not behaviour to
 * preserve: a rewrite that returns the right value where the naive original overflows is better.
 */
function resourceLimit(o: CaseOutcome): string | undefined {
  if (o.status === 'memory') return 'ran out of memory';
  if (o.status !== 'threw' || !o.error) return undefined;
  const { type, message } = o.error;
  if (type === 'RecursionError') return 'hit the recursion limit (RecursionError)';
  if (type === 'MemoryError') return 'ran out of memory (MemoryError)';
  if (type === 'RangeError' && /Maximum call stack size exceeded/i.test(message))
    return 'overflowed the call stack (RangeError: Maximum call stack size exceeded)';
  if (type === 'RangeError' && /allocation failed|Invalid (typed )?array length|Array buffer allocation/i.test(message))
    return `ran out of memory (RangeError: ${message.slice(0, 60)})`;
  return undefined;
}

function excludeReason(o1: CaseOutcome, o2: CaseOutcome | undefined, req: VerifyRequest, flavour: Flavour, receiver?: 'this' | 'self'): string | undefined {
  const limit = resourceLimit(o1);
  if (limit) return `the original ${limit}: a resource limit, not behaviour to preserve`;
  if (!['returned', 'threw', 'exited'].includes(o1.status)) return `the original ${describeOutcome(o1, flavour, 160)}`;
  if (o1.value !== undefined && containsOpaque(o1.value)) return `the original's result cannot be compared (${opaqueReason(o1.value)})`;
  if (o1.tampered.length > 0) return `the original changes builtins (${o1.tampered.slice(0, 3).join(', ')})`;
  if (o2 === undefined) return undefined;
  const cmp = compareOutcomes(o1, o2, req.equivalence, flavour, receiver);
  if (!cmp.equal) return `the original is not deterministic here (second run: ${cmp.reason ?? 'different'})`;
  return undefined;
}

function emptyVerification(r: ProgramRun, status: ProgramVerification['status'], why: string): ProgramVerification {
  return {
    id: r.key,
    status,
    loadError: r.loadError ?? why,
    passed: 0,
    failed: 0,
    excluded: 0,
    skipped: 0,
    verdicts: [],
    restarts: r.restarts,
    tamperedOnLoad: r.tamperedOnLoad,
  };
}

function slim(o: CaseOutcome): CaseOutcome {
  return { status: o.status, stdout: '', stdoutOverflow: o.stdoutOverflow, seconds: o.seconds, tampered: o.tampered };
}

function judge(
  run: ProgramRun,
  original: ProgramRun,
  cases: VerifyCase[],
  caseSet: Map<string, string>,
  req: VerifyRequest,
  flavour: Flavour,
): ProgramVerification {
  if (run.loadError) return emptyVerification(run, run.unsupported ? 'unsupported' : 'load-error', run.loadError);
  const verdicts: CaseVerdict[] = [];
  const counts = { passed: 0, failed: 0, excluded: 0, skipped: 0 };
  for (const c of cases) {
    const set = caseSet.get(c.id) as string;
    const outcome = run.outcomes.get(c.id);
    const push = (v: CaseVerdict): void => {
      verdicts.push(v);
      if (v.status === 'pass') counts.passed++;
      else if (v.status === 'fail') counts.failed++;
      else if (v.status === 'excluded') counts.excluded++;
      else counts.skipped++;
    };
    if (!c.included) {
      // Say what the rewrite did where the original hit a limit (it usually returned the answer).
      const did = outcome && outcome.status !== 'skipped' ? `; this rewrite ${describeOutcome(outcome, flavour, 120)}` : '';
      push({
        caseId: c.id,
        status: 'excluded',
        reason: `${c.excludedReason ?? 'excluded'}${did}`,
        outcome: outcome ? slim(outcome) : skippedOutcome('excluded'),
      });
      continue;
    }
    const inputsDiffer = inputMismatch(set, run, original);
    if (inputsDiffer) {
      push({ caseId: c.id, status: 'fail', reason: inputsDiffer, outcome: outcome ?? skippedOutcome(inputsDiffer) });
      continue;
    }
    if (!outcome) {
      push({ caseId: c.id, status: 'skipped', reason: 'not run', outcome: skippedOutcome('not run') });
      continue;
    }
    if (outcome.status === 'skipped') {
      push({ caseId: c.id, status: 'skipped', reason: outcome.detail, outcome });
      continue;
    }
    const cmp = compareOutcomes(c.original, outcome, req.equivalence, flavour, original.receiver);
    if (cmp.equal) push({ caseId: c.id, status: 'pass', outcome: slim(outcome) });
    else
      push({
        caseId: c.id,
        status: 'fail',
        reason: cmp.reason,
        diffs: cmp.diffs,
        diffText: formatCaseDiff(c.id, c.args, c.original, outcome, cmp, flavour, original.receiver),
        outcome,
      });
  }
  const status: ProgramVerification['status'] =
    counts.failed > 0 ? 'failed' : counts.passed > 0 && counts.skipped === 0 ? 'verified' : counts.passed > 0 ? 'failed' : 'no-cases';
  const v: ProgramVerification = { id: run.key, status, ...counts, verdicts, restarts: run.restarts, tamperedOnLoad: run.tamperedOnLoad };
  const firstFailure = verdicts.find((x) => x.status === 'fail') ?? verdicts.find((x) => x.status === 'skipped');
  if (firstFailure) v.firstFailure = firstFailure;
  return v;
}

/** The candidate's process must have built the same inputs as the original's. */
function inputMismatch(set: string, run: ProgramRun, original: ProgramRun): string | undefined {
  const mine = run.generators.get(set) ?? run.assertions.get(set);
  const theirs = original.generators.get(set) ?? original.assertions.get(set);
  if (!theirs || 'error' in theirs) return undefined;
  if (!mine) return "inputs were not built in the candidate's process";
  if ('error' in mine) return `inputs could not be built in the candidate's module scope: ${mine.error}`;
  if ((mine as GenerateResult | AssertionResult).fingerprint !== (theirs as GenerateResult | AssertionResult).fingerprint) {
    return "inputs differ in the candidate's process (fingerprint mismatch: its module changes what the generator builds)";
  }
  return undefined;
}

function assertionVerdicts(plans: AssertionPlan[], original: ProgramRun, candidates: ProgramRun[], req: VerifyRequest, flavour: Flavour): AssertionVerdict[] {
  return plans.map((a) => {
    const r = original.assertions.get(a.set);
    const caseId = `A/${a.test.id}`;
    const args = original.argsBefore.get(caseId);
    const verdict: AssertionVerdict = {
      id: a.test.id,
      argsText: args ? renderArgs(args, { flavour, maxChars: 300 }, original.receiver) : a.test.argsExpr,
      passes: {},
    };
    if (!r || 'error' in r) {
      verdict.error = r && 'error' in r ? r.error : 'not run';
      return verdict;
    }
    verdict.expected = r.expected;
    verdict.expectedText = renderValue(r.expected, { flavour, maxChars: 300 });
    const passes = (run: ProgramRun): boolean | null => {
      if (run.loadError) return null;
      const o = run.outcomes.get(caseId);
      if (!o || o.status === 'skipped' || o.status === 'error') return null;
      if (o.status !== 'returned' || o.value === undefined) return false;
      if (containsOpaque(r.expected)) return null;
      return compareValues(r.expected, o.value, req.equivalence, flavour).length === 0;
    };
    verdict.passes[ORIGINAL] = passes(original);
    for (const c of candidates) verdict.passes[c.key] = passes(c);
    return verdict;
  });
}
