// What optimize() is asked to do: the caller-facing options, progress events and the input error.
import type { EffoptSettings } from '../config';
import type { LanguageId } from '../languages/types';
import type { Budget, ChatModel } from '../llm';
import type { TestSuite } from '../testgen/types';
import type { Stage } from './report';

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
