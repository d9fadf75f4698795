// Report assembly: the OptimizationReport (report.ts, the JSON contract) from what a run finished.
// Every stage result is optional here, so a cancelled or failed run reports what it got to.
import { EFFOPT_VERSION } from '../setup';
import { renderValue, type BenchmarkResult, type CandidateTiming, type VerifyResult } from '../exec';
import { sizeText } from '../exec/compare/sizes';
import type { ChatModel } from '../llm';
import { effAtKs, passAtK } from '../score';
import { candidateStatus } from './candidateStatus';
import { ORIGINAL, preview, type Candidate, type CandidateScore, type Discovered, type RunContext, type TestsStageResult } from './context';
import { formatInterval, formatSpeedup } from './format';
import { buildProposal, sha256 } from './proposal';
import { REPORT_SCHEMA_VERSION, type CandidateReport, type LevelResult, type OptimizationReport, type RunStatus, type SelectionSummary } from './report';
import { b4Top, type Ranking } from './stages/select';
import { verifiedIds } from './stages/verify';

/** What a run finished: the discovery always, each later stage's result once that stage is done. */
export interface RunRecord {
  ctx: RunContext;
  discovered: Discovered;
  tests?: TestsStageResult;
  candidates: readonly Candidate[];
  verification?: VerifyResult;
  bench?: BenchmarkResult;
  scores: ReadonlyMap<string, CandidateScore>;
  selection?: Ranking;
  winner?: string;
}

type RunError = OptimizationReport['error'];

export function buildReport(run: RunRecord, status: RunStatus, error?: RunError): OptimizationReport {
  const { opts } = run.ctx;
  const { language, context } = run.discovered;
  const fn = context.target;
  const firstRound = run.candidates.filter((c) => c.origin !== 'repair');
  const n = firstRound.length;
  const passed = firstRound.filter((c) => run.scores.get(c.id)?.passed ?? false).length;
  const ks = Array.from({ length: n }, (_, i) => i + 1);
  const effs =
    n > 0 && run.scores.size > 0
      ? effAtKs(
          firstRound.map((c) => run.scores.get(c.id)?.score ?? 0),
          ks,
        )
      : [];
  const winner = run.winner ? run.candidates.find((c) => c.id === run.winner) : undefined;
  const w = winner ? run.bench?.candidates.find((t) => t.id === winner.id) : undefined;
  const v = run.verification;
  const sandbox = v?.sandbox ?? run.bench?.sandbox;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'effopt', version: opts.version ?? EFFOPT_VERSION },
    createdAt: new Date().toISOString(),
    mode: opts.candidates ? 'evaluate' : 'optimize',
    file: { path: opts.filePath, language, sha256: sha256(opts.source) },
    function: {
      name: fn.name,
      qualifiedName: fn.qualifiedName,
      kind: fn.kind,
      language,
      startLine: fn.startLine,
      endLine: fn.endLine,
      params: fn.params,
      hotness: fn.hotness,
      hotnessReasons: fn.hotnessReasons,
    },
    status,
    summary: summaryLine(run, status, error),
    ...(w?.overall && winner
      ? {
          winner: {
            id: winner.id,
            speedup: { estimate: w.overall.estimate, low: w.overall.low, high: w.overall.high },
            efficiency: run.scores.get(winner.id)?.score ?? 0,
          },
        }
      : {}),
    ...(winner?.parts && (status === 'improved' || status === 'tests-disagree')
      ? { proposal: buildProposal(winner.id, context, opts.source, winner.parts, status === 'improved', w?.integrity.needsConfirmation) }
      : {}),
    candidates: run.candidates.map((c) => candidateReport(run, c)),
    effAtK: ks.map((k, i) => ({ k, eff: effs[i] ?? 0, pass: passAtK(n, passed, k) })),
    ...(run.selection && v ? { selection: selectionSummary(run.selection, v, language) } : {}),
    tests: testsSummary(run),
    ...(run.bench ? { benchmark: benchmarkSummary(run.bench, run.ctx) } : {}),
    ...(opts.model ? { llm: llmSummary(run.ctx, opts.model) } : {}),
    timings: { ...run.ctx.timings, total: (performance.now() - run.ctx.started) / 1000 },
    ...(sandbox ? { sandbox: { namespaces: sandbox.namespaces, network: sandbox.network, notes: sandbox.notes } } : {}),
    notes: [...run.ctx.notes, ...(v?.notes ?? []), ...(run.bench?.notes ?? [])],
    ...(error ? { error } : {}),
  };
}

