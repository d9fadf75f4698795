// Golden outputs: function extraction, contexts and normalisation on every bench input and every
// parser fixture must stay exactly what they were when the goldens were recorded (before the
// extractor was optimised), on both backends, including JSON key order. Large inputs are stored
// as hashes (one per function, so a difference is pinpointed) and small ones in full.
//
// Re-record (only when a change of output is intended, and say so in the commit):
//   EFFOPT_RECORD_GOLDEN=1 node scripts/run-unit-tests.mjs parse/golden
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { benchInputs } from '../../../bench/parse-inputs';
import {
  createWasmBackend,
  DocumentTrees,
  extractContext,
  extractFunctions,
  languageForPath,
  normalizeCode,
  type ExtractResult,
  type LanguageId,
  type ParseBackend,
} from '../../../src/core/parse';
import { loadNativeBackend } from '../../../src/core/parse/native';
import { FIXTURES } from './fixtures';

const GOLDEN = join(FIXTURES, 'golden');
const RECORD = process.env.EFFOPT_RECORD_GOLDEN === '1';
/** Inputs below this size are stored in full. */
const FULL_BELOW = 20_000;
/** Contexts checked per large input (each is a full analysis plus the module and reference queries). */
const LARGE_CONTEXTS = 2;

interface Input {
  id: string;
  language: LanguageId;
  source: string;
}

interface Golden {
  input: string;
  language: LanguageId;
  sourceSha256: string;
  extract: { sha256: string; count: number; syntaxErrors: ExtractResult['syntaxErrors']; functionHashes: string[]; full?: ExtractResult };
  /** The analysis DocumentTrees gives after the bench's keystroke (incremental reparse). */
  edited: { sha256: string; count: number };
  contexts: { qualifiedName: string; sha256: string; full?: unknown }[];
  normalized: { of: string; sha256: string; full?: string }[];
}

const sha = (value: unknown): string =>
  createHash('sha256')
    .update(typeof value === 'string' ? value : JSON.stringify(value))
    .digest('hex');
const functionHash = (f: unknown): string => sha(f).slice(0, 16);

function inputs(): Input[] {
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => languageForPath(f) !== undefined)
    .sort()
    .map((f) => ({ id: `fixture-${f}`, language: languageForPath(f)!, source: readFileSync(join(FIXTURES, f), 'utf8') }));
  const bench = benchInputs(10_000).map((b) => ({ id: `bench-${b.language}-${b.name.replace(/[^\w.]+/g, '-')}`, language: b.language, source: b.source }));
  return [...fixtures, ...bench];
}

/** The bench's incremental edit: a letter typed into the first name on the middle line. */
function keystroke(source: string): { rangeOffset: number; rangeLength: number; text: string } {
  const middle = source.indexOf('\n', source.length >> 1) + 1;
  return { rangeOffset: middle + source.slice(middle).search(/[A-Za-z_]/), rangeLength: 0, text: 'x' };
}

/** Qualified names whose contexts are checked: all of a small input's, a spread sample of a large one's. */
function contextSample(result: ExtractResult, full: boolean): string[] {
  const names = [...new Set(result.functions.map((f) => f.qualifiedName))];
  if (full) return names;
  const optimizable = [...new Set(result.functions.filter((f) => f.optimizable).map((f) => f.qualifiedName))];
  return Array.from(
    { length: Math.min(LARGE_CONTEXTS, optimizable.length) },
    (_, k) => optimizable[Math.floor(((k + 0.5) * optimizable.length) / LARGE_CONTEXTS)],
  );
}

async function compute(input: Input, backend: ParseBackend): Promise<Golden> {
  const { language, source } = input;
  const full = source.length < FULL_BELOW;
  const result = await extractFunctions(source, language, { backend });

  const docs = new DocumentTrees(backend);
  let edited: ExtractResult;
  try {
    await docs.update('golden', 1, language, source);
    docs.analysis('golden');
    const change = keystroke(source);
    const text = source.slice(0, change.rangeOffset) + change.text + source.slice(change.rangeOffset);
    await docs.update('golden', 2, language, text, [change]);
    const { version: _version, ...analysis } = docs.analysis('golden')!;
    edited = analysis;
    // Code lenses after a keystroke must be what a fresh parse of the new text gives.
    assert.deepEqual(edited, await extractFunctions(text, language, { backend }), `${input.id}: incremental analysis`);
  } finally {
    docs.dispose();
  }

  const contexts: Golden['contexts'] = [];
  const normalized: Golden['normalized'] = [];
  if (full) {
    const text = await normalizeCode(source, language, { backend });
    normalized.push({ of: 'file', sha256: sha(text), full: text });
  }
  for (const qualifiedName of contextSample(result, full)) {
    const context = await extractContext(source, language, qualifiedName, { backend });
    contexts.push({ qualifiedName, sha256: sha(context), ...(full ? { full: context } : {}) });
    if (!full) normalized.push({ of: `${qualifiedName} moduleText`, sha256: sha(await normalizeCode(context.moduleText, language, { backend })) });
  }

  return {
    input: input.id,
    language,
    sourceSha256: sha(source),
    extract: {
      sha256: sha(result),
      count: result.functions.length,
      syntaxErrors: result.syntaxErrors,
      functionHashes: result.functions.map((f) => `${f.qualifiedName}@${f.startOffset} ${functionHash(f)}`),
      ...(full ? { full: result } : {}),
    },
    edited: { sha256: sha(edited), count: edited.functions.length },
    contexts,
    normalized,
  };
}

