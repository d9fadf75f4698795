// optimize(): DESIGN §2 steps 1–9 for one function. Each stage fills a field of the run; the
// report is assembled from whatever is filled, so a cancelled or broken run still reports what
// it finished. Verification may run several sandboxes at once; benchmarking runs alone (the
// exec layer's CPU lock).
import { availableParallelism } from 'node:os';
import type { EffoptSettings } from '../config';
import { benchmark, ExecCancelled, passMatrix, renderValue, runGrid, verify, type BenchmarkResult, type CandidateSource, type CandidateTiming, type ProgramVerification, type VerifyResult } from '../exec';
import { sizeText } from '../exec/sizes';
import type { LanguageId } from '../languages/types';
import { Budget, createBudget, LlmError, markDuplicates, parseCandidateReply, requestCandidates, requestRepair, samplingOptions, targetFromContext, type AcceptedCandidate, type CandidateParse, type ChatModel, type RepairFailure, type TargetFunction } from '../llm';
import { extractContext, FunctionNotFound, languageForPath, ParseCancelled, ParseInputError, type FunctionContext } from '../parse';
import { allBaselines, b4Rank, effAtKs, efficiencyScoreFromProfile, passAtK, referenceProfile, type Selection } from '../score';
import { requestTestSuite } from '../testgen/request';
import type { TestSuite } from '../testgen/types';
import { privateNames } from '../exec/harness/private-names';
import { formatInterval, formatSpeedup } from './format';
import { buildProposal, CandidateConflict, candidateModule, candidateParts, sha256, type CandidateParts } from './proposal';
import { applyFuzzFailures, fuzzVerified } from './fuzzStage';
import { REPORT_SCHEMA_VERSION, type CandidateReport, type CandidateStatus, type LevelResult, type OptimizationReport, type RunStatus, type SelectionSummary, type Stage } from './report';
import { ORIGINAL_ID } from '../defaults';
import { EFFOPT_VERSION } from '../setup';

export interface SuppliedCandidate {
  /** Defaults to `s1`, `s2`, … in the given order. */
  id?: string;
  /** The rewrite: the function, optionally with helpers and imports, fenced or not. */
  code: string;
}

export interface PipelineProgress {
  stage: Stage;
  done: number;
  total: number;
  message?: string;
}

export interface BenchmarkTuning {
  repeats?: number;
  budgetMsPerLevel?: number;
  warmupMs?: number;
  maxCasesPerLevel?: number;
}

export interface OptimizeOptions {
  /** The file's path (imports resolve from its folder; shown in reports). */
  filePath: string;
  /** The file's text as read; the proposal's edits are offsets into it. */
  source: string;
  language?: LanguageId;
  /** Qualified (`Class.method`) or plain name. */
  functionName: string;
  settings: EffoptSettings;
  /** Needed unless both candidates and tests are supplied. */
  model?: ChatModel;
  /** Evaluate mode: rewrites to check instead of asking the LLM. */
  candidates?: SuppliedCandidate[];
  /** Test material to use instead of asking the LLM. */
  tests?: TestSuite;
  /** The user's project (npm packages / Python modules resolve from here). */
  projectDir?: string;
  /** One repair round for candidates that fail verification (default: on when a model is given). */
  repair?: boolean;
  budget?: Budget;
  bench?: BenchmarkTuning;
  /** Float tolerance for functions that return approximations (default rtol 1e-9, atol 1e-12). */
  tolerance?: { rtol?: number; atol?: number };
  /** Verification sandboxes at once (default: the number of cores). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (event: PipelineProgress) => void;
  /** effopt's version, for the report. */
  version?: string;
  /** Receives the test material once it is known (a caller may re-verify an edited rewrite with it). */
  onTests?: (suite: TestSuite) => void;
}

/** The request cannot run as given (unknown function, unsupported kind, nothing to test with). */
export class PipelineInputError extends Error {
  override readonly name = 'PipelineInputError';
}

const ORIGINAL = ORIGINAL_ID;
/** How values are shown in reports: in the function's own language's notation. */
const preview = (language: LanguageId) => ({ flavour: language === 'python' ? ('py' as const) : ('js' as const), maxChars: 300, maxItems: 12 });

interface Candidate {
  id: string;
  origin: 'llm' | 'repair' | 'supplied';
  repairOf?: string;
  parse?: CandidateParse;
  /** Set when the candidate can run: its module. */
  module?: string;
  parts?: CandidateParts;
  /** Why it never ran (parse rejection, conflict, no reply). */
  rejected?: string;
  /** The id of the earlier candidate with the same code: not run, it takes that one's outcome. */
  duplicateOf?: string;
}

const isCancel = (err: unknown, signal?: AbortSignal): boolean =>
  err instanceof ExecCancelled || err instanceof ParseCancelled || (err instanceof LlmError && err.kind === 'cancelled') || (signal?.aborted ?? false);

