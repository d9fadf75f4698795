// The test material for one function, whether an LLM wrote it or the user supplied it.
// Generated code never runs in effopt's own process: the sandbox (src/core/exec) executes it.
import type { LanguageId } from '../languages/types';

/**
 * Code that builds argument lists for one size level, in the function's language:
 *   JavaScript/TypeScript: `function generate(rng) { return [[arg1, arg2], ...]; }`
 *   Python:                `def generate(rng): return [(arg1, arg2), ...]`
 * `rng` is seeded (JS: () => number in [0, 1); Python: a random.Random instance), so the same
 * seed gives the same cases in every process. Level 0 = small edge cases (correctness only);
 * levels 1..3 = growing sizes for timing.
 */
export interface InputGenerator {
  level: number;
  language: LanguageId;
  code: string;
}

/** A plausible `input → expected` case, both as expressions in the function's language. */
export interface AssertionTest {
  id: string;
  /** An expression evaluating to the argument list, e.g. `[[3, 1, 2]]` or `([3, 1, 2],)`. */
  argsExpr: string;
  /** An expression evaluating to the expected return value. */
  expectedExpr: string;
  /** Why the test author believes it (kept for the report). */
  note?: string;
}

export interface DroppedTestMaterial {
  what: string;
  reason: string;
}

export interface TestSuite {
  generators: InputGenerator[];
  assertions: AssertionTest[];
  /** Generators or tests that did not parse, run or validate: reported, never fatal alone. */
  dropped: DroppedTestMaterial[];
}
