// Canonical rendering of a syntax subtree: its tokens without comments, spaced by fixed rules
// that depend only on the tokens and their parent node types, one statement per line. Two
// sources that differ only in formatting or comments render the same; the result is readable.
// Used for parameter texts (stable across formatting) and normalizeCode (de-duplication key).
import type { LanguageDescriptor } from '../languages/descriptors';
import type { SyntaxNode, TreeCursor } from './backend';
import { GrammarIds } from './grammarIds';

interface Token {
  text: string;
  /** Type of the node the token belongs to (for context-dependent spacing). */
  parent: string;
  word: boolean;
}

type Piece = Token | { newline: number };

const WORD = /^[\p{L}\p{N}_$#@'"`]|[\p{L}\p{N}_$'"`]$/u;
const NO_SPACE_AFTER = new Set(['(', '[', '.', '?.', '...', '~', '@', '!']);
const NO_SPACE_BEFORE = new Set([')', ']', ',', ';', '.', '?.', ':']);
/** The descriptor's spacing tables as sets. */
interface Spacing {
  tight: ReadonlySet<string>;
  spacedColon: ReadonlySet<string>;
  angle: ReadonlySet<string>;
  tightSuffix: ReadonlySet<string>;
  tightAssign: ReadonlySet<string>;
  jsxTags: ReadonlySet<string>;
  jsx?: LanguageDescriptor['spacing']['jsx'];
}

function spacingTables(desc: LanguageDescriptor): Spacing {
  const { spacing } = desc;
  return {
    tight: new Set(spacing.tightParents),
    spacedColon: new Set(spacing.spacedColonParents),
    angle: new Set(spacing.angleParents),
    tightSuffix: new Set(spacing.tightSuffixParents),
    tightAssign: new Set(desc.tightAssignParents),
    jsxTags: new Set(spacing.jsx ? [spacing.jsx.open, spacing.jsx.close, spacing.jsx.selfClosing] : []),
    jsx: spacing.jsx,
  };
}

function jsxChildEnd(t: Token, jsx: NonNullable<Spacing['jsx']>): boolean {
  return (
    (t.text === '>' && (t.parent === jsx.open || t.parent === jsx.close)) ||
    (t.text === '/>' && t.parent === jsx.selfClosing) ||
    (t.text === '}' && t.parent === jsx.expression) ||
    t.parent === jsx.text
  );
}
function jsxChildStart(t: Token, jsx: NonNullable<Spacing['jsx']>): boolean {
  return (
    (t.text === '<' && (t.parent === jsx.open || t.parent === jsx.selfClosing)) ||
    (t.text === '</' && t.parent === jsx.close) ||
    (t.text === '{' && t.parent === jsx.expression) ||
    t.parent === jsx.text
  );
}

function needsSpace(prev: Token, next: Token, sp: Spacing): boolean {
  if (next.text === '') return false;
  if (sp.jsx) {
    if (sp.jsxTags.has(prev.parent) && (prev.text === '<' || prev.text === '</')) return false;
    if (sp.jsxTags.has(next.parent) && next.text === '>') return false;
    // Between JSX children whitespace is content: none is added there.
    if (jsxChildEnd(prev, sp.jsx) && jsxChildStart(next, sp.jsx)) return false;
  }
  if ((next.text === '=' && sp.tightAssign.has(next.parent)) || (prev.text === '=' && sp.tightAssign.has(prev.parent))) return false;
  if (sp.tight.has(prev.parent) && prev.parent === next.parent && !(prev.word && next.word)) return prev.text === ',';
  if (next.text === ':' && sp.spacedColon.has(next.parent)) return true;
  if (NO_SPACE_AFTER.has(prev.text)) return false;
  if (NO_SPACE_BEFORE.has(next.text)) return false;
  if ((next.text === '?' || next.text === '!') && sp.tightSuffix.has(next.parent)) return false;
  // A call or subscript: f(x), a[i] — no space unless the word before is a keyword token.
  if ((next.text === '(' || next.text === '[') && (prev.text === ')' || prev.text === ']' || (prev.word && prev.parent !== 'keyword'))) return false;
  if (next.text === '(' && prev.text === '>' && sp.angle.has(prev.parent)) return false;
  if (next.text === '<' && sp.angle.has(next.parent) && prev.word) return false;
  if ((prev.text === '<' && sp.angle.has(prev.parent)) || (next.text === '>' && sp.angle.has(next.parent))) return false;
  if (prev.text === '{' || next.text === '}') return false;
  return true;
}

/** Statement-level layout, read from the language descriptor. */
export interface RenderOptions {
  desc: LanguageDescriptor;
  /** Lay out statements one per line (normalizeCode); false folds everything onto one line. */
  statements: boolean;
  /** The subtree has no syntax error, hence no MISSING node to skip (saves a check per node). */
  clean?: boolean;
  /** The grammar's ids, shared across renders (grammarIds(backend, language)); a fresh table otherwise. */
  ids?: GrammarIds;
}

function isQuote(text: string): boolean {
  return /^'[^'"\\\n]*'$/.test(text);
}

/** Alphabetic tokens after which `(` keeps its space: `if (x)` but `f(x)`. */
const KEYWORDS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'with',
  'return',
  'typeof',
  'void',
  'delete',
  'await',
  'yield',
  'in',
  'of',
  'instanceof',
  'new',
  'throw',
  'case',
  'function',
  'elif',
  'not',
  'and',
  'or',
  'assert',
  'del',
  'except',
  'is',
  'lambda',
  'from',
  'import',
  'as',
  'else',
  'do',
  'extends',
  'implements',
  'keyof',
  'satisfies',
  'async',
  'class',
  'print',
  'exec',
  'export',
  'default',
]);

