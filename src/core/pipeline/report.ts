// The report of one optimisation run: what the CLI prints/saves as JSON, what the extension's
// report panel shows, what a PR comment renders. Versioned: consumers check schemaVersion.
// Plain JSON (no Maps, no undefined-only fields that matter, no functions) so it crosses the
// webview boundary and the disk unchanged. Times are in seconds.
import type { LanguageId } from '../languages/types';
import type { FunctionInfo } from '../parse/types';
import type { DroppedTestMaterial } from '../testgen/types';
import type { Integrity } from '../exec/types';

export const REPORT_SCHEMA_VERSION = 1;

export type Stage = 'discover' | 'tests' | 'candidates' | 'verify' | 'repair' | 'fuzz' | 'benchmark' | 'score' | 'select';
export const STAGES: readonly Stage[] = ['discover', 'tests', 'candidates', 'verify', 'repair', 'fuzz', 'benchmark', 'score', 'select'];

/**
 * improved        a verified rewrite is faster by the accept rule; it can be applied
 * no-improvement  the run completed but no rewrite is both verified and significantly faster
 * tests-disagree  B4's winning set excludes the original: the generated tests contradict the
 *                 user's code; nothing is offered for automatic apply
 * cancelled       stopped by the user; whatever finished is kept
 * failed          the run could not complete (the original does not load, no usable tests, …)
 */