function testsSummary(run: RunRecord): OptimizationReport['tests'] {
  const v = run.verification;
  const suite = run.tests?.suite;
  return {
    source: run.tests?.source ?? 'supplied',
    generators: suite?.generators.length ?? 0,
    assertions: suite?.assertions.length ?? 0,
    cases: v?.cases.filter((c) => c.included).length ?? 0,
    excluded: v?.cases.filter((c) => !c.included).map((c) => ({ caseId: c.id, reason: c.excludedReason ?? 'excluded' })) ?? [],
    dropped: [...(suite?.dropped ?? []), ...(v?.dropped ?? [])],
  };
}

function benchmarkSummary(bench: BenchmarkResult, ctx: RunContext): NonNullable<OptimizationReport['benchmark']> {
  const { settings } = ctx.opts;
  return {
    levels: bench.levels,
    repeats: bench.repeats,
    noiseFloor: bench.noiseFloor,
    alpha: settings.alpha,
    hardness: settings.levels,
    original: levelResults(bench.original.levels),
    inputSizes: bench.original.levels.map((l) => {
      const n = bench.inputSizes?.find((x) => x.level === l.level)?.n;
      return n !== undefined ? { n, text: sizeText(n) } : null;
    }),
    cutoffSeconds: bench.cutoffSeconds,
    measureSeconds: bench.measureSeconds,
  };
}

function llmSummary(ctx: RunContext, model: ChatModel): NonNullable<OptimizationReport['llm']> {
  const budget = ctx.budget.report();
  return {
    model: model.info.id,
    vendor: model.info.vendor,
    inputTokens: budget.inputTokens ?? 0,
    outputTokens: budget.outputTokens ?? 0,
    estimated: budget.estimated ?? false,
    costUsd: budget.unpricedModels.length === 0 && budget.costUsd !== undefined ? budget.costUsd : null,
    promptVersions: ctx.llm.promptVersions,
    ...(ctx.llm.stopped ? { stopped: ctx.llm.stopped } : {}),
  };
}

function levelResults(levels: BenchmarkResult['original']['levels'], speedups?: CandidateTiming['speedups']): LevelResult[] {
  return levels.map((l) => {
    const s = speedups?.find((x) => x.level === l.level);
    return {
      level: l.level,
      worstSeconds: l.worst,
      ...(s ? { speedup: { estimate: s.estimate, low: s.low, high: s.high, accepted: s.accepted }, minRule: s.minRule } : {}),
      ...(l.failure ? { failure: `${l.failure.token}: ${l.failure.reason}` } : l.lost ? { failure: `could not be measured: ${l.lost}` } : {}),
    };
  });
}

/** The B4 rank of a candidate's row, if it has one. */
function rankOf(sel: Ranking | undefined, id: string): number | undefined {
  const row = sel ? sel.rows.indexOf(id) : -1;
  return sel && row >= 0 ? sel.b4.ranking.find((g) => g.rows.includes(row))?.rank : undefined;
}

/** A duplicate's entry: its own id and code, its source's outcome (verification, e_i, B4 rank). */
function duplicateReport(run: RunRecord, c: Candidate, sourceId: string): CandidateReport {
  const source = run.candidates.find((x) => x.id === sourceId);
  const of = source ? candidateReport(run, source) : undefined;
  const rank = run.selection && run.selection.rows.includes(c.id) ? rankOf(run.selection, c.id) : of?.b4Rank;
  return {
    id: c.id,
    origin: c.origin,
    ...(c.repairOf ? { repairOf: c.repairOf } : {}),
    duplicateOf: sourceId,
    status: 'duplicate',
    reason: `same code as ${sourceId} (not re-run)`,
    code: c.parse && !c.parse.ok ? c.parse.code : undefined,
    notes: [],
    ...(of?.verification ? { verification: of.verification } : {}),
    efficiency: run.scores.get(c.id) ?? of?.efficiency ?? { score: 0, passed: false, levelScores: [] },
    ...(rank !== undefined ? { b4Rank: rank } : {}),
  };
}

