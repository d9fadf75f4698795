import assert from 'node:assert/strict';
import { it } from 'node:test';
import { highlight } from '../../../src/webview/highlight';

const kinds = (code: string, lang: string) =>
  highlight(code, lang)
    .filter((t) => t.kind !== 'plain')
    .map((t) => [t.kind, t.text]);

it('colours JavaScript/TypeScript keywords, strings, comments and numbers', () => {
  const code = "function f(xs: number[]) {\n  // a set\n  const s = new Set(xs); /* ok */\n  return `n=${s.size}` + 'x' + 0x1f + 2.5e3;\n}";
  assert.deepEqual(kinds(code, 'typescript'), [
    ['keyword', 'function'],
    ['comment', '// a set'],
    ['keyword', 'const'],
    ['keyword', 'new'],
    ['comment', '/* ok */'],
    ['keyword', 'return'],
    ['string', '`n=${s.size}`'],
    ['string', "'x'"],
    ['number', '0x1f'],
    ['number', '2.5e3'],
  ]);
});

it('colours Python, including prefixed and triple-quoted strings', () => {
  const code = 'def f(xs):\n    """doc"""\n    # comment\n    return [x for x in xs if x is not None] + [f"{1}", b\'raw\', 42]';
  assert.deepEqual(kinds(code, 'python'), [
    ['keyword', 'def'],
    ['string', '"""doc"""'],
    ['comment', '# comment'],
    ['keyword', 'return'],
    ['keyword', 'for'],
    ['keyword', 'in'],
    ['keyword', 'if'],
    ['keyword', 'is'],
    ['keyword', 'not'],
    ['keyword', 'None'],
    ['string', 'f"{1}"'],
    ['string', "b'raw'"],
    ['number', '42'],
  ]);
});

it('covers the whole text: the tokens join back to the code, markup included, for any language', () => {
  for (const [code, lang] of [
    ["const a = '<script>'; // </pre>", 'javascript'],
    ['x = "unterminated\ny = 1', 'python'],
    ['<b>plain</b>', 'rust'],
    ['', 'javascript'],
  ]) {
    assert.equal(
      highlight(code, lang)
        .map((t) => t.text)
        .join(''),
      code,
    );
  }
  assert.deepEqual(highlight('<b>plain</b>', 'rust'), [{ kind: 'plain', text: '<b>plain</b>' }]);
});
