// A small, safe Markdown subset for the model's explanation: paragraphs, bullet and numbered
// lists, ```fences```, `code`, **bold** and *em*. It parses into plain data (no HTML strings):
// the panel turns it into DOM nodes with textContent, so model-written text can never become
// markup, whatever it contains. Anything else (headings, links, raw HTML) stays literal text.

export type Inline = { kind: 'text' | 'code' | 'strong' | 'em'; text: string };

export type Block =
  { kind: 'paragraph'; inlines: Inline[] } | { kind: 'list'; ordered: boolean; items: Inline[][] } | { kind: 'code'; language: string; text: string };

const FENCE = /^\s*(```|~~~)\s*([\w+#.-]*)\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

/** `code`, **bold**, *em* / _em_; unmatched markers stay as text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const push = (kind: Inline['kind'], t: string): void => {
    if (!t) return;
    const last = out[out.length - 1];
    if (kind === 'text' && last?.kind === 'text') last.text += t;
    else out.push({ kind, text: t });
  };
  const re =
    /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|(?<![\w*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\w*])|(?<![\w_])_(?=\S)([^_]*?\S)_(?![\w_])/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    push('text', text.slice(at, m.index));
    if (m[2] !== undefined) push('code', m[2].trim() || m[2]);
    else if (m[3] !== undefined) push('strong', m[3]);
    else push('em', m[4] ?? m[5]);
    at = m.index + m[0].length;
  }
  push('text', text.slice(at));
  return out;
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', inlines: parseInline(paragraph.join(' ')) });
    paragraph = [];
    if (list) blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !(lines[j].trim().startsWith(fence[1]) && lines[j].trim().replace(/[`~]/g, '') === '')) body.push(lines[j++]);
      blocks.push({ kind: 'code', language: fence[2].toLowerCase(), text: body.join('\n') });
      i = j; // past the closing fence (or the end: an unclosed fence takes the rest)
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      const ordered = numbered !== null;
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[1]);
      continue;
    }
    // A continuation line of a list item, or paragraph text.
    if (list && /^\s+\S/.test(line)) list.items[list.items.length - 1] += ' ' + line.trim();
    else {
      if (list) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}