function candidateReport(run: RunRecord, c: Candidate): CandidateReport {
  if (c.duplicateOf) return duplicateReport(run, c, c.duplicateOf);
  const v = run.verification?.candidates.find((x) => x.id === c.id);
  const t = run.bench?.candidates.find((x) => x.id === c.id);
  const b4Rank = rankOf(run.selection, c.id);
  const accepted = c.parse?.ok ? c.parse : undefined;
  const { status, reason } = candidateStatus({
    rejected: c.rejected,
    verification: v,
    timing: t,
    benchmarked: !!run.bench,
    isWinner: c.id === run.winner,
    originalInTop: !!run.selection && b4Top(run.selection).has(ORIGINAL),
    b4Rank,
  });
  return {
    id: c.id,
    origin: c.origin,
    ...(c.repairOf ? { repairOf: c.repairOf } : {}),
    status,
    reason,
    code: accepted?.code ?? (c.parse && !c.parse.ok ? c.parse.code : undefined),
    functionCode: accepted?.functionCode,
    explanation: accepted?.explanation || undefined,
    notes: accepted?.notes ?? [],
    ...(v
      ? {
          verification: {
            status: v.status,
            passed: v.passed,
            failed: v.failed,
            excluded: v.excluded,
            skipped: v.skipped,
            ...(v.firstFailure ? { firstFailure: { caseId: v.firstFailure.caseId, reason: v.firstFailure.reason, diffText: v.firstFailure.diffText } } : {}),
            cases: v.verdicts.map((x) => ({ caseId: x.caseId, status: x.status, ...(x.reason ? { reason: x.reason } : {}) })),
          },
        }
      : {}),
    ...(t && run.bench
      ? {
          timing: {
            levels: levelResults(t.levels, t.speedups),
            ...(t.overall ? { overall: { estimate: t.overall.estimate, low: t.overall.low, high: t.overall.high, accepted: t.overall.accepted } } : {}),
          },
        }
      : {}),
    ...(t && run.bench ? { integrity: t.integrity } : {}),
    efficiency: run.scores.get(c.id) ?? { score: 0, passed: false, levelScores: [] },
    ...(b4Rank !== undefined ? { b4Rank } : {}),
  };
}

/** The assertion tests the user's own code fails (valid tests only), with what it returned instead. */
function disagreements(v: VerifyResult, language: Discovered['language']): SelectionSummary['disagreements'] {
  return v.assertions
    .filter((a) => !a.error && a.passes[ORIGINAL] === false)
    .map((a) => {
      const kase = v.cases.find((c) => c.assertionId === a.id);
      const value = kase?.original.value;
      return {
        testId: a.id,
        argsText: a.argsText,
        expectedText: a.expectedText,
        originalText: value ? renderValue(value, preview(language)) : kase?.original.error ? `threw ${kase.original.error.type}` : undefined,
      };
    });
}

function selectionSummary(sel: Ranking, v: VerifyResult, language: Discovered['language']): SelectionSummary {
  const label = (rows: number[]): string[] => rows.map((i) => sel.rows[i]);
  return {
    rows: sel.rows,
    columns: sel.columns,
    matrix: sel.matrix,
    b4: { ranking: sel.b4.ranking.map((g) => ({ rows: label(g.rows), tests: g.tests.length, score: g.score, rank: g.rank })), top: label(sel.b4.top) },
    baselines: {
      codeT: label(sel.baselines.codeT.top),
      codeTPaper: label(sel.baselines.codeTPaper.top),
      maxPass: label(sel.baselines.maxPass.top),
      mbrExec: label(sel.baselines.mbrExec.top),
      random: label(sel.baselines.random.top),
    },
    disagreements: disagreements(v, language),
  };
}

/**
 * The verdict line when no rewrite is offered, naming the real cause: an integrity failure, a
 * level that could not be measured (the sandbox, not the rewrite), a rewrite refused for another
 * reason. "Does not clear" is said only of an interval that does not clear the floor.
 */
