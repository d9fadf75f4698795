// Loads the reference vectors (docs/SCORING.md). The repository keeps a copy in test/fixtures/vectors so they
// run anywhere; when EFFOPT_VECTORS_DIR names a folder of newer vectors its files are tested too,
// so a vector added there is picked up without touching the tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO_COPY = join(__dirname, '..', '..', 'fixtures', 'vectors');
const SHARED = process.env.EFFOPT_VECTORS_DIR;

export interface VectorFile<T> {
  /** Where it came from, for test names. */
  source: string;
  data: T;
}

/** Every distinct version of `<name>.json` found in the repository copy and the shared folder. */
export function loadVectorFiles<T>(name: string): VectorFile<T>[] {
  const seen = new Set<string>();
  const files: VectorFile<T>[] = [];
  for (const dir of SHARED ? [REPO_COPY, SHARED] : [REPO_COPY]) {
    const path = join(dir, `${name}.json`);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const key = JSON.stringify(JSON.parse(text));
    if (seen.has(key)) continue;
    seen.add(key);
    files.push({ source: path, data: JSON.parse(text) as T });
  }
  if (files.length === 0) throw new Error(`no ${name}.json vectors in ${REPO_COPY}${SHARED ? ` or ${SHARED}` : ''}`);
  return files;
}

/** Names of the vector files in the repository copy (so a new file is noticed by the tests). */
export function vectorFileNames(): string[] {
  return readdirSync(REPO_COPY)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}
