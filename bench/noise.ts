// How much can effopt's speedup verdicts be trusted? An A/A experiment (a function against an
// identical copy: every "accepted" is a false win) and an A/B experiment (a function against one
// doing ~10% more work: "accepted" is a detection), for JavaScript and Python, through the real
// benchmark() (one fresh sandbox process per trial, original and candidates interleaved).
// Each trial also applies, to the same samples, the common rule "minimum of ≥ 5 loops + fixed 5%
// threshold", for comparison.
//
//   node --import tsx bench/noise.ts [--trials 200] [--budget 800] [--repeats 6] [--lang js,py] [--size 2000]
//
// Targets: A/A false-win ≤ 1%, a 10% difference detected ≥ 95%, ≤ 2 s of measurement per pair
// and level. Prints a table, then ONE JSON line. Timings depend on the machine and its load:
// rerun on a quiet machine before quoting figures.
import { loadavg, cpus } from 'node:os';
import { benchmark } from '../src/core/exec/benchmark/benchmark';
import type { BenchmarkResult, CandidateSource, ProgramSource } from '../src/core/exec/types';
import type { LanguageId } from '../src/core/languages/types';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const trials = Number(arg('trials', '200'));
const budgetMs = Number(arg('budget', '800'));
const repeats = Number(arg('repeats', '6'));
const size = Number(arg('size', '2000'));
const langs = arg('lang', 'js,py').split(',');

/** `passes` passes over the data: B does 11 where A does 10 (10% more work). */
const programs: Record<string, { language: LanguageId; make: (passes: number) => ProgramSource; generator: string }> = {
  js: {
    language: 'javascript',
    make: (passes) => ({
      // The passes are the work; the answer does not depend on how many there are (t is never -1),
      // so the A/B pair stays equivalent: effopt checks the answers of timed calls.
      moduleText: `function work(xs) {\n  let t = 0;\n  for (let p = 0; p < ${passes}; p++) {\n    for (let i = 0; i < xs.length; i++) t = (t + xs[i] * (p + 1)) % 1000003;\n  }\n  return t === -1 ? -1 : xs.length;\n}\n`,
      entry: 'work',
    }),
    generator: `function generate(rng) { return [[Array.from({ length: ${size} }, () => Math.floor(rng() * 1000))]] }`,
  },
  py: {
    language: 'python',
    make: (passes) => ({
      moduleText: `def work(xs):\n    t = 0\n    for p in range(${passes}):\n        for x in xs:\n            t = (t + x * (p + 1)) % 1000003\n    return -1 if t == -1 else len(xs)\n`,
      entry: 'work',
    }),
    // Python is ~50× slower per element: fewer elements for a similar call time.
    generator: `def generate(rng):\n    return [([rng.randint(0, 999) for _ in range(${Math.max(10, Math.round(size / 40))})],)]\n`,
  },
};

interface Tally {
  trials: number;
  aaFalseWins: number;
  abDetections: number;
  minRuleAaFalseWins: number;
  minRuleAbDetections: number;
  aaEstimates: number[];
  abEstimates: number[];
  aaWidths: number[];
  measurePerPair: number[];
  wallPerTrial: number[];
  failures: string[];
  callSeconds: number[];
}

const pct = (k: number, n: number): string => (n === 0 ? '—' : `${((100 * k) / n).toFixed(1)}%`);
const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};

