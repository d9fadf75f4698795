// Stage 7: time the verified candidates against the original, level by level (exec/benchmark.ts).
import { benchmark, type BenchmarkResult, type VerifyResult } from '../../exec';
import type { TestSuite } from '../../testgen/types';
import type { Candidate, Discovered, RunContext } from '../context';
import { execEnv, runnable, verifiedIds } from './verify';

/** Undefined when nothing was timed (no verified candidate, or no generator for levels ≥ 1). */
export async function benchmarkVerified(
  ctx: RunContext,
  d: Discovered,
  suite: TestSuite,
  verification: VerifyResult,
  candidates: readonly Candidate[],
): Promise<BenchmarkResult | undefined> {
  const ids = new Set(verifiedIds(verification));
  if (ids.size === 0) return undefined;
  if (!suite.generators.some((g) => g.level >= 1)) {
    ctx.notes.push('No generator for levels ≥ 1: nothing could be timed, so no speedup can be verified.');
    return undefined;
  }
  const { settings } = ctx.opts;
  return benchmark({
    ...execEnv(ctx, d),
    original: { moduleText: d.context.moduleText, entry: d.entry },
    candidates: runnable(
      candidates.filter((c) => ids.has(c.id)),
      d.entry,
    ),
    generators: suite.generators,
    levelWeights: settings.levels,
    noiseFloor: settings.noiseFloor,
    timeLimitFactor: settings.alpha,
    ...ctx.opts.bench,
    onProgress: (e) => ctx.progress('benchmark', e.done ?? 0, e.total ?? 0, e.message),
  });
}
