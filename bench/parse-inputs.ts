// The inputs of bench/parse.ts, shared with the parser's golden-output test (test/unit/parse/
// golden.test.ts), so the extractor is checked on the very files it is timed on: a generated
// file per language and real files repeated to the same length.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LanguageId } from '../src/core/parse';

/** Realistic blocks: functions with loops and branches, classes with methods, constants. */
export const BLOCKS: Record<LanguageId, (i: number) => string> = {
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

/** A file of `lines` lines made of the language's block, numbered so names stay unique. */
export function generate(language: LanguageId, lines: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const block = BLOCKS[language](i);
    parts.push(block);
    count += block.split('\n').length - 1;
  }
  return parts.join('').split('\n').slice(0, lines).join('\n') + '\n';
}

/** Real-world files vendored for the parser tests and this bench (origin and licences: SOURCES.md there). */
export const REAL_INPUTS = join(__dirname, '..', 'test', 'fixtures', 'parse', 'real');

/** One real file per language, repeated to the wanted length. */
const REAL: Partial<Record<LanguageId, string>> = {
  javascript: 'commander/lib/command.js',
  typescript: 'msal-common/cache/CacheManager.ts',
  python: 'python3.11/argparse.py',
};

export function realFile(language: LanguageId, lines: number): { name: string; source: string } | undefined {
  const file = REAL[language];
  if (!file) return undefined;
  // Read unconditionally: a missing vendored input is an error, never a silently smaller bench.
  const text = readFileSync(join(REAL_INPUTS, file), 'utf8');
  const copies = Math.ceil(lines / text.split('\n').length);
  return {
    name: file.split('/').slice(-2).join('/'),
    source:
      Array.from({ length: copies }, () => text)
        .join('\n')
        .split('\n')
        .slice(0, lines)
        .join('\n') + '\n',
  };
}

export interface BenchInput {
  language: LanguageId;
  /** `generated` or the real file's last two path segments. */
  name: string;
  source: string;
}

export const BENCH_LANGUAGES: readonly LanguageId[] = ['javascript', 'typescript', 'tsx', 'python'];

/** Every bench input in bench order. */
export function benchInputs(lines: number): BenchInput[] {
  return BENCH_LANGUAGES.flatMap((language) => [
    { language, name: 'generated', source: generate(language, lines) },
    ...[realFile(language, lines)].filter((r) => r !== undefined).map((r) => ({ language, ...r })),
  ]);
}
