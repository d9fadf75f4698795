import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseInline, parseMarkdown } from '../../../src/webview/markdown';

it('parses paragraphs, lists, fences and inline code, bold and emphasis', () => {
  const blocks = parseMarkdown(
    'Use a **set**, not a *list*:\nit is `O(1)`.\n\n- first\n- second\n  continued\n\n1. one\n2. two\n\n```python\nx = {1}\n```\nAfter.',
  );
  assert.deepEqual(blocks, [
    {
      kind: 'paragraph',
      inlines: [
        { kind: 'text', text: 'Use a ' },
        { kind: 'strong', text: 'set' },
        { kind: 'text', text: ', not a ' },
        { kind: 'em', text: 'list' },
        { kind: 'text', text: ': it is ' },
        { kind: 'code', text: 'O(1)' },
        { kind: 'text', text: '.' },
      ],
    },
    { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second continued' }]] },
    { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two' }]] },
    { kind: 'code', language: 'python', text: 'x = {1}' },
    { kind: 'paragraph', inlines: [{ kind: 'text', text: 'After.' }] },
  ]);
});

it('keeps HTML and unsupported syntax as literal text (nothing becomes markup)', () => {
  const src = '<img src=x onerror=alert(1)> **<b>bold</b>** [link](javascript:alert(1)) # not a heading';
  const blocks = parseMarkdown(src);
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].kind, 'paragraph');
  const inlines = blocks[0].kind === 'paragraph' ? blocks[0].inlines : [];
  // Every part is text for a text node; the tags survive verbatim, to be shown, never parsed.
  assert.equal(inlines.map((i) => i.text).join(''), '<img src=x onerror=alert(1)> <b>bold</b> [link](javascript:alert(1)) # not a heading');
  assert.deepEqual(
    inlines.find((i) => i.kind === 'strong'),
    { kind: 'strong', text: '<b>bold</b>' },
  );
  const fenced = parseMarkdown('```\n<script>alert(1)</script>\n```');
  assert.deepEqual(fenced, [{ kind: 'code', language: '', text: '<script>alert(1)</script>' }]);
});

it('leaves unmatched markers alone and takes the rest of an unclosed fence as code', () => {
  assert.deepEqual(parseInline('a * b * c and 2**3'), [{ kind: 'text', text: 'a * b * c and 2**3' }]);
  assert.deepEqual(parseInline('snake_case_name'), [{ kind: 'text', text: 'snake_case_name' }]);
  assert.deepEqual(parseMarkdown('```js\nlet x = 1;\nlet y = 2;'), [{ kind: 'code', language: 'js', text: 'let x = 1;\nlet y = 2;' }]);
});
