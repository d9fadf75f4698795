// Markdown code blocks in model replies, as models really write them: several blocks, ``` or ~~~
// fences of any length, wrong or missing language tags, prose before and after, a last block
// cut off by the token limit, and "thinking" sections (<think>…</think>) of reasoning models.

export interface CodeBlock {
  /** The info string's first word, lower-cased ('' when untagged). */
  tag: string;
  code: string;
  /** False when the reply ended before the closing fence (usually the token limit). */
  closed: boolean;
  /** Offsets of the whole block (fences included) in the cleaned reply. */
  start: number;
  end: number;
}

/**
 * Removes reasoning sections: `<think>…</think>` / `<thinking>…</thinking>` blocks, and an
 * unterminated one at the start (the whole reply was thinking: nothing usable is left).
 */
export function stripThinking(reply: string): string {
  let text = reply.replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, '');
  const open = /^\s*<(think|thinking|reasoning)>/i.exec(text);
  if (open) text = '';
  // Some servers strip the opening tag but keep the closing one: drop everything before it.
  const close = /<\/(think|thinking|reasoning)>/i.exec(text);
  if (close) text = text.slice(close.index + close[0].length);
  return text;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)[^`\n]*$/;

/** All fenced blocks, in order. */
export function extractCodeBlocks(reply: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = reply.split('\n');
  let offset = 0;
  let current: { fence: string; indent: number; tag: string; start: number; body: string[] } | undefined;
  for (const line of lines) {
    const lineStart = offset;
    offset += line.length + 1;
    const bare = line.replace(/\r$/, '');
    if (!current) {
      const m = OPEN.exec(bare);
      if (m)
        current = {
          fence: m[2],
          indent: m[1].length,
          tag: m[3]
            .toLowerCase()
            .replace(/^\{?\.?/, '')
            .replace(/\}$/, ''),
          start: lineStart,
          body: [],
        };
      continue;
    }
    const closing = new RegExp(`^ {0,3}${current.fence[0] === '`' ? '`' : '~'}{${current.fence.length},}\\s*$`);
    if (closing.test(bare)) {
      blocks.push({
        tag: current.tag,
        code: dedentFence(current.body, current.indent),
        closed: true,
        start: current.start,
        end: Math.min(offset, reply.length),
      });
      current = undefined;
    } else {
      current.body.push(bare);
    }
  }
  if (current) blocks.push({ tag: current.tag, code: dedentFence(current.body, current.indent), closed: false, start: current.start, end: reply.length });
  return blocks;
}

/** An indented fence indents its content too (CommonMark): remove up to that much. */
function dedentFence(body: string[], indent: number): string {
  const lines = indent === 0 ? body : body.map((l) => l.replace(new RegExp(`^ {0,${indent}}`), ''));
  return lines.join('\n').replace(/\s+$/, '');
}

/** Languages a tag may name; used to prefer blocks in the right language, never to reject. */
const TAG_FAMILIES: Record<string, 'js' | 'python' | 'other'> = {
  js: 'js',
  javascript: 'js',
  jsx: 'js',
  mjs: 'js',
  cjs: 'js',
  node: 'js',
  ts: 'js',
  typescript: 'js',
  tsx: 'js',
  es6: 'js',
  py: 'python',
  python: 'python',
  python3: 'python',
  py3: 'python',
};

export function tagFamily(tag: string): 'js' | 'python' | 'other' | 'none' {
  if (tag === '') return 'none';
  return TAG_FAMILIES[tag] ?? 'other';
}

/** The prose of a reply outside its code blocks (the model's explanation), trimmed. */
export function proseAround(reply: string, blocks: readonly CodeBlock[]): { before: string; after: string } {
  if (blocks.length === 0) return { before: reply.trim(), after: '' };
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  return { before: reply.slice(0, first.start).trim(), after: reply.slice(last.end).trim() };
}
