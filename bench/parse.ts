// Parser speed on generated 10k-line files, one per language: full parse + extraction (functions,
// scopes, hotness) and incremental reparse after a one-line edit, for the WASM backend and the
// native backend side by side, plus TypeScript's own createSourceFile on the same JS/TS files.
// Targets (DESIGN issue 3): full extract < 50 ms, incremental reparse < 5 ms. Figures only; the
// machine may be busy, so read them as indicative and rerun on a quiet machine.
//
//   node --import tsx bench/parse.ts [--lines 10000] [--runs 15]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { createWasmBackend, extractFunctions, type LanguageId, type ParseBackend } from '../src/core/parse';
import { editFor } from '../src/core/parse/documents';
import { analyzeTree } from '../src/core/parse/extract';
import { loadNativeBackend } from '../src/core/parse/native';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LINES = arg('lines', 10_000);
const RUNS = arg('runs', 15);
const WARMUP = 3;

/** Realistic blocks: functions with loops and branches, classes with methods, constants. */
const BLOCKS: Record<LanguageId, (i: number) => string> = {
  javascript: (i) => `
const LIMIT_${i} = ${i};

function collect${i}(items, seen = new Set()) {
  const out = [];
  for (const item of items) {
    if (item.value > LIMIT_${i} && !seen.has(item.id)) {
      seen.add(item.id);
      out.push({ ...item, rank: out.length });
    }
  }
  return out.sort((a, b) => a.rank - b.rank);
}

class Store${i} {
  constructor(rows) {
    this.rows = rows;
  }
  find(id) {
    return this.rows.find((row) => row.id === id);
  }
  async load(fetcher) {
    const data = await fetcher(\`/rows/${i}\`);
    return data.map((d) => d.value * 2);
  }
}

export const format${i} = (value) => \`\${value}\`.padStart(8, ' ');
`,
  typescript: (i) => `
export interface Row${i} {
  id: string;
  value: number;
}

const LIMIT_${i}: number = ${i};

export function collect${i}(items: Row${i}[], seen: Set<string> = new Set()): Row${i}[] {
  const out: Row${i}[] = [];
  for (const item of items) {
    if (item.value > LIMIT_${i} && !seen.has(item.id)) {
      seen.add(item.id);
      out.push({ ...item });
    }
  }
  return out.sort((a, b) => a.value - b.value);
}

export class Store${i}<T extends Row${i}> {
  private rows: T[] = [];
  find(id: string): T | undefined {
    return this.rows.find((row) => row.id === id);
  }
  async load(fetcher: (url: string) => Promise<T[]>): Promise<number[]> {
    const data = await fetcher('/rows/${i}');
    return data.map((d) => d.value * 2);
  }
}
`,
  tsx: (i) => `
type Props${i} = { rows: { id: string; label: string }[]; selected: string[] };

export function Table${i}({ rows, selected }: Props${i}): JSX.Element {
  const visible = rows.slice(0, ${i + 10});
  return (
    <table className="t${i}">
      {visible.map((row) => (
        <tr key={row.id} className={selected.includes(row.id) ? 'on' : 'off'}>
          <td>{row.label}</td>
        </tr>
      ))}
    </table>
  );
}

export const Counter${i} = ({ start = 0 }: { start?: number }) => {
  const [n, setN] = useState(start);
  const increment = () => setN((v) => v + 1);
  return <button onClick={increment}>{n}</button>;
};
`,
  python: (i) => `
LIMIT_${i} = ${i}


def collect_${i}(items, seen=None):
    seen = set() if seen is None else seen
    out = []
    for item in items:
        if item["value"] > LIMIT_${i} and item["id"] not in seen:
            seen.add(item["id"])
            out.append(dict(item, rank=len(out)))
    return sorted(out, key=lambda r: r["rank"])


class Store${i}:
    def __init__(self, rows):
        self.rows = rows

    def find(self, key):
        for row in self.rows:
            if row["id"] == key:
                return row
        return None

    async def load(self, fetcher):
        data = await fetcher("/rows/${i}")
        return [d["value"] * 2 for d in data]
`,
};

