// Where does the time of a pipeline run go, and how does it grow? `evaluate` (supplied rewrites
// and tests, no LLM) run in-process through optimize() — the CLI's engine — on:
//   1. every example in examples/ (wall time per stage, and whether each candidate ends as its
//      examples.json kind says);
//   2. one example (js/dedupe) with 2, 4, 8, 16 correct rewrites (the same Set-based rewrite with
//      different variable names, so none is a duplicate after normalisation) and 1×, 2×, 4× the
//      number of test cases per level.
// Target: 8 candidates × 4 levels verified and benchmarked in under 60 s on a 2-core machine.
//
//   node --import tsx bench/pipeline.ts [--examples-only | --scaling-only] [--candidates 2,4,8,16]
//        [--cases 1,2,4] [--repeats 6] [--measure-ms 800]
//
// Prints tables, then ONE JSON line. Timings depend on the machine and its load (the load average
// is printed): rerun on a quiet machine before quoting figures.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { resolveSettings } from '../src/core/config';
import { installCliBackend } from '../src/core/parse/native';
import { optimize, type SuppliedCandidate } from '../src/core/pipeline';
import { STAGES, type OptimizationReport, type Stage } from '../src/core/pipeline/report';
import { parseSuppliedTests } from '../src/core/testgen/supplied';
import type { TestSuite } from '../src/core/testgen/types';
import { EXPECTED_STATUS, exampleTimeoutMs, loadExamples, ROOT, type Example } from '../test/unit/e2e/examples';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const list = (name: string, fallback: string): number[] => arg(name, fallback).split(',').map(Number);

const repeats = Number(arg('repeats', '6'));
const measureMs = Number(arg('measure-ms', '800'));
const candidateCounts = list('candidates', '2,4,8,16');
const caseFactors = list('cases', '1,2,4');
const TARGET_SECONDS = 60;
const timeoutMs = exampleTimeoutMs();
const settings = resolveSettings({ timeoutMs });
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function evaluate(
  example: Pick<Example, 'file' | 'function' | 'language'>,
  candidates: SuppliedCandidate[],
  tests: TestSuite,
): Promise<{ report: OptimizationReport; wall: number }> {
  const t0 = performance.now();
  const report = await optimize({
    filePath: example.file,
    source: readFileSync(example.file, 'utf8'),
    language: example.language,
    functionName: example.function,
    settings,
    candidates,
    tests,
    projectDir: ROOT,
    bench: { repeats, budgetMsPerLevel: measureMs },
  });
  return { report, wall: (performance.now() - t0) / 1000 };
}

const s = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(1));
const pad = (text: string, n: number): string => text.padEnd(n);
const SHOWN: Stage[] = STAGES.filter((st) => st !== 'repair' && st !== 'tests');

// ---- 1. every example ----

interface ExampleRow {
  id: string;
  status: string;
  winner?: string;
  speedup?: number;
  candidates: number;
  cases: number;
  stages: Partial<Record<Stage, number>>;
  total: number;
  mismatches: string[];
}

async function examplesTable(): Promise<ExampleRow[]> {
  console.log(`\n1. evaluate on every example (repeats ${repeats}, ${measureMs} ms per program and level, timeout ${timeoutMs} ms; load ${load()})\n`);
  console.log(pad('example', 18) + SHOWN.map((st) => pad(st, 11)).join('') + pad('total s', 9) + 'result');
  const rows: ExampleRow[] = [];
  for (const e of loadExamples()) {
    const tests = parseSuppliedTests(readFileSync(e.testsFile, 'utf8'), e.language);
    const { report } = await evaluate(
      e,
      e.candidates.map((c) => ({ id: c.id, code: c.code })),
      tests,
    );
    const mismatches = e.candidates.flatMap((c) => {
      const got = report.candidates.find((x) => x.id === c.id)?.status ?? 'missing';
      return EXPECTED_STATUS[c.kind].includes(got) ? [] : [`${c.id}: ${got}, expected ${c.kind}`];
    });
    const row: ExampleRow = {
      id: e.id,
      status: report.status,
      winner: report.winner?.id,
      speedup: report.winner?.speedup.estimate,
      candidates: e.candidates.length,
      cases: report.tests.cases,
      stages: Object.fromEntries(SHOWN.map((st) => [st, report.timings[st]])),
      total: report.timings.total,
      mismatches,
    };
    rows.push(row);
    const result = `${report.status}${row.winner ? ` (${row.winner} ${row.speedup!.toFixed(1)}×)` : ''}${mismatches.length ? ` MISMATCH ${mismatches.join('; ')}` : ''}`;
    console.log(pad(e.id, 18) + SHOWN.map((st) => pad(s(report.timings[st]), 11)).join('') + pad(s(report.timings.total), 9) + result);
  }
  return rows;
}

// ---- 2. scaling on js/dedupe ----

/** The k-th correct rewrite: the same algorithm, its own variable names (not a duplicate after normalisation). */
function variant(k: number): SuppliedCandidate {
  return {
    id: `v${k}`,
    code: `function uniqueTags(rawTags) {\n  const seen${k} = new Set();\n  const out${k} = [];\n  for (const raw${k} of rawTags) {\n    const tag${k} = normalizeTag(raw${k});\n    if (tag${k} !== '' && !seen${k}.has(tag${k})) {\n      seen${k}.add(tag${k});\n      out${k}.push(tag${k});\n    }\n  }\n  return out${k};\n}\n`,
  };
}