class Run {
  readonly started = performance.now();
  readonly timings: Partial<Record<Stage, number>> = {};
  readonly notes: string[] = [];
  language!: LanguageId;
  context!: FunctionContext;
  target!: TargetFunction;
  suite?: TestSuite;
  testsSource: 'llm' | 'supplied' = 'supplied';
  candidates: Candidate[] = [];
  verification?: VerifyResult;
  selection?: { rows: string[]; columns: string[]; matrix: number[][]; b4: Selection; baselines: ReturnType<typeof allBaselines> };
  bench?: BenchmarkResult;
  scores = new Map<string, { score: number; passed: boolean; levelScores: number[]; note?: string }>();
  winner?: string;
  promptVersions: Record<string, string> = {};
  llmStopped?: string;
  readonly budget: Budget;

  constructor(readonly opts: OptimizeOptions) {
    this.budget = opts.budget ?? createBudget(opts.settings);
  }

  progress(stage: Stage, done: number, total: number, message?: string): void {
    this.opts.onProgress?.({ stage, done, total, message });
  }

  async stage<T>(stage: Stage, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    this.progress(stage, 0, 1);
    try {
      return await fn();
    } finally {
      this.timings[stage] = (this.timings[stage] ?? 0) + (performance.now() - t0) / 1000;
    }
  }
}

/** Runs the pipeline and returns the report; throws PipelineInputError for a request that cannot run. */
export async function optimize(opts: OptimizeOptions): Promise<OptimizationReport> {
  const run = new Run(opts);
  await run.stage('discover', () => discover(run));
  if (!opts.model && (!opts.candidates || !opts.tests)) {
    throw new PipelineInputError(opts.candidates ? 'no tests were supplied and no LLM is configured to generate them (pass --tests, or configure a provider and an API key)' : 'no LLM is configured to generate rewrites');
  }
  try {
    await run.stage('tests', () => obtainTests(run));
    if (!hasTests(run.suite)) return report(run, 'failed', { kind: 'input', message: 'no usable tests: every generator and assertion test was dropped' });
    await run.stage('candidates', () => obtainCandidates(run));
    await run.stage('verify', () => verifyAll(run));
    if (run.verification?.original.status !== 'ok') {
      const v = run.verification!.original;
      return report(run, 'failed', { kind: 'sandbox', message: `the original ${run.context.target.qualifiedName} does not run in the sandbox: ${v.loadError ?? v.status}` });
    }
    if (!run.verification.cases.some((c) => c.included)) return report(run, 'failed', { kind: 'input', message: 'no test case could be used: the generators produced no inputs, or the original failed or was not deterministic on all of them' });
    if (opts.model && opts.repair !== false) await run.stage('repair', () => repairFailures(run));
    await run.stage('fuzz', () => fuzzAll(run));
    await run.stage('benchmark', () => benchmarkVerified(run));
    await run.stage('score', async () => score(run));
    const status = await run.stage('select', async () => {
      rankWithB4(run);
      return chooseWinner(run);
    });
    return report(run, status);
  } catch (err) {
    if (isCancel(err, opts.signal)) return report(run, 'cancelled');
    if (err instanceof PipelineInputError) throw err;
    if (err instanceof LlmError) return report(run, 'failed', { kind: err.kind === 'auth' || err.kind === 'model-not-found' || err.kind === 'bad-request' ? 'input' : 'llm', message: err.message });
    return report(run, 'failed', { kind: 'internal', message: (err as Error)?.stack ?? String(err) });
  }
}

function hasTests(suite?: TestSuite): boolean {
  return !!suite && (suite.generators.length > 0 || suite.assertions.length > 0);
}

async function discover(run: Run): Promise<void> {
  const { opts } = run;
  const language = opts.language ?? languageForPath(opts.filePath);
  if (!language) throw new PipelineInputError(`cannot tell the language of ${opts.filePath} (known: .js .jsx .mjs .cjs .ts .mts .cts .tsx .py)`);
  run.language = language;
  try {
    run.context = await extractContext(opts.source, language, opts.functionName, { signal: opts.signal });
  } catch (err) {
    if (err instanceof FunctionNotFound || err instanceof ParseInputError) throw new PipelineInputError(err.message);
    throw err;
  }
  const fn = run.context.target;
  if (!fn.optimizable) throw new PipelineInputError(`${fn.qualifiedName} is not optimizable: ${fn.reason ?? 'unsupported kind'}`);
  const path = run.context.accessPath;
  if (!path) throw new PipelineInputError(`${fn.qualifiedName} cannot be called on its own (a nested or private function); optimize the function that contains it`);
  if (path.includes('.prototype.')) {
    // A receiver built without the constructor has no #private fields (the harness refuses too; here before any LLM call).
    const found = privateNames(run.context.container.text);
    if (found.length > 0) throw new PipelineInputError(`${fn.qualifiedName} is an instance method of a class with #private members (${found.slice(0, 3).join(', ')}): effopt builds the instance from its fields without running the constructor, so private fields cannot be set up; make them ordinary fields to optimize this method`);
  }
  if (run.context.truncated) run.notes.push('The function’s context was cut at the size bound: some referenced declarations are missing from the standalone module.');
  run.target = targetFromContext(run.context, opts.filePath);
}

