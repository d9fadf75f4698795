// The CLI's native backend and the extension's WASM backend must agree exactly.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REAL_INPUTS } from '../../../bench/parse-inputs';
import { createWasmBackend, extractContext, extractFunctions, languageForPath, normalizeCode } from '../../../src/core/parse';
import { loadNativeBackend } from '../../../src/core/parse/native';
import { FIXTURES } from './fixtures';

const native = loadNativeBackend();
/** Fixtures plus the vendored real-world files (test/fixtures/parse/real); a missing one fails. */
function corpus(): string[] {
  const files = readdirSync(FIXTURES)
    .filter((f) => languageForPath(f) !== undefined)
    .map((f) => join(FIXTURES, f));
  const real = [
    'commander/lib/command.js',
    'commander/lib/help.js',
    'commander/typings/index.d.ts',
    'msal-common/cache/CacheManager.ts',
    'msal-common/request/RequestParameterBuilder.ts',
    'typescript-eslint/dist/index.d.ts',
    'python3.11/argparse.py',
    'python3.11/heapq.py',
    'python3.11/textwrap.py',
    'python3.11/dataclasses.py',
  ].map((p) => join(REAL_INPUTS, p));
  return [...files, ...real];
}

describe('native and WASM backends', () => {
  // An optional dependency that npm ci builds on every machine effopt supports: absent is a failure.
  it('the native binding loads', () => assert.ok(native.backend, `native tree-sitter binding unavailable: ${native.error}`));

  const wasm = createWasmBackend();
  const files = corpus();

  it(`extract identical functions, hotness and errors (${files.length} files)`, async () => {
    assert.ok(files.length >= 10);
    for (const file of files) {
      const language = languageForPath(file)!;
      const source = readFileSync(file, 'utf8');
      const a = await extractFunctions(source, language, { backend: wasm });
      const b = await extractFunctions(source, language, { backend: native.backend });
      assert.deepEqual(b, a, file);
    }
  });

  it('normalise and build contexts identically', async () => {
    for (const file of files.slice(0, 8)) {
      const language = languageForPath(file)!;
      const source = readFileSync(file, 'utf8');
      assert.equal(await normalizeCode(source, language, { backend: native.backend }), await normalizeCode(source, language, { backend: wasm }), file);
      const { functions } = await extractFunctions(source, language, { backend: wasm });
      const target = functions.find((f) => f.optimizable);
      if (!target) continue;
      const a = await extractContext(source, language, target.qualifiedName, { backend: wasm });
      const b = await extractContext(source, language, target.qualifiedName, { backend: native.backend });
      assert.deepEqual(b, a, file);
    }
  });
});
