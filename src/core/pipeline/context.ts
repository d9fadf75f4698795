// What the stages of one run share: the request, the LLM budget, progress and the notes and LLM
// facts gathered on the way (read-mostly: stages add notes, the orchestrator adds timings). Stage
// results are not here: each stage returns its own value and the orchestrator passes it on.
import { ORIGINAL_ID } from '../defaults';
import type { FunctionContext } from '../parse';
import type { LanguageId } from '../languages/types';
import type { Budget, CandidateParse, TargetFunction } from '../llm';
import type { TestSuite } from '../testgen/types';
import type { CandidateParts } from './proposal';
import type { OptimizeOptions } from './options';
import type { Stage } from './report';

/** The row and id of the user's own code in verification, matrices and timings. */
export const ORIGINAL = ORIGINAL_ID;

/** How values are shown in reports: in the function's own language's notation. */
export const preview = (language: LanguageId) => ({ flavour: language === 'python' ? ('py' as const) : ('js' as const), maxChars: 300, maxItems: 12 });

export interface RunContext {
  readonly opts: OptimizeOptions;
  readonly budget: Budget;
  /** performance.now() at the start of the run. */
  readonly started: number;
  /** Seconds per stage. */
  readonly timings: Partial<Record<Stage, number>>;
  /** Notes for the report, in the order they arose. */
  readonly notes: string[];
  /** The LLM facts the report shows: prompt versions used, and why requests stopped (budget). */
  readonly llm: { promptVersions: Record<string, string>; stopped?: string };
  progress(stage: Stage, done: number, total: number, message?: string): void;
}

/** The function to optimize, found in the file: the output of the discover stage. */
export interface Discovered {
  language: LanguageId;
  context: FunctionContext;
  /** How the harness reaches the function in its module (`f`, `C.prototype.m`). */
  entry: string;
  target: TargetFunction;
}

/** The test material and where it came from: the output of the tests stage. */
export interface TestsStageResult {
  suite: TestSuite;
  source: 'llm' | 'supplied';
}

export interface Candidate {
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

/** A candidate's ENAMEL e_i (0 for one that is wrong, never ran or failed an integrity check). */
export interface CandidateScore {
  score: number;
  passed: boolean;
  levelScores: number[];
  note?: string;
}