function generate(language: LanguageId): string {
  const parts: string[] = [];
  let lines = 0;
  for (let i = 0; lines < LINES; i++) {
    const block = BLOCKS[language](i);
    parts.push(block);
    lines += block.split('\n').length - 1;
  }
  return parts.join('').split('\n').slice(0, LINES).join('\n') + '\n';
}

/** Real files from installed packages and Python's standard library, repeated to LINES lines. */
const REAL: Partial<Record<LanguageId, string[]>> = {
  javascript: [join(__dirname, '..', 'node_modules', 'commander', 'lib', 'command.js')],
  typescript: [join(__dirname, '..', 'node_modules', '@azure', 'msal-common', 'src', 'cache', 'CacheManager.ts')],
  python: ['/usr/lib/python3.11/argparse.py', '/root/.pyenv/versions/3.11.7/lib/python3.11/argparse.py'],
};

function realFile(language: LanguageId): { name: string; source: string } | undefined {
  const file = REAL[language]?.find((f) => existsSync(f));
  if (!file) return undefined;
  const text = readFileSync(file, 'utf8');
  const copies = Math.ceil(LINES / text.split('\n').length);
  return { name: file.split('/').slice(-2).join('/'), source: Array.from({ length: copies }, () => text).join('\n').split('\n').slice(0, LINES).join('\n') + '\n' };
}

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
  return { language, input, backend: backend.kind, lines: LINES, bytes: Buffer.byteLength(source), functions, parseMs, extractMs, mbPerSec: Buffer.byteLength(source) / 1048576 / (extractMs / 1000), incrementalMs: inc };
}
const incremental: number[] = [];

function typescriptParse(language: LanguageId, source: string): number {
  const kind = language === 'javascript' ? ts.ScriptKind.JS : language === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return time(() => void ts.createSourceFile(`bench.${language === 'tsx' ? 'tsx' : language === 'javascript' ? 'js' : 'ts'}`, source, ts.ScriptTarget.Latest, true, kind));
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
  for (const language of ['javascript', 'typescript', 'tsx', 'python'] as LanguageId[]) {
    const inputs = [{ name: 'generated', source: generate(language) }, ...[realFile(language)].filter((r) => r !== undefined)];
    for (const { name, source } of inputs) {
      for (const backend of backends) {
        const row = await measure(language, name, source, backend);
        rows.push(row);
        print(row);
      }
      if (language !== 'python') {
        const ms = typescriptParse(language, source);
        tsc[`${language}:${name}`] = ms;
        console.log(`${language.padEnd(12)} ${name.slice(0, 22).padEnd(22)} ${'tsc'.padEnd(8)} ${''.padStart(4)}  ${''.padStart(9)}  ${ms.toFixed(1).padStart(8)}  (typescript ${ts.version} createSourceFile, parse only)`);
      }
    }
  }
  const worst = (key: 'extractMs' | 'incrementalMs', kind: string): number => Math.max(...rows.filter((r) => r.backend === kind).map((r) => r[key]));
  for (const kind of new Set(rows.map((r) => r.backend))) {
    console.log(`${kind}: worst full extract ${worst('extractMs', kind).toFixed(1)} ms (target < 50), worst incremental reparse ${worst('incrementalMs', kind).toFixed(2)} ms (target < 5)`);
  }
  console.log(JSON.stringify({ bench: 'parse', lines: LINES, runs: RUNS, rows: rows.map((r) => ({ ...r, parseMs: +r.parseMs.toFixed(2), extractMs: +r.extractMs.toFixed(2), mbPerSec: +r.mbPerSec.toFixed(2), incrementalMs: +r.incrementalMs.toFixed(3) })), typescriptCreateSourceFileMs: Object.fromEntries(Object.entries(tsc).map(([k, v]) => [k, +v.toFixed(2)])) }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