async function obtainTests(run: Run): Promise<void> {
  const { opts } = run;
  if (opts.tests) {
    run.suite = { ...opts.tests, generators: opts.tests.generators.map((g) => ({ ...g, language: g.language ?? run.language })) };
    run.testsSource = 'supplied';
    opts.onTests?.(run.suite);
    return;
  }
  const round = await requestTestSuite(opts.model!, run.target, { levels: opts.settings.levels.length, budget: run.budget, signal: opts.signal });
  run.promptVersions.tests = round.promptVersion;
  if (round.stopped) run.llmStopped = round.stopped.message;
  run.suite = round.suite;
  run.testsSource = 'llm';
  opts.onTests?.(run.suite);
}

async function obtainCandidates(run: Run): Promise<void> {
  const { opts } = run;
  if (opts.candidates) {
    const parses: CandidateParse[] = [];
    for (const [i, c] of opts.candidates.entries()) {
      run.progress('candidates', i, opts.candidates.length, 'checking supplied rewrites');
      parses.push(await parseCandidateReply({ text: c.code, finishReason: 'stop' }, run.target, { signal: opts.signal }));
    }
    const marked = markDuplicates(parses);
    // A supplied rewrite has no model's explanation (the reply parser's prose is the code itself)
    // and needs no fence.
    run.candidates = linkDuplicates(await Promise.all(marked.map((p, i) => accept(run, { id: opts.candidates![i].id ?? `s${i + 1}`, origin: 'supplied', parse: p.ok ? { ...p, explanation: '', notes: p.notes.filter((n) => !n.startsWith('no code fence')) } : p }))));
    return;
  }
  const n = opts.settings.samples;
  let received = 0;
  const round = await requestCandidates(opts.model!, run.target, n, {
    ...samplingOptions(opts.settings),
    budget: run.budget,
    signal: opts.signal,
    onCandidate: () => run.progress('candidates', ++received, n, 'rewrites received'),
  });
  run.promptVersions.optimize = round.promptVersion;
  if (round.stopped) run.llmStopped = round.stopped.message;
  const slots: Candidate[] = [];
  for (const r of round.results) slots[r.index] = await accept(run, { id: `c${r.index + 1}`, origin: 'llm', parse: r });
  for (const f of round.failures) slots[f.index] = { id: `c${f.index + 1}`, origin: 'llm', rejected: `no reply: ${f.error.message}` };
  run.candidates = linkDuplicates(slots.filter(Boolean));
}

/**
 * A duplicate (same code as an earlier candidate, up to formatting and comments) is not run
 * again: it is linked to the first candidate with that code and takes its outcome. It is still a
 * sample of its own: the model produced that code twice, and eff@k / pass@k count every sample.
 */
function linkDuplicates(candidates: Candidate[], earlier: readonly Candidate[] = []): Candidate[] {
  const firstWith = new Map<string, string>();
  for (const c of [...earlier, ...candidates]) if (c.parse?.ok && !firstWith.has(c.parse.normalized)) firstWith.set(c.parse.normalized, c.id);
  return candidates.map((c) => {
    const p = c.parse;
    const source = p && !p.ok && p.reason === 'duplicate' && p.normalized !== undefined ? firstWith.get(p.normalized) : undefined;
    return source ? { ...c, rejected: undefined, duplicateOf: source } : c;
  });
}

/** Checks a parsed candidate against the file and builds its module, or records why it cannot run. */
async function accept(run: Run, c: Candidate): Promise<Candidate> {
  const p = c.parse!;
  if (!p.ok) return { ...c, rejected: p.detail };
  try {
    const parts = await candidateParts(p, run.context, run.opts.source);
    return { ...c, parts, module: candidateModule(run.context, parts) };
  } catch (err) {
    if (err instanceof CandidateConflict) return { ...c, rejected: `rejected: ${err.message}` };
    throw err;
  }
}

const runnable = (cs: readonly Candidate[], entry: string): CandidateSource[] => cs.filter((c) => c.module).map((c) => ({ id: c.id, moduleText: c.module!, entry }));

function execEnv(run: Run) {
  const { settings } = run.opts;
  return {
    language: run.language,
    limits: { timeoutMs: settings.timeoutMs, memoryMb: settings.memoryMb },
    projectDir: run.opts.projectDir,
    filePath: run.opts.filePath,
    pythonPath: settings.pythonPath,
    signal: run.opts.signal,
    ...(run.opts.tolerance ? { equivalence: { ...(run.opts.tolerance.rtol !== undefined ? { relTol: run.opts.tolerance.rtol } : {}), ...(run.opts.tolerance.atol !== undefined ? { absTol: run.opts.tolerance.atol } : {}) } } : {}),
  };
}