export function noImprovementSummary(
  name: string,
  verifiedCount: number,
  candidateCount: number,
  timed: readonly CandidateTiming[],
  noiseFloor: number,
): string {
  const head = `No verified speedup for ${name}`;
  if (verifiedCount === 0) return `${head}: none of ${candidateCount} rewrites is equivalent to the original`;
  const best = [...timed].filter((t) => !t.integrity.failure).sort((a, b) => (b.overall?.estimate ?? 0) - (a.overall?.estimate ?? 0))[0];
  const disqualified = timed.filter((t) => t.integrity.failure);
  const floor = 1 + noiseFloor;
  // Say the real cause: a rewrite disqualified by an integrity check is not "not fast enough".
  if (disqualified.length > 0 && !(best?.overall && best.overall.estimate > 1)) {
    return `${head}: ${disqualified.length} rewrite(s) failed a measurement-integrity check (${disqualified[0].id}: ${disqualified[0].integrity.failure?.reason})`;
  }
  // A level lost to the sandbox decides before any figure: the figures miss that level.
  const lost = best?.verdict === 'lost-level' ? best : timed.find((t) => t.verdict === 'lost-level');
  if (lost) return `${head}: ${lost.reason}`;
  if (!best?.overall) return `${head}: ${verifiedCount} rewrite(s) equivalent, but none could be timed${best?.reason ? ` (${best.id}: ${best.reason})` : ''}`;
  const measured = `${verifiedCount} rewrite(s) equivalent, the best is ${formatSpeedup(best.overall.estimate)} (interval ${formatInterval(best.overall)})`;
  const clears = best.overall.low > floor;
  if (!clears && (best.verdict === undefined || best.verdict === 'not-clear')) return `${head}: ${measured}, which does not clear ${formatSpeedup(floor)}`;
  return `${head}: ${measured}, but ${best.id} was not accepted: ${best.reason}`;
}

/** Why cases were left out of verification, counted by kind ("1 resource limit, 2 not deterministic"). */
function excludedCounts(cases: VerifyResult['cases']): string {
  const kinds = new Map<string, number>();
  for (const c of cases) {
    if (c.included) continue;
    const why = c.excludedReason ?? '';
    const kind = /resource limit/.test(why)
      ? 'resource limit'
      : /not deterministic/.test(why)
        ? 'not deterministic'
        : /cannot be compared/.test(why)
          ? 'result not comparable'
          : /changes builtins/.test(why)
            ? 'changes builtins'
            : 'your code failed';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

/** How many valid assertion tests the original fails, once B4 has ranked (0 before). */
function failingCount(run: RunRecord): number {
  return run.selection && run.verification ? disagreements(run.verification, run.discovered.language).length : 0;
}

/**
 * A generated test the user's own code fails is news: the summary starts with it, whatever the
 * verdict. Undefined when the original passes every assertion test (or none ran).
 */
function disagreementNews(run: RunRecord): string | undefined {
  const failing = failingCount(run);
  if (failing === 0) return undefined;
  const total = run.verification?.assertions.filter((a) => !a.error).length ?? 0;
  return `Your code fails ${failing} of ${total} ${run.tests?.source === 'llm' ? 'generated' : 'supplied'} test${total === 1 ? '' : 's'} — see why in the report`;
}

function summaryLine(run: RunRecord, status: RunStatus, error?: RunError): string {
  const verdict = verdictLine(run, status, error);
  const news = status === 'failed' || status === 'cancelled' ? undefined : disagreementNews(run);
  return news ? `${news}; ${verdict}` : verdict;
}

/** "1.8× faster (95% interval 1.6×–2.0×)" for the winner's overall speedup. */
const speedText = (overall: CandidateTiming['overall']): string =>
  overall ? `${formatSpeedup(overall.estimate)} faster (95% interval ${formatInterval(overall)})` : 'faster';

function verdictLine(run: RunRecord, status: RunStatus, error?: RunError): string {
  const name = run.discovered.context.target.qualifiedName;
  const v = run.verification;
  const w = run.winner ? run.bench?.candidates.find((t) => t.id === run.winner) : undefined;
  switch (status) {
    case 'improved': {
      const cases = v?.cases.filter((c) => c.included).length ?? 0;
      const excluded = v ? v.cases.length - cases : 0;
      return `${name}: ${speedText(w?.overall ?? null)}, equivalent on ${cases} cases${v && excluded > 0 ? ` (${excluded} excluded: ${excludedCounts(v.cases)})` : ''} — candidate ${run.winner}`;
    }
    case 'tests-disagree':
      // With disagreements the news in front already says what; otherwise say it here.
      return `${failingCount(run) > 0 ? 'the tests disagree with your code and B4 sides with them' : `The generated tests disagree with ${name}`}: check your code or the tests; nothing is applied automatically${run.winner ? ` (candidate ${run.winner} is ${formatSpeedup(w?.overall?.estimate ?? 1)} faster and matches your code)` : ''}`;
    case 'no-improvement':
      return noImprovementSummary(name, v ? verifiedIds(v).length : 0, run.candidates.length, run.bench?.candidates ?? [], run.ctx.opts.settings.noiseFloor);
    case 'cancelled':
      return `Cancelled: ${name} — kept what finished`;
    case 'failed':
      return `Failed: ${error?.message.split('\n')[0] ?? 'unknown error'}`;
  }
}