async function trial(lang: string, t: number): Promise<BenchmarkResult> {
  const p = programs[lang];
  const original = p.make(11);
  const candidates: CandidateSource[] = [
    { id: 'aa', ...p.make(11) },
    { id: 'ab', ...p.make(10) },
  ];
  return benchmark({
    language: p.language,
    original,
    candidates,
    generators: [{ level: 1, language: p.language, code: p.generator }],
    levels: [1],
    repeats,
    budgetMsPerLevel: budgetMs,
    limits: { timeoutMs: 10_000, memoryMb: 512 },
    seed: 1000 + t,
  });
}

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  console.log(
    `bench/noise: ${trials} trials per language, budget ${budgetMs} ms per program per level, ${repeats} rounds, ${cpus().length} CPUs, load ${load0.toFixed(2)} at start`,
  );
  const results: Record<string, Tally> = {};
  for (const lang of langs) {
    const tally: Tally = {
      trials: 0,
      aaFalseWins: 0,
      abDetections: 0,
      minRuleAaFalseWins: 0,
      minRuleAbDetections: 0,
      aaEstimates: [],
      abEstimates: [],
      aaWidths: [],
      measurePerPair: [],
      wallPerTrial: [],
      failures: [],
      callSeconds: [],
    };
    results[lang] = tally;
    for (let t = 0; t < trials; t++) {
      const started = performance.now();
      const r = await trial(lang, t);
      tally.wallPerTrial.push((performance.now() - started) / 1000);
      const aa = r.candidates.find((c) => c.id === 'aa');
      const ab = r.candidates.find((c) => c.id === 'ab');
      if (!aa?.overall || !ab?.overall) {
        tally.failures.push(`trial ${t}: ${aa?.reason ?? ''} / ${ab?.reason ?? ''} ${r.notes.join('; ')}`);
        continue;
      }
      tally.trials++;
      if (aa.accepted) tally.aaFalseWins++;
      if (ab.accepted) tally.abDetections++;
      if (aa.overall.minRule.accepted) tally.minRuleAaFalseWins++;
      if (ab.overall.minRule.accepted) tally.minRuleAbDetections++;
      tally.aaEstimates.push(aa.overall.estimate);
      tally.abEstimates.push(ab.overall.estimate);
      tally.aaWidths.push(aa.overall.high - aa.overall.low);
      tally.measurePerPair.push(r.original.measureSeconds + ab.measureSeconds);
      tally.callSeconds.push(r.original.levels[0].worst ?? NaN);
      if ((t + 1) % 25 === 0) {
        console.log(
          `  ${lang} ${t + 1}/${trials}: A/A false wins ${tally.aaFalseWins} (min rule ${tally.minRuleAaFalseWins}), A/B detections ${tally.abDetections} (min rule ${tally.minRuleAbDetections}), load ${loadavg()[0].toFixed(2)}`,
        );
      }
    }
  }
  const load1 = loadavg()[0];
  console.log('');
  console.log(
    'lang  trials  call(µs)  A/A false-win  A/B detection  | min+5%: A/A false-win  A/B detection  | A/A median ratio  A/A 95% width  A/B median ratio  measure s/pair (median, p95)',
  );
  const summary: Record<string, unknown> = {};
  for (const [lang, t] of Object.entries(results)) {
    console.log(
      [
        lang.padEnd(4),
        String(t.trials).padStart(6),
        (median(t.callSeconds) * 1e6).toFixed(1).padStart(9),
        pct(t.aaFalseWins, t.trials).padStart(14),
        pct(t.abDetections, t.trials).padStart(14),
        ' |',
        pct(t.minRuleAaFalseWins, t.trials).padStart(22),
        pct(t.minRuleAbDetections, t.trials).padStart(14),
        ' |',
        median(t.aaEstimates).toFixed(4).padStart(17),
        median(t.aaWidths).toFixed(4).padStart(14),
        median(t.abEstimates).toFixed(4).padStart(17),
        `${median(t.measurePerPair).toFixed(2)}, ${quantile(t.measurePerPair, 0.95).toFixed(2)}`.padStart(14),
      ].join(' '),
    );
    for (const f of t.failures.slice(0, 5)) console.log(`  failed trial: ${f}`);
    summary[lang] = {
      trials: t.trials,
      failedTrials: t.failures.length,
      callMicroseconds: median(t.callSeconds) * 1e6,
      effopt: { aaFalseWinRate: t.aaFalseWins / t.trials, abDetectionRate: t.abDetections / t.trials },
      minOf5Fixed5pct: { aaFalseWinRate: t.minRuleAaFalseWins / t.trials, abDetectionRate: t.minRuleAbDetections / t.trials },
      aaMedianRatio: median(t.aaEstimates),
      aaMedianIntervalWidth: median(t.aaWidths),
      abMedianRatio: median(t.abEstimates),
      measureSecondsPerPair: { median: median(t.measurePerPair), p95: quantile(t.measurePerPair, 0.95) },
      wallSecondsPerTrial: median(t.wallPerTrial),
    };
  }
  console.log('');
  console.log(
    `load average ${load0.toFixed(2)} → ${load1.toFixed(2)} on ${cpus().length} CPUs${load0 > cpus().length * 0.5 ? ' (busy machine: contention inflates noise; rerun on a quiet machine)' : ''}`,
  );
  console.log(
    JSON.stringify({
      bench: 'noise',
      trials,
      budgetMsPerLevel: budgetMs,
      repeats,
      size,
      cpus: cpus().length,
      loadAverage: [load0, load1],
      targets: { aaFalseWinRate: 0.01, abDetectionRate: 0.95, measureSecondsPerPair: 2 },
      results: summary,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
