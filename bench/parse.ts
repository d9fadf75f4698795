// Parser speed on generated 10k-line files, one per language: full parse + extraction (functions,
// scopes, hotness) and incremental reparse after a one-line edit, for the WASM backend and the
// native backend side by side, plus TypeScript's own createSourceFile on the same JS/TS files.
// Targets (the parser issue): full extract < 50 ms, incremental reparse < 5 ms. Figures only; the
// machine may be busy, so read them as indicative and rerun on a quiet machine.
//
//   node --import tsx bench/parse.ts [--lines 10000] [--runs 15]
import ts from 'typescript';
import { createWasmBackend, extractFunctions, type LanguageId, type ParseBackend } from '../src/core/parse';
import { editFor } from '../src/core/parse/documents';
import { analyzeTree } from '../src/core/parse/extract';
import { loadNativeBackend } from '../src/core/parse/native';
import { benchInputs } from './parse-inputs';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LINES = arg('lines', 10_000);
const RUNS = arg('runs', 15);
const WARMUP = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn: () => void): number {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

interface Row {
  language: LanguageId;
  input: string;
  backend: string;
  lines: number;
  bytes: number;
  functions: number;
  parseMs: number;
  extractMs: number;
  mbPerSec: number;
  incrementalMs: number;
}

async function measure(language: LanguageId, input: string, source: string, backend: ParseBackend): Promise<Row> {
  await backend.loadLanguage(language);
  const functions = (await extractFunctions(source, language, { backend })).functions.length;
  const parseMs = time(() => backend.parse(language, source).delete());
  // Full extraction: parse + queries + per-function work + hotness (what extractFunctions does, minus the async hop).
  const extractMs = time(() => {
    const tree = backend.parse(language, source);
    try {
      analyzeTree(backend, language, tree, source);
    } finally {
      tree.delete();
    }
  });
  // Incremental: a keystroke in the middle of the file (a letter typed into the first name on a
  // line), tree edited, then reparsed.
  const middle = source.indexOf('\n', source.length >> 1) + 1;
  const nameAt = middle + source.slice(middle).search(/[A-Za-z_]/);
  const change = { rangeOffset: nameAt, rangeLength: 0, text: 'x' };
  const incrementalMs = time(() => {
    const base = backend.parse(language, source);
    const { edit, text } = editFor(source, change);
    base.edit(edit);
    const t = performance.now();
    const next = backend.parse(language, text, { oldTree: base });
    incremental.push(performance.now() - t);
    next.delete();
    base.delete();
  });
  void incrementalMs;
  const inc = median(incremental.splice(0));
  return {
    language,
    input,
    backend: backend.kind,
    lines: LINES,
    bytes: Buffer.byteLength(source),
    functions,
    parseMs,
    extractMs,
    mbPerSec: Buffer.byteLength(source) / 1048576 / (extractMs / 1000),
    incrementalMs: inc,
  };
}
const incremental: number[] = [];

function typescriptParse(language: LanguageId, source: string): number {
  const kind = language === 'javascript' ? ts.ScriptKind.JS : language === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return time(
    () => void ts.createSourceFile(`bench.${language === 'tsx' ? 'tsx' : language === 'javascript' ? 'js' : 'ts'}`, source, ts.ScriptTarget.Latest, true, kind),
  );
}

async function main(): Promise<void> {
  const native = loadNativeBackend();
  const backends: ParseBackend[] = [createWasmBackend(), ...(native.backend ? [native.backend] : [])];
  if (!native.backend) console.log(`native backend unavailable: ${native.error}`);
  const rows: Row[] = [];
  const tsc: Record<string, number> = {};
  console.log(`parse bench: ${LINES} generated lines per language, median of ${RUNS} runs after ${WARMUP} warm-up runs`);
  console.log('language     input                  backend  KiB   functions  parse ms  extract ms  MB/s   incremental ms');
  const print = (row: Row): void =>
    console.log(
      `${row.language.padEnd(12)} ${row.input.slice(0, 22).padEnd(22)} ${row.backend.padEnd(8)} ${(row.bytes / 1024).toFixed(0).padStart(4)}  ${String(row.functions).padStart(9)}  ${row.parseMs.toFixed(1).padStart(8)}  ${row.extractMs.toFixed(1).padStart(10)}  ${row.mbPerSec.toFixed(1).padStart(5)}  ${row.incrementalMs.toFixed(2).padStart(14)}`,
    );
  for (const { language, name, source } of benchInputs(LINES)) {
    for (const backend of backends) {
      const row = await measure(language, name, source, backend);
      rows.push(row);
      print(row);
    }
    if (language !== 'python') {
      const ms = typescriptParse(language, source);
      tsc[`${language}:${name}`] = ms;
      console.log(
        `${language.padEnd(12)} ${name.slice(0, 22).padEnd(22)} ${'tsc'.padEnd(8)} ${''.padStart(4)}  ${''.padStart(9)}  ${ms.toFixed(1).padStart(8)}  (typescript ${ts.version} createSourceFile, parse only)`,
      );
    }
  }
  const worst = (key: 'extractMs' | 'incrementalMs', kind: string): number => Math.max(...rows.filter((r) => r.backend === kind).map((r) => r[key]));
  for (const kind of new Set(rows.map((r) => r.backend))) {
    console.log(
      `${kind}: worst full extract ${worst('extractMs', kind).toFixed(1)} ms (target < 50), worst incremental reparse ${worst('incrementalMs', kind).toFixed(2)} ms (target < 5)`,
    );
  }
  console.log(
    JSON.stringify({
      bench: 'parse',
      lines: LINES,
      runs: RUNS,
      rows: rows.map((r) => ({
        ...r,
        parseMs: +r.parseMs.toFixed(2),
        extractMs: +r.extractMs.toFixed(2),
        mbPerSec: +r.mbPerSec.toFixed(2),
        incrementalMs: +r.incrementalMs.toFixed(3),
      })),
      typescriptCreateSourceFileMs: Object.fromEntries(Object.entries(tsc).map(([k, v]) => [k, +v.toFixed(2)])),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