/** js/dedupe's tests with `factor` times the cases on every level (same sizes, shifted contents). */
function scaledTests(factor: number): TestSuite {
  const tag = (n: number, u: number) => `Array.from({length: ${n}}, (_, i) => (i % 3 === 0 ? ' Tag ' : 'tag ') + ((i + 17 * j) % ${u}))`;
  const level = (n: number, u: number) => `function generate(rng) {\n  return Array.from({length: ${factor}}, (_, j) => [${tag(n, u)}]);\n}\n`;
  const edge = `function generate(rng) {\n  const base = [[], ['JavaScript'], ['Node JS', 'node  js', ' NODE-JS '], ['  ', '', 'css'], ['Constructor', 'html', '__proto__', 'html'], [1, '1', null, 'null', true], ['b', 'a', 'B', ' a ']];\n  return Array.from({length: ${factor}}, (_, j) => base.map((xs) => [xs.map((x) => (typeof x === 'string' && j > 0 ? x + ' ' + j : x))])).flat();\n}\n`;
  return {
    generators: [
      { level: 0, language: 'javascript', code: edge },
      { level: 1, language: 'javascript', code: level(500, 200) },
      { level: 2, language: 'javascript', code: level(2000, 1000) },
      { level: 3, language: 'javascript', code: level(8000, 4000) },
    ],
    assertions: [],
    dropped: [],
  };
}

interface ScalingRow {
  candidates: number;
  caseFactor: number;
  cases: number;
  verify: number;
  benchmark: number;
  total: number;
  status: string;
  verified: number;
}

async function scalingTable(): Promise<ScalingRow[]> {
  const dedupe = loadExamples().find((e) => e.id === 'js/dedupe')!;
  console.log(`\n2. scaling on ${dedupe.id} (${dirname(dedupe.file).split('/').pop()}): correct rewrites × cases per level (load ${load()})\n`);
  console.log(pad('candidates', 12) + pad('cases', 8) + pad('verify s', 10) + pad('bench s', 10) + pad('total s', 10) + pad('s/program', 11) + 'status');
  const rows: ScalingRow[] = [];
  for (const factor of caseFactors) {
    const tests = scaledTests(factor);
    for (const n of candidateCounts) {
      const candidates = Array.from({ length: n }, (_, k) => variant(k + 1));
      const { report } = await evaluate(dedupe, candidates, tests);
      const verified = report.candidates.filter((c) => c.verification?.status === 'verified').length;
      const row: ScalingRow = {
        candidates: n,
        caseFactor: factor,
        cases: report.tests.cases,
        verify: report.timings.verify ?? 0,
        benchmark: report.timings.benchmark ?? 0,
        total: report.timings.total,
        status: report.status,
        verified,
      };
      rows.push(row);
      const mark = n === 8 && factor === 1 ? (row.total < TARGET_SECONDS ? '  ← target: < 60 s, met' : '  ← target: < 60 s, MISSED') : '';
      console.log(
        pad(String(n), 12) +
          pad(`${factor}× ${row.cases}`, 8) +
          pad(s(row.verify), 10) +
          pad(s(row.benchmark), 10) +
          pad(s(row.total), 10) +
          pad((row.total / (n + 1)).toFixed(2), 11) +
          `${row.status}, ${verified}/${n} verified${mark}`,
      );
    }
  }
  return rows;
}

async function main(): Promise<void> {
  installCliBackend();
  const loadBefore = loadavg();
  console.log(`bench/pipeline — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${load()}`);
  const examples = flag('scaling-only') ? [] : await examplesTable();
  const scaling = flag('examples-only') ? [] : await scalingTable();
  const target = scaling.find((r) => r.candidates === 8 && r.caseFactor === 1);
  if (target)
    console.log(
      `\n8 candidates × 4 levels (${target.cases} cases): ${target.total.toFixed(1)} s end to end (verify ${target.verify.toFixed(1)} s, benchmark ${target.benchmark.toFixed(1)} s) — target < ${TARGET_SECONDS} s: ${target.total < TARGET_SECONDS ? 'met' : 'MISSED'}`,
    );
  const mismatches = examples.flatMap((r) => r.mismatches.map((m) => `${r.id} ${m}`));
  if (mismatches.length > 0) console.log(`\nexamples whose candidates did not end as examples.json says: ${mismatches.join('; ')}`);
  const round = (x: number): number => +x.toFixed(2);
  console.log(
    JSON.stringify({
      bench: 'pipeline',
      cpus: cpus().length,
      loadAverage: { before: loadBefore.map(round), after: loadavg().map(round) },
      settings: { repeats, measureMsPerLevel: measureMs, timeoutMs },
      examples: examples.map((r) => ({
        ...r,
        speedup: r.speedup === undefined ? undefined : round(r.speedup),
        total: round(r.total),
        stages: Object.fromEntries(Object.entries(r.stages).map(([k, v]) => [k, round(v ?? 0)])),
      })),
      scaling: scaling.map((r) => ({ ...r, verify: round(r.verify), benchmark: round(r.benchmark), total: round(r.total) })),
      target: {
        what: '8 candidates x 4 levels, verified and benchmarked',
        seconds: target ? round(target.total) : null,
        limitSeconds: TARGET_SECONDS,
        met: target ? target.total < TARGET_SECONDS : null,
      },
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
