// Stage 2: the test material, supplied or asked of the LLM.
import { requestTestSuite } from '../../testgen/request';
import type { Discovered, RunContext, TestsStageResult } from '../context';
import { requireModel } from './model';

export async function obtainTests(ctx: RunContext, d: Discovered): Promise<TestsStageResult> {
  const { opts } = ctx;
  if (opts.tests) {
    const suite = { ...opts.tests, generators: opts.tests.generators.map((g) => ({ ...g, language: g.language ?? d.language })) };
    opts.onTests?.(suite);
    return { suite, source: 'supplied' };
  }
  const round = await requestTestSuite(requireModel(opts), d.target, { levels: opts.settings.levels.length, budget: ctx.budget, signal: opts.signal });
  ctx.llm.promptVersions.tests = round.promptVersion;
  if (round.stopped) ctx.llm.stopped = round.stopped.message;
  opts.onTests?.(round.suite);
  return { suite: round.suite, source: 'llm' };
}

/** Generators or assertion tests left to run (the LLM's reply may have lost them all). */
export function hasTests(suite: TestsStageResult['suite']): boolean {
  return suite.generators.length > 0 || suite.assertions.length > 0;
}
