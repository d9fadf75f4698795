import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractContext, extractFunctions, normalizeCode, ParseCancelled, ParseInputError, type LanguageId } from '../../../src/core/parse';
import { byName, fixture } from './fixtures';

describe('bad input', () => {
  it('lists what tree-sitter recovers from a file with syntax errors, flagged', async () => {
    const py = await extractFunctions(fixture('broken.py'), 'python');
    assert.ok(py.syntaxErrors.length > 0);
    assert.equal(py.syntaxErrors[0].line, 6);
    assert.deepEqual(
      py.functions.map((f) => [f.name, f.optimizable, f.syntaxError ?? false]),
      [
        ['good', true, false],
        ['bad', false, true],
        ['after', true, false],
      ],
    );
    assert.match(byName(py.functions, 'bad').reason!, /syntax error/);

    const ts = await extractFunctions(fixture('broken.ts'), 'typescript');
    assert.ok(ts.syntaxErrors.some((e) => e.line === 5 && /missing/.test(e.message)));
    assert.deepEqual(
      ts.functions.map((f) => [f.name, f.optimizable]),
      [
        ['ok', true],
        ['broken', false],
        ['later', true],
      ],
    );
  });

  it('returns nothing, cleanly, for empty and whitespace-only files', async () => {
    for (const lang of ['javascript', 'typescript', 'tsx', 'python'] as LanguageId[]) {
      for (const src of ['', '\n\n   \n', '// only a comment\n']) {
        const r = await extractFunctions(src, lang);
        assert.deepEqual(r.functions, [], `${lang} ${JSON.stringify(src)}`);
      }
      assert.equal(await normalizeCode('', lang), '');
    }
  });

  it('rejects binary data and unknown languages with a clear error', async () => {
    await assert.rejects(extractFunctions('\u0000\u0001ELF\u0002\u0000', 'javascript'), (e: Error) => e instanceof ParseInputError && /binary/.test(e.message));
    const noise = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 32)).join('');
    await assert.rejects(
      extractFunctions(noise.replace(/\u0000/g, '\u0001'), 'python'),
      (e: Error) => e instanceof ParseInputError && /binary/.test(e.message),
    );
    await assert.rejects(
      extractFunctions('x = 1', 'cobol' as LanguageId),
      (e: Error) => e instanceof ParseInputError && /unknown language "cobol"/.test(e.message),
    );
    await assert.rejects(normalizeCode('x', 'rust' as LanguageId), ParseInputError);
    await assert.rejects(extractContext('x', 'go' as LanguageId, 'f'), ParseInputError);
  });

  it('survives printable garbage: no functions, syntax errors reported', async () => {
    const garbage = Array.from({ length: 20000 }, (_, k) => String.fromCharCode(33 + ((k * 7919) % 90))).join('');
    for (const lang of ['javascript', 'tsx', 'python'] as LanguageId[]) {
      const r = await extractFunctions(garbage, lang);
      assert.ok(r.syntaxErrors.length > 0, lang);
      assert.ok(r.syntaxErrors.length <= 50, lang);
    }
  });

  it('parses a 10 MB file, and a timeout or an abort stops it with ParseCancelled', async () => {
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < 10 * 1024 * 1024; i++) {
      const line = i % 500 === 0 ? `def f${i}(x):\n    return x + ${i}\n` : `MESSAGE_${i} = "${'lorem ipsum dolor sit amet '.repeat(8)}${i}"\n`;
      parts.push(line);
      length += line.length;
    }
    const big = parts.join('');
    const r = await extractFunctions(big, 'python');
    assert.equal(r.functions.length, Math.ceil(parts.length / 500));
    assert.equal(r.functions.at(-1)!.endOffset <= big.length, true);
    await assert.rejects(extractFunctions(big, 'python', { timeoutMs: 1 }), ParseCancelled);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(extractFunctions(big, 'python', { signal: aborted.signal }), ParseCancelled);
    // The parser is usable again after a cancelled parse.
    assert.equal((await extractFunctions('def g():\n    pass\n', 'python')).functions[0].name, 'g');
  });
});
