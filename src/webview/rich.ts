// DOM for the model's explanation (Markdown subset) and for code (coloured tokens). Built with
// the h() helper only: every piece of text is a text node, never parsed as HTML.
import { h } from './dom';
import { highlight } from './highlight';
import { parseMarkdown, type Inline } from './markdown';

function inlines(parts: Inline[]): Node[] {
  return parts.map((p) =>
    p.kind === 'code'
      ? h('code', {}, p.text)
      : p.kind === 'strong'
        ? h('strong', {}, p.text)
        : p.kind === 'em'
          ? h('em', {}, p.text)
          : document.createTextNode(p.text),
  );
}

/** A coloured, wrapping code block. */
export function codeBlock(code: string, languageId: string, attrs: { id?: string } = {}): HTMLElement {
  return h(
    'pre',
    { class: 'code-block', id: attrs.id, 'data-language': languageId },
    h(
      'code',
      {},
      highlight(code, languageId).map((t) => (t.kind === 'plain' ? t.text : h('span', { class: `tok-${t.kind}` }, t.text))),
    ),
  );
}

/** The explanation as paragraphs, lists and code blocks (code without a language takes `languageId`). */
export function markdownNodes(source: string, languageId: string): HTMLElement[] {
  return parseMarkdown(source).map((b) => {
    if (b.kind === 'paragraph') return h('p', {}, inlines(b.inlines));
    if (b.kind === 'list')
      return h(
        b.ordered ? 'ol' : 'ul',
        {},
        b.items.map((item) => h('li', {}, inlines(item))),
      );
    return codeBlock(b.text, b.language || languageId);
  });
}
