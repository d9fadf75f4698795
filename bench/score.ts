// Speed of the scoring math (issue 5 targets): B4 on a 1000 × 1000 passing matrix under 1 s,
// eff@k on n = 100 000 scores under 50 ms. Prints figures, then one JSON line.
//   node --import tsx bench/score.ts
// Figures are the median of several timed runs after a warm-up; on a busy machine they are noisy.
import { performance } from 'node:perf_hooks';
import { allBaselines, b4Rank, effAtK, effAtKs, type PassMatrix } from '../src/core/score';

const RUNS = 7;

/** Deterministic PRNG so every run measures the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function medianMs(fn: () => unknown): { medianMs: number; minMs: number } {
  fn(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[times.length >> 1], minMs: times[0] };
}

/** Every row distinct (worst case: 1000 consensus sets). */
function randomMatrix(n: number, m: number, density: number, seed: number): number[][] {
  const r = prng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => (r() < density ? 1 : 0)));
}

/** A realistic shape: few behaviours (20 patterns) shared by many solutions. */
function clusteredMatrix(n: number, m: number, patterns: number, seed: number): number[][] {
  const r = prng(seed);
  const base = randomMatrix(patterns, m, 0.8, seed + 1);
  return Array.from({ length: n }, () => [...base[Math.floor(r() * patterns)]]);
}

function report(label: string, figure: { medianMs: number; minMs: number }, targetMs: number): void {
  const verdict = figure.medianMs <= targetMs ? 'within' : 'OVER';
  console.log(
    `${label.padEnd(46)} median ${figure.medianMs.toFixed(2).padStart(8)} ms   min ${figure.minMs.toFixed(2).padStart(8)} ms   (${verdict} target ${targetMs} ms)`,
  );
}

const distinct = randomMatrix(1000, 1000, 0.5, 1);
const clustered = clusteredMatrix(1000, 1000, 20, 2);
const typed: PassMatrix = distinct.map((row) => Uint8Array.from(row));

const b4Distinct = medianMs(() => b4Rank(distinct));
const b4Clustered = medianMs(() => b4Rank(clustered));
const b4Typed = medianMs(() => b4Rank(typed));
const baselinesDistinct = medianMs(() => allBaselines(distinct));

const rnd = prng(3);
const scores = Array.from({ length: 100_000 }, () => rnd() * 2);
const eff10 = medianMs(() => effAtK(scores, 10));
const effHalf = medianMs(() => effAtK(scores, 50_000));
const effMany = medianMs(() => effAtKs(scores, [1, 5, 10, 100, 1000]));

console.log(`effopt score bench (${RUNS} runs after a warm-up; Node ${process.version})`);
report('B4 1000×1000, 1000 distinct rows', b4Distinct, 1000);
report('B4 1000×1000, 20 patterns', b4Clustered, 1000);
report('B4 1000×1000, Uint8Array rows', b4Typed, 1000);
report('all baselines 1000×1000, distinct rows', baselinesDistinct, 1000);
report('eff@10, n = 100 000', eff10, 50);
report('eff@50000, n = 100 000', effHalf, 50);
report('eff@{1,5,10,100,1000}, n = 100 000', effMany, 50);

console.log(
  JSON.stringify({
    bench: 'score',
    runs: RUNS,
    b4_1000x1000_distinct_ms: +b4Distinct.medianMs.toFixed(3),
    b4_1000x1000_clustered_ms: +b4Clustered.medianMs.toFixed(3),
    b4_1000x1000_typed_ms: +b4Typed.medianMs.toFixed(3),
    baselines_1000x1000_ms: +baselinesDistinct.medianMs.toFixed(3),
    effk_n100000_k10_ms: +eff10.medianMs.toFixed(3),
    effk_n100000_k50000_ms: +effHalf.medianMs.toFixed(3),
    effk_n100000_5ks_ms: +effMany.medianMs.toFixed(3),
    targets_ms: { b4: 1000, effk: 50 },
  }),
);