async function verifyCandidates(run: Run, candidates: readonly Candidate[], stage: Stage, generators = run.suite!.generators, assertions = run.suite!.assertions): Promise<VerifyResult> {
  const entry = run.context.accessPath!;
  return verify({
    ...execEnv(run),
    original: { moduleText: run.context.moduleText, entry },
    candidates: runnable(candidates, entry),
    tests: { generators, assertions },
    concurrency: run.opts.concurrency ?? Math.max(1, availableParallelism()),
    onProgress: (e) => run.progress(stage, e.done ?? 0, e.total ?? 0, e.message),
  });
}

async function verifyAll(run: Run): Promise<void> {
  run.verification = await verifyCandidates(run, run.candidates, 'verify');
  // The parser decides what the prompts say; the runtime decides how cases are called. Say when they differ.
  const v = run.verification;
  if (v.original.status === 'ok' && !!v.receiver !== !!run.target.instance) {
    const name = run.context.target.qualifiedName;
    run.notes.push(v.receiver ? `${name} runs as an instance method (the first element of every input is used as the instance's state), but its source did not look like one: check that the tests start with the instance's fields.` : `${name} looked like an instance method in its source but runs as a static or class method: its inputs are passed as plain arguments.`);
  }
}

/** The failure of a candidate, in the shape the repair prompt shows. */
function repairFailure(run: Run, v: ProgramVerification): RepairFailure {
  if (v.status === 'load-error' || v.status === 'unsupported') return { summary: `does not load: ${v.loadError ?? v.status}` };
  const f = v.firstFailure!;
  const kase = run.verification!.cases.find((c) => c.id === f.caseId);
  const actual = f.outcome.value ? renderValue(f.outcome.value, preview(run.language)) : undefined;
  const expected = kase?.original.value ? renderValue(kase.original.value, preview(run.language)) : undefined;
  return {
    summary: f.reason ?? 'differs from the original',
    argsExpr: kase?.argsText,
    expected,
    actual,
    error: f.outcome.error ? `${f.outcome.error.type}: ${f.outcome.error.message}` : f.outcome.detail,
  };
}

async function repairFailures(run: Run): Promise<void> {
  const failed = run.verification!.candidates.filter((v) => v.status === 'failed' || v.status === 'load-error');
  if (failed.length === 0) return;
  const accepted = run.candidates.filter((c) => c.parse?.ok).map((c) => c.parse as AcceptedCandidate);
  const repaired: Candidate[] = [];
  for (const [i, v] of failed.entries()) {
    run.progress('repair', i, failed.length, `repairing ${v.id}`);
    const original = run.candidates.find((c) => c.id === v.id)!;
    const round = await requestRepair(run.opts.model!, run.target, (original.parse as AcceptedCandidate).code, repairFailure(run, v), {
      ...samplingOptions(run.opts.settings),
      budget: run.budget,
      signal: run.opts.signal,
      previous: [...accepted, ...repaired.filter((r) => r.parse?.ok).map((r) => r.parse as AcceptedCandidate)],
    });
    run.promptVersions.repair = round.promptVersion;
    if (round.stopped) {
      run.llmStopped = round.stopped.message;
      break;
    }
    const r = round.results[0];
    if (r) repaired.push(await accept(run, { id: `${v.id}r`, origin: 'repair', repairOf: v.id, parse: r }));
  }
  run.candidates.push(...linkDuplicates(repaired, run.candidates));
  if (!repaired.some((r) => r.module)) return;
  const second = await verifyCandidates(run, repaired, 'repair');
  mergeVerification(run.verification!, second);
}

/** Adds a second verification (same cases: same generators, seeds and assertions) to the first. */
async function fuzzAll(run: Run): Promise<void> {
  const out = await fuzzVerified({
    language: run.language,
    verification: run.verification!,
    verifyOn: (ids, generators) => verifyCandidates(run, run.candidates.filter((c) => ids.includes(c.id)), 'fuzz', generators, []),
  });
  applyFuzzFailures(run.verification!, out.failures);
  run.notes.push(...out.notes);
}

function mergeVerification(into: VerifyResult, more: VerifyResult): void {
  into.candidates.push(...more.candidates);
  for (const a of into.assertions) {
    const b = more.assertions.find((x) => x.id === a.id);
    if (b) for (const [id, pass] of Object.entries(b.passes)) if (id !== ORIGINAL) a.passes[id] = pass;
  }
  const known = new Set(into.cases.filter((c) => c.included).map((c) => c.id));
  const differing = more.cases.filter((c) => c.included && !known.has(c.id));
  if (differing.length > 0) into.notes.push(`The repair round saw ${differing.length} case(s) the first round did not; the passing matrix uses the first round's cases.`);
  into.seconds += more.seconds;
}