/** Fails with the first function that differs (by its stored hash), not just "hash differs". */
function compareExtract(actual: Golden, expected: Golden, label: string): void {
  if (actual.extract.sha256 === expected.extract.sha256) return;
  if (expected.extract.full) assert.deepEqual(actual.extract.full, expected.extract.full, label);
  const a = actual.extract.functionHashes;
  const e = expected.extract.functionHashes;
  const at = a.findIndex((h, i) => h !== e[i]);
  assert.deepEqual(
    a.slice(Math.max(0, at), at + 3),
    e.slice(Math.max(0, at), at + 3),
    `${label}: functions differ from #${at} on (${a.length} now, ${e.length} recorded)`,
  );
  assert.deepEqual(actual.extract.syntaxErrors, expected.extract.syntaxErrors, `${label}: syntax errors`);
  assert.fail(`${label}: the extraction JSON differs (same functions: the key order or the result shape changed)`);
}

const native = loadNativeBackend();

/** The native binding is an optional dependency that npm ci builds here: its absence fails the tests that need it. */
function failingBackend(error: string | undefined): ParseBackend {
  return new Proxy({} as ParseBackend, {
    get: () => {
      throw new Error(`native tree-sitter binding unavailable: ${error}`);
    },
  });
}
const backends: { name: string; backend: ParseBackend }[] = [
  { name: 'wasm', backend: createWasmBackend() },
  { name: 'native', backend: native.backend ?? failingBackend(native.error) },
];

describe('golden parser outputs', () => {
  const all = inputs();

  if (RECORD) {
    it('records the goldens', async () => {
      mkdirSync(GOLDEN, { recursive: true });
      for (const input of all) {
        const golden = await compute(input, backends[0].backend);
        // Both backends must agree before their common output becomes the reference.
        for (const { name, backend } of backends.slice(1)) assert.deepEqual(await compute(input, backend), golden, `${input.id} (${name})`);
        writeFileSync(join(GOLDEN, `${input.id}.json`), JSON.stringify(golden, null, 1) + '\n');
      }
    });
    return;
  }

  it('has a golden for every input and no stale ones', () => {
    const stored = readdirSync(GOLDEN)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
    const fixtureIds = all.filter((i) => i.id.startsWith('fixture-')).map((i) => i.id);
    for (const id of fixtureIds) assert.ok(stored.includes(id), `no golden for ${id}`);
    for (const id of stored.filter((s) => s.startsWith('fixture-'))) assert.ok(fixtureIds.includes(id), `golden ${id} has no fixture`);
    assert.ok(stored.filter((s) => s.startsWith('bench-')).length >= 4);
  });

  for (const input of all) {
    for (const { name, backend } of backends) {
      it(`${input.id} (${name})`, async () => {
        // Every input is in the repository (the real ones vendored under fixtures/parse/real): a
        // missing golden or a changed input is a failure, never a skip.
        const expected = JSON.parse(readFileSync(join(GOLDEN, `${input.id}.json`), 'utf8')) as Golden;
        assert.equal(expected.sourceSha256, sha(input.source), `${input.id} changed since its golden was recorded: re-record it (and say why in the commit)`);
        const actual = await compute(input, backend);
        const label = `${input.id} (${name})`;
        compareExtract(actual, expected, label);
        assert.deepEqual(actual.edited, expected.edited, `${label}: analysis after an incremental edit`);
        for (const [i, c] of expected.contexts.entries()) {
          if (c.full) assert.deepEqual(actual.contexts[i]?.full, c.full, `${label}: context of ${c.qualifiedName}`);
          assert.deepEqual(actual.contexts[i], c, `${label}: context of ${c.qualifiedName}`);
        }
        assert.equal(actual.contexts.length, expected.contexts.length);
        assert.deepEqual(actual.normalized, expected.normalized, `${label}: normalizeCode`);
      });
    }
  }
});
