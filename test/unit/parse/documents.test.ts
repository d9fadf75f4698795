import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWasmBackend, DocumentTrees, extractFunctions, type LanguageId, type TextChange } from '../../../src/core/parse';
import { fixture } from './fixtures';

/** Applies changes the way VS Code reports them: in order, each on the text left by the previous. */
function apply(text: string, changes: TextChange[]): string {
  for (const c of changes) text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
  return text;
}

async function check(docs: DocumentTrees, uri: string, language: LanguageId, text: string): Promise<void> {
  const fresh = await extractFunctions(text, language);
  const kept = docs.analysis(uri)!;
  assert.deepEqual({ functions: kept.functions, syntaxErrors: kept.syntaxErrors }, { functions: fresh.functions, syntaxErrors: fresh.syntaxErrors });
}

describe('DocumentTrees (incremental reparsing)', () => {
  it('gives the same result after incremental edits as a fresh parse', async () => {
    const docs = new DocumentTrees(createWasmBackend());
    try {
      let text = fixture('shapes.py');
      await docs.update('file:///shapes.py', 1, 'python', text);
      await check(docs, 'file:///shapes.py', 'python', text);
      // Each step is computed on the text left by the previous one.
      const steps: ((t: string) => TextChange[])[] = [
        // Type a new function at the end, in two versions.
        (t) => [{ rangeOffset: t.length, rangeLength: 0, text: '\n\ndef added(' }],
        (t) => [{ rangeOffset: t.length, rangeLength: 0, text: 'x):\n    return [y for y in x if y in x]\n' }],
        // Rename a function and delete a line elsewhere, in one event (later offset first, as VS Code does).
        (t) => [
          { rangeOffset: t.indexOf('def report(rows)') + 4, rangeLength: 6, text: 'render' },
          { rangeOffset: t.indexOf('EPSILON = 1e-9\n'), rangeLength: 'EPSILON = 1e-9\n'.length, text: '' },
        ],
        // Break the syntax (drop the `)` of `def slow_fib(n):`).
        (t) => [{ rangeOffset: t.indexOf('def slow_fib(n):') + 14, rangeLength: 1, text: '' }],
      ];
      let version = 1;
      for (const step of steps) {
        const changes = step(text);
        text = apply(text, changes);
        await docs.update('file:///shapes.py', ++version, 'python', text, changes);
        assert.equal(docs.version('file:///shapes.py'), version);
        await check(docs, 'file:///shapes.py', 'python', text);
      }
      assert.ok(docs.analysis('file:///shapes.py')!.syntaxErrors.length > 0);
      const fix = [{ rangeOffset: text.indexOf('def slow_fib(n') + 14, rangeLength: 0, text: ')' }];
      text = apply(text, fix);
      await docs.update('file:///shapes.py', ++version, 'python', text, fix);
      await check(docs, 'file:///shapes.py', 'python', text);
      assert.deepEqual(docs.analysis('file:///shapes.py')!.syntaxErrors, []);
      assert.deepEqual(
        docs
          .analysis('file:///shapes.py')!
          .functions.filter((f) => ['render', 'added', 'report'].includes(f.name))
          .map((f) => f.name),
        ['render', 'added'],
      );
    } finally {
      docs.dispose();
    }
  });

  it('reparses from scratch when the changes do not lead to the new text, and ignores stale versions', async () => {
    const docs = new DocumentTrees(createWasmBackend());
    try {
      const a = fixture('component.tsx');
      await docs.update('u', 3, 'tsx', a);
      const b = a.replace('export const Counter', 'export const Clicker');
      await docs.update('u', 4, 'tsx', b, [{ rangeOffset: 0, rangeLength: 0, text: 'nonsense' }]);
      await check(docs, 'u', 'tsx', b);
      await docs.update('u', 2, 'tsx', a);
      assert.equal(docs.version('u'), 4);
      assert.ok(docs.analysis('u')!.functions.some((f) => f.name === 'Clicker'));
      docs.close('u');
      assert.equal(docs.analysis('u'), undefined);
    } finally {
      docs.dispose();
    }
  });

  it('handles edits in CRLF documents with non-ASCII text', async () => {
    const docs = new DocumentTrees(createWasmBackend());
    try {
      let text = fixture('unicode.js').replace(/\n/g, '\r\n');
      await docs.update('x', 1, 'javascript', text);
      const at = text.indexOf('return straße');
      const changes = [{ rangeOffset: at, rangeLength: 0, text: 'const 😀 = 1;\r\n  ' }];
      text = apply(text, changes);
      await docs.update('x', 2, 'javascript', text, changes);
      await check(docs, 'x', 'javascript', text);
    } finally {
      docs.dispose();
    }
  });
});