function rankWithB4(run: Run): void {
  const { rows, columns, matrix } = withDuplicateRows(run, passMatrix(run.verification!));
  run.selection = { rows, columns, matrix, b4: b4Rank(matrix), baselines: allBaselines(matrix) };
}

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
function withDuplicateRows(run: Run, base: ReturnType<typeof passMatrix>): ReturnType<typeof passMatrix> {
  const rowOf = new Map(base.rows.map((id, i) => [id, base.matrix[i]]));
  const rows = [ORIGINAL];
  const matrix = [rowOf.get(ORIGINAL)!];
  const placed = new Set<string>([ORIGINAL]);
  for (const c of run.candidates) {
    const row = rowOf.get(c.duplicateOf ?? c.id);
    if (!row || placed.has(c.id) || (!c.duplicateOf && !rowOf.has(c.id)) || (c.duplicateOf && c.origin === 'repair')) continue;
    rows.push(c.id);
    matrix.push([...row]);
    placed.add(c.id);
  }
  // Rows of programs the pipeline does not list as candidates (none today) stay, after the others.
  base.rows.forEach((id, i) => {
    if (placed.has(id)) return;
    rows.push(id);
    matrix.push(base.matrix[i]);
  });
  return { rows, columns: base.columns, matrix };
}

const verifiedIds = (run: Run): string[] => run.verification!.candidates.filter((v) => v.status === 'verified').map((v) => v.id);

async function benchmarkVerified(run: Run): Promise<void> {
  const ids = new Set(verifiedIds(run));
  if (ids.size === 0) return;
  const timed = run.suite!.generators.filter((g) => g.level >= 1);
  if (timed.length === 0) {
    run.notes.push('No generator for levels ≥ 1: nothing could be timed, so no speedup can be verified.');
    return;
  }
  const entry = run.context.accessPath!;
  const { settings } = run.opts;
  run.bench = await benchmark({
    ...execEnv(run),
    original: { moduleText: run.context.moduleText, entry },
    candidates: runnable(run.candidates.filter((c) => ids.has(c.id)), entry),
    generators: run.suite!.generators,
    levelWeights: settings.levels,
    noiseFloor: settings.noiseFloor,
    timeLimitFactor: settings.alpha,
    ...run.opts.bench,
    onProgress: (e) => run.progress('benchmark', e.done ?? 0, e.total ?? 0, e.message),
  });
}

function score(run: Run): void {
  const { settings } = run.opts;
  const levelCount = settings.levels.length;
  const zero = (note: string) => ({ score: 0, passed: false, levelScores: settings.levels.map(() => 0), note });
  const verified = new Set(verifiedIds(run));
  const bench = run.bench;
  let profile: ReturnType<typeof referenceProfile> | undefined;
  // A timed level on which the original has no usable time (every case excluded, or it failed
  // there) cannot be a reference: it leaves the ENAMEL score (weight 0, every grid neutral there)
  // instead of zeroing every candidate.
  let unusable: number[] = [];
  const neutral = <T>(grid: T[][][]): T[][][] => grid.map((level, j) => (unusable.includes(j) ? [[0 as T]] : level));
  if (bench) {
    const reference = runGrid(ORIGINAL, levelCount, run.verification!, bench);
    unusable = reference.map((level, j) => (settings.levels[j] > 0 && level.some((reps) => reps.some((t) => typeof t !== 'number')) ? j : -1)).filter((j) => j >= 0);
    if (unusable.length > 0) run.notes.push(`Level${unusable.length > 1 ? 's' : ''} ${unusable.join(', ')} had no usable time for the original and ${unusable.length > 1 ? 'were' : 'was'} left out of the ENAMEL score.`);
    const hardness = settings.levels.map((h, j) => (unusable.includes(j) ? 0 : h));
    try {
      profile = referenceProfile(neutral(reference) as number[][][], { alpha: settings.alpha, hardness, tolerance: 0 });
    } catch (err) {
      run.notes.push(`The original's times cannot serve as the ENAMEL reference: ${(err as Error).message}`);
    }
  }
  for (const c of run.candidates) {
    if (c.duplicateOf) continue; // takes its source's score, below
    if (!verified.has(c.id)) {
      run.scores.set(c.id, zero(c.rejected ? 'never ran' : 'not equivalent to the original'));
      continue;
    }
    const timed = bench?.candidates.find((t) => t.id === c.id);
    if (timed?.integrity.failure) {
      // A program that games the measurement earns nothing: e_i = 0, as for an incorrect one.
      run.scores.set(c.id, zero(`integrity: ${timed.integrity.failure.reason}`));
      continue;
    }
    if (!bench || !profile || !timed) {
      run.scores.set(c.id, { ...zero('verified but not timed'), passed: true });
      continue;
    }
    const s = efficiencyScoreFromProfile(profile, neutral(runGrid(c.id, levelCount, run.verification!, bench)));
    run.scores.set(c.id, { score: s.score, passed: s.passed, levelScores: s.levelScores, note: s.stoppedBy ? `${s.stoppedBy.outcome} on level ${s.stoppedBy.level} (${s.stoppedBy.effect})` : undefined });
  }
  // A duplicate has the e_i of the code it duplicates (the same program on the same cases).
  for (const c of run.candidates) {
    const source = c.duplicateOf ? run.scores.get(c.duplicateOf) : undefined;
    if (c.duplicateOf) run.scores.set(c.id, source ? { ...source, levelScores: [...source.levelScores], note: `same as ${c.duplicateOf}${source.note ? `: ${source.note}` : ''}` } : zero('never ran'));
  }
}