export type RunStatus = 'improved' | 'no-improvement' | 'tests-disagree' | 'cancelled' | 'failed';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** The function the run was about (the docs/CONTRACTS.md record's descriptive fields). */
export type FunctionSummary = Pick<
  FunctionInfo,
  'name' | 'qualifiedName' | 'kind' | 'language' | 'startLine' | 'endLine' | 'params' | 'hotness' | 'hotnessReasons'
>;

/** A replacement of [startOffset, endOffset) (UTF-16 offsets into the file as read) by text. */
export interface TextEdit {
  startOffset: number;
  endOffset: number;
  text: string;
}

/** What Apply writes: the edits, and the whole file after them (for diffs). */
export interface Proposal {
  candidateId: string;
  edits: TextEdit[];
  newText: string;
  /** sha256 of the file text the edits were computed against; apply only onto the same text. */
  baseSha256: string;
  /** False for flagged results (tests disagree, implausible speedup): applying needs an explicit second confirmation. */
  autoApply: boolean;
  /** Why it needs confirmation: the tests disagree with the original, or the speedup is beyond plausible. */
  confirm?: { why: 'tests-disagree' | 'implausible'; text: string };
}

export type CandidateStatus =
  | 'winner'
  | 'faster' // verified and faster by the rule, but not chosen (lower e_i or outside B4's set)
  | 'not-faster' // verified, but the speedup's interval does not clear 1 + noise floor
  | 'wrong' // differs from the original on at least one case
  | 'crashed' // does not load / crashes / times out in the sandbox
  | 'rejected' // never ran: the reply did not parse, changed the signature…
  | 'duplicate' // the same code as an earlier candidate (`duplicateOf`): not re-run, it has that one's outcome
  | 'not-run'; // cancelled, or the budget stopped before it

export interface CaseResult {
  caseId: string;
  status: 'pass' | 'fail' | 'excluded' | 'skipped';
  reason?: string;
}

export interface LevelResult {
  level: number;
  /** Worst case over the level's cases of the Hodges–Lehmann time (s); null when it failed. */
  worstSeconds: number | null;
  /** Original / candidate on this level, with its 95% interval. */
  speedup?: Interval & { accepted: boolean };
  /** The fixed-threshold rule (min of runs, > 1 + noise floor) on the same samples. */
  minRule?: { speedup: number; accepted: boolean };
  failure?: string;
}

export interface CandidateReport {
  id: string;
  origin: 'llm' | 'repair' | 'supplied';
  /** For repairs: the candidate it repairs. */
  repairOf?: string;
  /**
   * For status 'duplicate': the id of the earlier candidate with the same code (up to formatting
   * and comments). The duplicate is not re-run: its efficiency, verification and b4Rank are that
   * candidate's, and it counts as a sample of its own in eff@k / pass@k.
   */
  duplicateOf?: string;
  status: CandidateStatus;
  /** One line for humans: why this status. */
  reason: string;
  /** The whole code the candidate brought (function plus helpers/imports). */
  code?: string;
  /** Just the target function's new text. */
  functionCode?: string;
  explanation?: string;
  notes: string[];
  verification?: {
    status: 'verified' | 'failed' | 'load-error' | 'unsupported' | 'no-cases';
    passed: number;
    failed: number;
    excluded: number;
    skipped: number;
    firstFailure?: { caseId: string; reason?: string; diffText?: string };
    cases: CaseResult[];
  };
  timing?: {
    levels: LevelResult[];
    overall?: Interval & { accepted: boolean };
  };
  /** ENAMEL efficiency score e_i (0 when incorrect) with its per-level scores. */
  efficiency: { score: number; passed: boolean; levelScores: number[]; note?: string };
  /** B4 rank of the candidate's consensus set (1 = winning set); absent if it never ran. */
  b4Rank?: number;
  /** The measurement-integrity checks on its timed calls (absent if it was never timed). */
  integrity?: Integrity;
}

export interface SelectionSummary {
  /** Row labels of the passing matrix: 'original' then candidate ids (a first-round duplicate has a row equal to its source's; a repeated repair has none). */
  rows: string[];
  /** Column labels: `assert:<id>` (LLM assertion tests) and `diff:<case>` (differential cases). */
  columns: string[];
  matrix: number[][];
  b4: { ranking: Array<{ rows: string[]; tests: number; score: number; rank: number }>; top: string[] };
  /** Each baseline's winning rows, side by side with B4's. */
  baselines: Record<'codeT' | 'codeTPaper' | 'maxPass' | 'mbrExec' | 'random', string[]>;
  /** Assertion tests the original fails; when any, the summary starts with "Your code fails N of M … tests". */
  disagreements: Array<{ testId: string; argsText: string; expectedText?: string; originalText?: string }>;
}

export interface OptimizationReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'effopt'; version: string };
  createdAt: string;
  mode: 'optimize' | 'evaluate';
  file: { path: string; language: LanguageId; sha256: string };
  function: FunctionSummary;
  status: RunStatus;
  /** One line: the verdict as a human would say it. */
  summary: string;
  /** The chosen candidate, with its overall speedup and e_i. */
  winner?: { id: string; speedup: Interval; efficiency: number };
  proposal?: Proposal;
  candidates: CandidateReport[];
  /** eff@k and pass@k for k = 1..n over the n first-round samples (duplicates included, with their source's outcome; repairs not). */
  effAtK: Array<{ k: number; eff: number; pass: number }>;
  selection?: SelectionSummary;
  tests: {
    source: 'llm' | 'supplied';
    generators: number;
    assertions: number;
    cases: number;
    excluded: Array<{ caseId: string; reason: string }>;
    dropped: DroppedTestMaterial[];
  };
  benchmark?: {
    levels: number[];
    repeats: number;
    noiseFloor: number;
    alpha: number;
    hardness: number[];
    original: LevelResult[];
    /**
     * One entry per entry of `original`, same order: the size of the level's largest case (its
     * largest argument's length, or an integer argument's value when there is no container: the
     * rule in exec/compare/sizes.ts) as a number and as text ("n = 200,000"); null when unknown.
     */
    inputSizes?: Array<{ n: number; text: string } | null>;
    cutoffSeconds: number;
    measureSeconds: number;
  };
  llm?: {
    model: string;
    vendor: string;
    inputTokens: number;
    outputTokens: number;
    estimated: boolean;
    /** null when the model has no price in the table. */
    costUsd: number | null;
    promptVersions: Record<string, string>;
    stopped?: string;
  };
  /** Seconds per stage, and in all. */
  timings: Partial<Record<Stage, number>> & { total: number };
  sandbox?: { namespaces: string; network: string; notes: string[] };
  notes: string[];
  /**
   * Set when status is 'failed': what went wrong, for the user. `input`: the request or the
   * configuration is wrong (CLI exit 2); otherwise the run broke (exit 1).
   */
  error?: { kind: 'input' | 'llm' | 'sandbox' | 'internal'; message: string };
}