/** A descriptor's node-type lists as sets, built once per language (renders run per parameter). */
interface Tables {
  comments: ReadonlySet<string>;
  atomic: ReadonlySet<string>;
  containers: ReadonlySet<string>;
  jsxText: ReadonlySet<string>;
  breakAfter: ReadonlySet<string>;
  stringTypes: ReadonlySet<string>;
  indentedBlocks: ReadonlySet<string>;
  spacing: Spacing;
}

const tablesCache = new WeakMap<LanguageDescriptor, Tables>();

function tablesOf(desc: LanguageDescriptor): Tables {
  let tables = tablesCache.get(desc);
  if (!tables) {
    tables = {
      comments: new Set(desc.commentTypes),
      atomic: new Set(desc.atomicTypes),
      containers: new Set(desc.statementContainerTypes),
      jsxText: new Set(desc.jsxTextTypes),
      breakAfter: new Set(desc.lineBreakAfterTypes),
      stringTypes: new Set(desc.spacing.stringTypes),
      indentedBlocks: new Set(desc.indentedBlockTypes),
      spacing: spacingTables(desc),
    };
    tablesCache.set(desc, tables);
  }
  return tables;
}

/**
 * Collects the tokens under the cursor's current node, with line breaks between statements.
 * A class rather than a closure: parameters are rendered one by one, thousands per file.
 */
class Collector {
  private depth = -1;
  private readonly tables: Tables;
  private readonly terminator: string | undefined;
  private readonly statements: boolean;
  private readonly clean: boolean;
  private readonly ids: GrammarIds;

  constructor(
    private readonly cursor: TreeCursor,
    private readonly source: string,
    options: RenderOptions,
    private readonly out: Piece[],
  ) {
    this.tables = tablesOf(options.desc);
    this.terminator = options.desc.optionalStatementTerminator;
    this.statements = options.statements;
    this.clean = options.clean ?? false;
    this.ids = options.ids ?? new GrammarIds();
  }