function chooseWinner(run: Run): RunStatus {
  const sel = run.selection!;
  const top = new Set(sel.b4.top.map((i) => sel.rows[i]));
  const originalInTop = top.has(ORIGINAL);
  const eligible = (run.bench?.candidates ?? []).filter((t) => t.accepted && (originalInTop ? top.has(t.id) : true));
  // A rewrite that needs a person's confirmation wins only when no other one is faster by the rule.
  const flagged = (t: (typeof eligible)[number]): number => (t.integrity.needsConfirmation ? 1 : 0);
  const best = eligible.sort((a, b) => flagged(a) - flagged(b) || (run.scores.get(b.id)?.score ?? 0) - (run.scores.get(a.id)?.score ?? 0) || (b.overall?.estimate ?? 0) - (a.overall?.estimate ?? 0))[0];
  run.winner = best?.id;
  if (!originalInTop) return 'tests-disagree';
  return best ? 'improved' : 'no-improvement';
}

// ---- the report ----


function levelResults(levels: NonNullable<BenchmarkResult['original']>['levels'], speedups?: NonNullable<BenchmarkResult['candidates']>[number]['speedups']): LevelResult[] {
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

/** A duplicate's entry: its own id and code, its source's outcome (verification, e_i, B4 rank). */
function duplicateReport(run: Run, c: Candidate, sourceId: string): CandidateReport {
  const source = run.candidates.find((x) => x.id === sourceId);
  const of = source ? candidateReport(run, source) : undefined;
  const sel = run.selection;
  const row = sel ? sel.rows.indexOf(c.id) : -1;
  const rank = sel && row >= 0 ? sel.b4.ranking.find((g) => g.rows.includes(row))?.rank : of?.b4Rank;
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

function candidateReport(run: Run, c: Candidate): CandidateReport {
  if (c.duplicateOf) return duplicateReport(run, c, c.duplicateOf);
  const v = run.verification?.candidates.find((x) => x.id === c.id);
  const t = run.bench?.candidates.find((x) => x.id === c.id);
  const sel = run.selection;
  const row = sel ? sel.rows.indexOf(c.id) : -1;
  const group = sel && row >= 0 ? sel.b4.ranking.find((g) => g.rows.includes(row)) : undefined;
  const accepted = c.parse?.ok ? c.parse : undefined;
  const efficiency = run.scores.get(c.id) ?? { score: 0, passed: false, levelScores: [] };
  let status: CandidateStatus;
  let reason: string;
  if (c.rejected) {
    status = 'rejected';
    reason = c.rejected;
  } else if (!v) {
    status = 'not-run';
    reason = 'the run stopped before it was verified';
  } else if (v.status !== 'verified') {
    const f = v.firstFailure;
    const crashed = v.status === 'load-error' || v.status === 'unsupported' || (f && !['returned', 'threw', 'exited'].includes(f.outcome.status));
    status = crashed ? 'crashed' : 'wrong';
    reason = v.status === 'load-error' ? `does not load: ${v.loadError}` : v.status === 'no-cases' ? 'no case could be compared' : `${f?.reason ?? 'differs from the original'} (case ${f?.caseId})`;
  } else if (!t) {
    status = 'not-run';
    reason = run.bench ? 'not timed' : 'verified; the run stopped before timing';
  } else if (t.integrity.failure) {
    status = t.integrity.failure.verdict;
    reason = t.integrity.failure.reason;
  } else if (c.id === run.winner) {
    status = 'winner';
    const inTop = !!sel && sel.b4.top.some((i) => sel.rows[i] === ORIGINAL);
    reason = `verified and ${formatSpeedup(t.overall?.estimate ?? 1)} faster; ${inTop ? "best e_i among B4's selected set" : 'best e_i among the rewrites equivalent to your code (B4 sides with the tests)'}${t.integrity.needsConfirmation ? `; needs your confirmation: ${t.integrity.needsConfirmation}` : ''}`;
  } else if (t.accepted) {
    status = 'faster';
    reason = `verified and faster (${formatSpeedup(t.overall?.estimate ?? 1)}), not chosen: lower e_i${group && group.rank > 1 ? ' or outside B4’s winning set' : ''}`;
  } else {
    status = 'not-faster';
    reason = t.reason;
  }
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
    ...(t && run.bench ? { timing: { levels: levelResults(t.levels, t.speedups), ...(t.overall ? { overall: { estimate: t.overall.estimate, low: t.overall.low, high: t.overall.high, accepted: t.overall.accepted } } : {}) } } : {}),
    ...(t && run.bench ? { integrity: t.integrity } : {}),
    efficiency,
    ...(group ? { b4Rank: group.rank } : {}),
  };
}

function selectionSummary(run: Run): SelectionSummary | undefined {
  const sel = run.selection;
  if (!sel) return undefined;
  const label = (rows: number[]): string[] => rows.map((i) => sel.rows[i]);
  const v = run.verification!;
  return {
    rows: sel.rows,
    columns: sel.columns,
    matrix: sel.matrix,
    b4: { ranking: sel.b4.ranking.map((g) => ({ rows: label(g.rows), tests: g.tests.length, score: g.score, rank: g.rank })), top: label(sel.b4.top) },
    baselines: { codeT: label(sel.baselines.codeT.top), codeTPaper: label(sel.baselines.codeTPaper.top), maxPass: label(sel.baselines.maxPass.top), mbrExec: label(sel.baselines.mbrExec.top), random: label(sel.baselines.random.top) },
    disagreements: v.assertions
      .filter((a) => !a.error && a.passes[ORIGINAL] === false)
      .map((a) => {
        const kase = v.cases.find((c) => c.assertionId === a.id);
        const value = kase?.original.value;
        return { testId: a.id, argsText: a.argsText, expectedText: a.expectedText, originalText: value ? renderValue(value, preview(run.language)) : kase?.original.error ? `threw ${kase.original.error.type}` : undefined };
      }),
  };
}

/**
 * The verdict line when no rewrite is offered, naming the real cause: an integrity failure, a
 * level that could not be measured (the sandbox, not the rewrite), a rewrite refused for another
 * reason. "Does not clear" is said only of an interval that does not clear the floor.
 */
export function noImprovementSummary(name: string, verifiedCount: number, candidateCount: number, timed: readonly CandidateTiming[], noiseFloor: number): string {
  const head = `No verified speedup for ${name}`;
  if (verifiedCount === 0) return `${head}: none of ${candidateCount} rewrites is equivalent to the original`;
  const best = [...timed].filter((t) => !t.integrity.failure).sort((a, b) => (b.overall?.estimate ?? 0) - (a.overall?.estimate ?? 0))[0];
  const disqualified = timed.filter((t) => t.integrity.failure);
  const floor = 1 + noiseFloor;
  // Say the real cause: a rewrite disqualified by an integrity check is not "not fast enough".
  if (disqualified.length > 0 && !(best?.overall && best.overall.estimate > 1)) {
    return `${head}: ${disqualified.length} rewrite(s) failed a measurement-integrity check (${disqualified[0].id}: ${disqualified[0].integrity.failure!.reason})`;
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
    const kind = /resource limit/.test(why) ? 'resource limit' : /not deterministic/.test(why) ? 'not deterministic' : /cannot be compared/.test(why) ? 'result not comparable' : /changes builtins/.test(why) ? 'changes builtins' : 'your code failed';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

/**
 * A generated test the user's own code fails is news: the summary starts with it, whatever the
 * verdict. Undefined when the original passes every assertion test (or none ran).
 */
function disagreementNews(run: Run): string | undefined {
  const failing = run.selection ? (selectionSummary(run)?.disagreements.length ?? 0) : 0;
  if (failing === 0) return undefined;
  const total = run.verification!.assertions.filter((a) => !a.error).length;
  return `Your code fails ${failing} of ${total} ${run.testsSource === 'llm' ? 'generated' : 'supplied'} test${total === 1 ? '' : 's'} — see why in the report`;
}

function summaryLine(run: Run, status: RunStatus, error?: OptimizationReport['error']): string {
  const verdict = verdictLine(run, status, error);
  const news = status === 'failed' || status === 'cancelled' ? undefined : disagreementNews(run);
  return news ? `${news}; ${verdict}` : verdict;
}

function verdictLine(run: Run, status: RunStatus, error?: OptimizationReport['error']): string {
  const name = run.context?.target.qualifiedName ?? run.opts.functionName;
  const verifiedCount = run.verification ? verifiedIds(run).length : 0;
  const cases = run.verification?.cases.filter((c) => c.included).length ?? 0;
  const excluded = run.verification?.cases.filter((c) => !c.included).length ?? 0;
  const w = run.winner ? run.bench?.candidates.find((t) => t.id === run.winner) : undefined;
  const failing = run.selection ? (selectionSummary(run)?.disagreements.length ?? 0) : 0;
  switch (status) {
    case 'improved':
      return `${name}: ${formatSpeedup(w!.overall!.estimate)} faster (95% interval ${formatInterval(w!.overall!)}), equivalent on ${cases} cases${excluded > 0 ? ` (${excluded} excluded: ${excludedCounts(run.verification!.cases)})` : ''} — candidate ${run.winner}`;
    case 'tests-disagree':
      // With disagreements the news in front already says what; otherwise say it here.
      return `${failing > 0 ? 'the tests disagree with your code and B4 sides with them' : `The generated tests disagree with ${name}`}: check your code or the tests; nothing is applied automatically${run.winner ? ` (candidate ${run.winner} is ${formatSpeedup(w!.overall!.estimate)} faster and matches your code)` : ''}`;
    case 'no-improvement': {
      return noImprovementSummary(name, verifiedCount, run.candidates.length, run.bench?.candidates ?? [], run.opts.settings.noiseFloor);
    }
    case 'cancelled':
      return `Cancelled: ${name} — kept what finished`;
    case 'failed':
      return `Failed: ${error?.message.split('\n')[0] ?? 'unknown error'}`;
  }
}

function report(run: Run, status: RunStatus, error?: OptimizationReport['error']): OptimizationReport {
  const { opts } = run;
  const fn = run.context?.target;
  const n = run.candidates.filter((c) => c.origin !== 'repair').length;
  const firstRound = run.candidates.filter((c) => c.origin !== 'repair').map((c) => run.scores.get(c.id)?.score ?? 0);
  const passed = run.candidates.filter((c) => c.origin !== 'repair').map((c) => run.scores.get(c.id)?.passed ?? false);
  const ks = Array.from({ length: n }, (_, i) => i + 1);
  const effs = n > 0 && run.scores.size > 0 ? effAtKs(firstRound, ks) : [];
  const winnerCandidate = run.winner ? run.candidates.find((c) => c.id === run.winner) : undefined;
  const w = run.winner ? run.bench?.candidates.find((t) => t.id === run.winner) : undefined;
  const budget = opts.model ? run.budget.report() : undefined;
  const v = run.verification;
  const sandbox = v?.sandbox ?? run.bench?.sandbox;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'effopt', version: opts.version ?? EFFOPT_VERSION },
    createdAt: new Date().toISOString(),
    mode: opts.candidates ? 'evaluate' : 'optimize',
    file: { path: opts.filePath, language: run.language, sha256: sha256(opts.source) },
    function: {
      name: fn?.name ?? opts.functionName,
      qualifiedName: fn?.qualifiedName ?? opts.functionName,
      kind: fn?.kind ?? 'function',
      language: run.language,
      startLine: fn?.startLine ?? 0,
      endLine: fn?.endLine ?? 0,
      params: fn?.params ?? [],
      hotness: fn?.hotness ?? 0,
      hotnessReasons: fn?.hotnessReasons ?? [],
    },
    status,
    summary: summaryLine(run, status, error),
    ...(w?.overall && winnerCandidate ? { winner: { id: winnerCandidate.id, speedup: { estimate: w.overall.estimate, low: w.overall.low, high: w.overall.high }, efficiency: run.scores.get(winnerCandidate.id)?.score ?? 0 } } : {}),
    ...(winnerCandidate?.parts && (status === 'improved' || status === 'tests-disagree') ? { proposal: buildProposal(winnerCandidate.id, run.context, opts.source, winnerCandidate.parts, status === 'improved', run.bench?.candidates.find((t) => t.id === winnerCandidate.id)?.integrity.needsConfirmation) } : {}),
    candidates: run.candidates.map((c) => candidateReport(run, c)),
    effAtK: ks.map((k, i) => ({ k, eff: effs[i] ?? 0, pass: passAtK(n, passed.filter(Boolean).length, k) })),
    ...(run.selection ? { selection: selectionSummary(run) } : {}),
    tests: {
      source: run.testsSource,
      generators: run.suite?.generators.length ?? 0,
      assertions: run.suite?.assertions.length ?? 0,
      cases: v?.cases.filter((c) => c.included).length ?? 0,
      excluded: v?.cases.filter((c) => !c.included).map((c) => ({ caseId: c.id, reason: c.excludedReason ?? 'excluded' })) ?? [],
      dropped: [...(run.suite?.dropped ?? []), ...(v?.dropped ?? [])],
    },
    ...(run.bench
      ? {
          benchmark: {
            levels: run.bench.levels,
            repeats: run.bench.repeats,
            noiseFloor: run.bench.noiseFloor,
            alpha: opts.settings.alpha,
            hardness: opts.settings.levels,
            original: levelResults(run.bench.original.levels),
            inputSizes: run.bench.original.levels.map((l) => {
              const n = run.bench!.inputSizes?.find((x) => x.level === l.level)?.n;
              return n !== undefined ? { n, text: sizeText(n) } : null;
            }),
            cutoffSeconds: run.bench.cutoffSeconds,
            measureSeconds: run.bench.measureSeconds,
          },
        }
      : {}),
    ...(opts.model
      ? {
          llm: {
            model: opts.model.info.id,
            vendor: opts.model.info.vendor,
            inputTokens: budget?.inputTokens ?? 0,
            outputTokens: budget?.outputTokens ?? 0,
            estimated: budget?.estimated ?? false,
            costUsd: budget && budget.unpricedModels.length === 0 && budget.costUsd !== undefined ? budget.costUsd : null,
            promptVersions: run.promptVersions,
            ...(run.llmStopped ? { stopped: run.llmStopped } : {}),
          },
        }
      : {}),
    timings: { ...run.timings, total: (performance.now() - run.started) / 1000 },
    ...(sandbox ? { sandbox: { namespaces: sandbox.namespaces, network: sandbox.network, notes: sandbox.notes } } : {}),
    notes: [...run.notes, ...(v?.notes ?? []), ...(run.bench?.notes ?? [])],
    ...(error ? { error } : {}),
  };
}

