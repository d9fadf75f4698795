// The CLI's native backend and the extension's WASM backend must agree exactly.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pythonStdlib } from '../../../bench/parse-inputs';
import { createWasmBackend, extractContext, extractFunctions, languageForPath, normalizeCode } from '../../../src/core/parse';
import { loadNativeBackend } from '../../../src/core/parse/native';
import { FIXTURES } from './fixtures';

const native = loadNativeBackend();
const ROOT = join(__dirname, '..', '..', '..');
/** The standard library of the machine's python3 (wherever it is installed). */
const PY_LIB = pythonStdlib();

/** Fixtures plus real files from installed packages and the Python standard library. */
function corpus(): string[] {
  const files = readdirSync(FIXTURES).filter((f) => languageForPath(f) !== undefined).map((f) => join(FIXTURES, f));
  const real = [
    'node_modules/commander/lib/command.js',
    'node_modules/commander/lib/help.js',
    'node_modules/commander/typings/index.d.ts',
    'node_modules/@azure/msal-common/src/cache/CacheManager.ts',
    'node_modules/@azure/msal-common/src/request/RequestParameterBuilder.ts',
    'node_modules/editions/source/index.ts',
    'node_modules/typescript-eslint/dist/index.d.ts',
  ].map((p) => join(ROOT, p));
  let py: string[] = [];
  try {
    py = ['argparse.py', 'heapq.py', 'textwrap.py', 'dataclasses.py'].map((f) => join(PY_LIB, f));
    for (const f of py) readFileSync(f);
  } catch {
    py = [];
  }
  return [...files, ...real.filter((f) => { try { readFileSync(f); return true; } catch { return false; } }), ...py];
}

describe('native and WASM backends', { skip: native.backend ? false : `native tree-sitter binding unavailable: ${native.error}` }, () => {
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
