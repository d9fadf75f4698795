// The docstring and the comments at the top of a function's body (its "preamble"). Models often
// drop them from a rewrite; Apply would then delete the user's documentation. When the rewrite
// has no docstring (Python) or no leading comments of its own, the original's are put back at the
// top of the rewrite's body, at the rewrite's indentation. Text scanning around the body offsets
// tree-sitter reports: the parse layer knows the node types, this module only reads lines.
import type { LanguageId } from '../languages/types';
import { analyzeSource } from '../parse';

/** A function's text with the column its first line starts at (later lines carry that indent). */
export interface FunctionText {
  text: string;
  column: number;
}

interface Span {
  start: number;
  end: number;
}

interface Preamble {
  /** Python: the docstring's whole lines. */
  doc?: Span;
  /** Comments before the first statement (whole lines where they start a line). */
  comments: Span[];
  /** Start of the line of the first statement that is neither docstring nor comment. */
  firstStatement?: number;
}

/** Strips `column` indentation (at most what is there) from every line after the first. */
function dedentTail(text: string, column: number): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines.map((line, i) => (i === 0 ? line : line.slice(Math.min(column, /^[ \t]*/.exec(line)![0].length)))).join('\n');
}

const lineStartOf = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
const lineEndOf = (text: string, offset: number): number => {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
};
const indentOf = (text: string, offset: number): string => /^[ \t]*/.exec(text.slice(lineStartOf(text, offset)))![0];
const onlySpaceBefore = (text: string, offset: number): boolean => text.slice(lineStartOf(text, offset), offset).trim() === '';

/**
 * Where the body of the function that `text` holds starts and ends. A bare method (the text of a
 * class member) does not parse alone: it is tried inside a class, then inside an object literal.
 */
async function bodyOf(text: string, language: LanguageId): Promise<Span | undefined> {
  const wraps =
    language === 'python'
      ? [['', '']]
      : [
          ['', ''],
          ['class EffoptWrap {\n', '\n}'],
          ['({\n', '\n})'],
        ];
  for (const [before, after] of wraps) {
    const analysis = await analyzeSource(before + text + after, language).catch(() => undefined);
    if (!analysis || analysis.syntaxErrors.length > 0) continue;
    const rec = analysis.functions.find((f) => f.info.startOffset === before.length && f.bodyStart !== undefined);
    if (rec) return { start: rec.bodyStart! - before.length, end: rec.bodyEnd! - before.length };
  }
  return undefined;
}

const PY_STRING = /^[rRuU]?(?:"""[\s\S]*?(?<!\\)"""|'''[\s\S]*?(?<!\\)'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/;

function pythonPreamble(text: string, body: Span): Preamble {
  const comments: Span[] = [];
  const bodyLine = lineStartOf(text, body.start);
  // A body on the header's line (`def f(x): return x`) has no room for a preamble.
  if (!onlySpaceBefore(text, body.start)) return { comments };
  // Comment lines between the header and the first statement (tree-sitter leaves them outside the block).
  const before: Span[] = [];
  for (let end = bodyLine - 1; end > 0;) {
    const start = lineStartOf(text, end);
    const line = text.slice(start, end).trim();
    if (line.startsWith('#')) before.unshift({ start, end });
    else if (line !== '') break;
    end = start - 1;
  }
  comments.push(...before);
  let at = bodyLine;
  let doc: Span | undefined;
  const str = PY_STRING.exec(text.slice(body.start));
  if (str) {
    const stringEnd = body.start + str[0].length;
    const rest = text.slice(stringEnd, lineEndOf(text, stringEnd)).trim();
    if (rest === '' || rest.startsWith('#')) {
      doc = { start: bodyLine, end: lineEndOf(text, stringEnd) };
      at = doc.end + 1;
    }
  }
  while (at < text.length) {
    const end = lineEndOf(text, at);
    const line = text.slice(at, end).trim();
    if (line.startsWith('#')) comments.push({ start: at, end });
    else if (line !== '') return { doc, comments, firstStatement: at };
    at = end + 1;
  }
  return { doc, comments };
}

function ecmaPreamble(text: string, body: Span): Preamble {
  const comments: Span[] = [];
  if (text[body.start] !== '{') return { comments }; // an expression-bodied arrow
  let i = body.start + 1;
  for (;;) {
    while (i < body.end && /\s/.test(text[i])) i++;
    let end: number;
    if (text.startsWith('//', i)) end = lineEndOf(text, i);
    else if (text.startsWith('/*', i)) end = text.indexOf('*/', i + 2) + 2;
    else break;
    if (end < 2) break; // unterminated block comment
    comments.push({ start: onlySpaceBefore(text, i) ? lineStartOf(text, i) : i, end });
    i = end;
  }
  const closing = text.lastIndexOf('}', body.end - 1);
  if (i >= closing || !onlySpaceBefore(text, i)) return { comments };
  return { comments, firstStatement: lineStartOf(text, i) };
}

function preambleOf(text: string, body: Span, language: LanguageId): Preamble {
  return language === 'python' ? pythonPreamble(text, body) : ecmaPreamble(text, body);
}

/** The span's lines moved to `indent`, keeping their indentation relative to the first line. */
function reindent(text: string, span: Span, indent: string): string {
  const from = indentOf(text, span.start).length;
  return text
    .slice(span.start, span.end)
    .split('\n')
    .map((line, i) => (line.trim() === '' ? '' : indent + (i === 0 ? line.trimStart() : line.slice(Math.min(from, /^[ \t]*/.exec(line)![0].length)))))
    .join('\n');
}

/**
 * The rewrite with the original's docstring and/or leading body comments put back where the
 * rewrite has none of its own, or undefined when nothing needs to be (or can be) put back. The
 * result's later lines are dedented: its column is 0.
 */
export async function keepPreamble(original: FunctionText, rewrite: FunctionText, language: LanguageId): Promise<FunctionText | undefined> {
  const o = dedentTail(original.text, original.column);
  const r = dedentTail(rewrite.text, rewrite.column);
  const [ob, rb] = await Promise.all([bodyOf(o, language), bodyOf(r, language)]);
  if (!ob || !rb) return undefined;
  const op = preambleOf(o, ob, language);
  const rp = preambleOf(r, rb, language);
  if (rp.firstStatement === undefined) return undefined;
  const keepDoc = op.doc !== undefined && rp.doc === undefined;
  const keepComments = op.comments.length > 0 && rp.comments.length === 0;
  const spans = [...(keepDoc ? [op.doc!] : []), ...(keepComments ? op.comments : [])].sort((a, b) => a.start - b.start);
  if (spans.length === 0) return undefined;
  const at = rp.firstStatement;
  const indent = indentOf(r, at);
  const inserted = spans.map((s) => reindent(o, s, indent)).join('\n') + '\n';
  return { text: r.slice(0, at) + inserted + r.slice(at), column: 0 };
}
