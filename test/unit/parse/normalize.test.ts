import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeCode, type LanguageId } from '../../../src/core/parse';
import { fixture } from './fixtures';

async function same(a: string, b: string, language: LanguageId): Promise<void> {
  assert.equal(await normalizeCode(a, language), await normalizeCode(b, language));
}
async function different(a: string, b: string, language: LanguageId): Promise<void> {
  assert.notEqual(await normalizeCode(a, language), await normalizeCode(b, language));
}

describe('normalizeCode', () => {
  it('ignores formatting, comments, optional semicolons and quote style in JavaScript', async () => {
    const a = 'function unique(items) {\n  // keep order\n  return [...new Set(items)];\n}\n';
    const b = 'function unique( items ){ return [ ...new Set( items ) ] }  /* done */';
    await same(a, b, 'javascript');
    await same('const s = \'a\' + "b";', 'const s = "a" + "b"', 'javascript');
    await same('if (a) {\n\n\n  f(a);\n}', 'if(a){f(a)}', 'javascript');
  });

  it('tells different programs apart', async () => {
    await different('function f(a) { return a + 1 }', 'function f(a) { return a - 1 }', 'javascript');
    await different('const x = a - -b', 'const x = a--b', 'javascript');
    await different("const s = 'it\\'s'", 'const s = "it\'s"', 'javascript');
  });

  it('keeps Python block structure while folding whitespace and comments', async () => {
    const a = 'def f(xs):\n    total = 0  # sum\n    for x in xs:\n        total += x\n    return total\n';
    const b = 'def f(xs):\n  total=0\n  for x in xs: total+=x\n  return total\n';
    await same(a, b, 'python');
    // The same tokens in another block are another program.
    const inLoop = 'def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n        return total\n';
    await different(a, inLoop, 'python');
    await same('x = (1 +\n     2)\n', 'x = (1 + 2)', 'python');
    await same('x = 1\\\n  + 2\n', 'x = 1 + 2\n', 'python');
  });

  it('renders readable, stable code', async () => {
    const out = await normalizeCode('def f(a,b=1,*args,**kw):\n    try:\n        return a\n    except ValueError:\n        return b\n', 'python');
    assert.equal(out, 'def f(a, b=1, *args, **kw):\n    try:\n        return a\n    except ValueError:\n        return b');
    const js = await normalizeCode('class A{m(x){return x?.y??0;}}', 'javascript');
    assert.equal(js, 'class A {\n    m(x) {\n        return x?.y ?? 0\n    }\n}');
    for (const [file, lang] of [
      ['library.js', 'javascript'],
      ['service.ts', 'typescript'],
      ['component.tsx', 'tsx'],
      ['shapes.py', 'python'],
    ] as const) {
      const once = await normalizeCode(fixture(file), lang);
      assert.ok(once.length > 0);
      assert.equal(await normalizeCode(once, lang), once, `${file}: normalising twice changes nothing`);
    }
  });

  it('handles TypeScript generics and type annotations', async () => {
    await same(
      'function f<T>(x: Array<T>): Map<string, T> { return new Map() }',
      'function f< T >( x : Array< T > ) : Map< string , T >{return new Map();}',
      'typescript',
    );
  });
});