  // Each cursor property is a call into the parser (WASM or native): the loop reads a child's
  // type and namedness once and hands them down, and a range is read only for leaves.
  visit(type: string, named: boolean, parentType: string, isStatement: boolean): void {
    const { cursor, source, out, statements, terminator } = this;
    const { comments, atomic, containers, jsxText, breakAfter, stringTypes, indentedBlocks } = this.tables;
    if (comments.has(type) || (!this.clean && cursor.nodeIsMissing)) return;
    if (statements && isStatement) out.push({ newline: this.depth });
    if (atomic.has(type) || !cursor.gotoFirstChild()) {
      let text = source.slice(cursor.startIndex, cursor.endIndex);
      if (text === '') return;
      if (named && stringTypes.has(type) && isQuote(text)) text = `"${text.slice(1, -1)}"`;
      if (jsxText.has(type)) text = foldJsxText(text);
      if (text === '') return;
      out.push({ text, parent: !named && KEYWORDS.has(text) ? 'keyword' : parentType, word: WORD.test(text) });
      return;
    }
    const container = containers.has(type);
    if (container) this.depth++;
    let sawStatement = false;
    for (;;) {
      const { type: childType, named: childNamed } = this.ids.kindAt(cursor);
      if (statements && !childNamed && childType === terminator && (container || isStatement)) {
        // Statement terminators are optional (ASI; `a; b` in Python): one statement per line instead.
        // Inside a statement, only a trailing one is dropped (`for (;;)` keeps its separators).
        if (!cursor.gotoNextSibling()) break;
        if (!container) out.push({ text: childType, parent: type, word: false });
        continue;
      }
      const childIsStatement = container && childNamed && !comments.has(childType);
      if (statements && container && sawStatement && !childNamed && childType === '}') out.push({ newline: this.depth - 1 });
      this.visit(childType, childNamed, type, childIsStatement);
      sawStatement ||= childIsStatement;
      if (!cursor.gotoNextSibling()) break;
    }
    cursor.gotoParent();
    if (container) this.depth--;
    // What follows an indented block (`except:`, `else:`) or a decorator starts a line of its own.
    if (statements && ((container && indentedBlocks.has(type)) || breakAfter.has(type))) out.push({ newline: this.depth });
  }
}

/** JSX drops whitespace that contains a line break and joins the remaining lines with a space ('' when nothing is left). */
function foldJsxText(text: string): string {
  const folded = text
    .split('\n')
    .map((l, i, all) => (all.length === 1 ? l : i === 0 ? l.trimEnd() : i === all.length - 1 ? l.trimStart() : l.trim()))
    .filter((l) => l !== '')
    .join(' ');
  if (folded.trim() === '') return folded === '' ? '' : '{" "}';
  return folded.replace(/\s+/g, ' ');
}

function collect(cursor: TreeCursor, source: string, options: RenderOptions, out: Piece[]): void {
  const collector = new Collector(cursor, source, options, out);
  collector.visit(cursor.nodeType, cursor.nodeIsNamed, '', false);
}

function join(pieces: Piece[], indentUnit: string, spacing: Spacing): string {
  let result = '';
  let prev: Token | undefined;
  let atLineStart = true;
  for (const piece of pieces) {
    if ('newline' in piece) {
      if (result !== '') {
        result = result.replace(/ +$/, '');
        result += `\n${indentUnit.repeat(Math.max(0, piece.newline))}`;
      }
      atLineStart = true;
      prev = undefined;
      continue;
    }
    if (!atLineStart && prev && needsSpace(prev, piece, spacing)) result += ' ';
    result += piece.text;
    prev = piece;
    atLineStart = false;
  }
  return result
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Renders `node` canonically. */
export function renderNode(node: SyntaxNode, source: string, options: RenderOptions): string {
  const cursor = node.walk();
  try {
    return renderAtCursor(cursor, source, { ...options, clean: options.clean ?? !node.hasError });
  } finally {
    cursor.delete?.();
  }
}

/**
 * Renders the cursor's current node canonically and leaves the cursor on it: callers that walk
 * many small nodes (parameters) reuse one cursor instead of creating one per node.
 */
export function renderAtCursor(cursor: TreeCursor, source: string, options: RenderOptions): string {
  const pieces: Piece[] = [];
  collect(cursor, source, options, pieces);
  return join(pieces, '    ', tablesOf(options.desc).spacing);
}
