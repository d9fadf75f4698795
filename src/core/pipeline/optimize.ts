// optimize(): the stages of docs/ARCHITECTURE.md for one function. Each stage is a function of the results before
// it (stages/*.ts, in run order: discover, tests, candidates, verify, repair, fuzz, benchmark,
// score, select); this file is the order, the timing of each stage and the early exits. The report
// is assembled from whatever finished (buildReport.ts), so a cancelled or broken run still reports
// what it got to. Verification may run several sandboxes at once; benchmarking runs alone (the exec
// layer's CPU lock).
import { ExecCancelled } from '../exec';
import { createBudget, LlmError } from '../llm';
import { ParseCancelled } from '../parse';
import { buildReport, type RunRecord } from './buildReport';
import type { RunContext } from './context';
import { PipelineInputError, type OptimizeOptions } from './options';
import type { OptimizationReport, Stage } from './report';
import { benchmarkVerified } from './stages/benchmark';
import { obtainCandidates } from './stages/candidates';
import { discover } from './stages/discover';
import { requestRepairs } from './stages/repair';
import { scoreCandidates } from './stages/score';
import { b4Top, rankWithB4 } from './stages/select';
import { hasTests, obtainTests } from './stages/tests';
import { fuzzAll } from './stages/fuzz';
import { verifyAll, verifyRepairs } from './stages/verify';
import { pickWinner } from './winner';

export { PipelineInputError, type BenchmarkTuning, type OptimizeOptions, type PipelineProgress, type SuppliedCandidate } from './options';
export { noImprovementSummary } from './buildReport';

const isCancel = (err: unknown, signal?: AbortSignal): boolean =>
  err instanceof ExecCancelled || err instanceof ParseCancelled || (err instanceof LlmError && err.kind === 'cancelled') || (signal?.aborted ?? false);

/** LLM errors that are the request's fault (key, model name, parameters), not the provider's. */
const LLM_INPUT_ERRORS = new Set<LlmError['kind']>(['auth', 'model-not-found', 'bad-request']);

function runContext(opts: OptimizeOptions): RunContext {
  return {
    opts,
    budget: opts.budget ?? createBudget(opts.settings),
    started: performance.now(),
    timings: {},
    notes: [],
    llm: { promptVersions: {} },
    progress: (stage, done, total, message) => opts.onProgress?.({ stage, done, total, message }),
  };
}

/** Runs the pipeline and returns the report; throws PipelineInputError for a request that cannot run. */
export async function optimize(opts: OptimizeOptions): Promise<OptimizationReport> {
  const ctx = runContext(opts);
  const stage = async <T>(name: Stage, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    ctx.progress(name, 0, 1);
    try {
      return await fn();
    } finally {
      ctx.timings[name] = (ctx.timings[name] ?? 0) + (performance.now() - t0) / 1000;
    }
  };

  const d = await stage('discover', () => discover(ctx));
  if (!opts.model && (!opts.candidates || !opts.tests)) {
    throw new PipelineInputError(
      opts.candidates
        ? 'no tests were supplied and no LLM is configured to generate them (pass --tests, or configure a provider and an API key)'
        : 'no LLM is configured to generate rewrites',
    );
  }
  // What finished so far: the report is built from it whatever happens next.
  const run: RunRecord = { ctx, discovered: d, candidates: [], scores: new Map() };
  const report = (status: OptimizationReport['status'], error?: OptimizationReport['error']) => buildReport(run, status, error);
  try {
    const tests = (run.tests = await stage('tests', () => obtainTests(ctx, d)));
    if (!hasTests(tests.suite)) return report('failed', { kind: 'input', message: 'no usable tests: every generator and assertion test was dropped' });
    run.candidates = await stage('candidates', () => obtainCandidates(ctx, d));
    const verification = (run.verification = await stage('verify', () => verifyAll(ctx, d, tests.suite, run.candidates)));
    const original = verification.original;
    if (original.status !== 'ok')
      return report('failed', {
        kind: 'sandbox',
        message: `the original ${d.context.target.qualifiedName} does not run in the sandbox: ${original.loadError ?? original.status}`,
      });
    if (!verification.cases.some((c) => c.included))
      return report('failed', {
        kind: 'input',
        message: 'no test case could be used: the generators produced no inputs, or the original failed or was not deterministic on all of them',
      });
    if (opts.model && opts.repair !== false) {
      await stage('repair', async () => {
        const repaired = await requestRepairs(ctx, d, verification, run.candidates);
        run.candidates = [...run.candidates, ...repaired];
        await verifyRepairs(ctx, d, tests.suite, verification, repaired);
      });
    }
    await stage('fuzz', () => fuzzAll(ctx, d, verification, run.candidates));
    run.bench = await stage('benchmark', () => benchmarkVerified(ctx, d, tests.suite, verification, run.candidates));
    run.scores = await stage('score', () =>
      scoreCandidates({ settings: opts.settings, candidates: run.candidates, verification, bench: run.bench, notes: ctx.notes }),
    );
    const choice = await stage('select', () => {
      const selection = (run.selection = rankWithB4(verification, run.candidates));
      return pickWinner({ top: b4Top(selection), timings: run.bench?.candidates ?? [], scores: run.scores });
    });
    run.winner = choice.winner;
    return report(choice.status);
  } catch (err) {
    if (isCancel(err, opts.signal)) return report('cancelled');
    if (err instanceof PipelineInputError) throw err;
    if (err instanceof LlmError) return report('failed', { kind: LLM_INPUT_ERRORS.has(err.kind) ? 'input' : 'llm', message: err.message });
    return report('failed', { kind: 'internal', message: (err as Error)?.stack ?? String(err) });
  }
}
