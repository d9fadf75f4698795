// The parser seen by the rest of the engine: one interface over two tree-sitter bindings.
// The extension uses web-tree-sitter (WASM: no native ABI in the editor); the CLI prefers the
// native `tree-sitter` binding when it loads. Both index UTF-16 code units (they parse JS strings
// as UTF-16), so offsets and columns are what VS Code uses.
import type { LanguageId } from '../languages/types';

export interface Point {
  row: number;
  column: number;
}

/** The members of a syntax node that both bindings share (and that this engine uses). */
export interface SyntaxNode {
  /** Unique within a tree. */
  readonly id: number;
  readonly type: string;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly parent: SyntaxNode | null;
  readonly previousNamedSibling: SyntaxNode | null;
  /** Every child, named or not, in one call. */
  readonly children: (SyntaxNode | null)[];
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(field: string): SyntaxNode | null;
  walk(): TreeCursor;
}

export interface TreeCursor {
  readonly nodeType: string;
  /** The node's symbol id: its type as a number (see grammarIds.ts). */
  readonly nodeTypeId: number;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly currentFieldName: string | null | undefined;
  /** The field's id, 0 (web-tree-sitter) or undefined (native) for none. */
  readonly currentFieldId: number | undefined;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentNode: SyntaxNode;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** Frees the cursor (web-tree-sitter); absent on native cursors. */
  delete?(): void;
}

/** A text edit in tree-sitter's terms (UTF-16 indices, rows/columns 0-based). */
export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

export interface SyntaxTree {
  readonly rootNode: SyntaxNode;
  edit(edit: TreeEdit): void;
  /** Frees the tree (WASM heap memory is not garbage collected); a no-op for native trees. */
  delete(): void;
}

export interface QueryCaptureLike {
  name: string;
  node: SyntaxNode;
}

export interface QueryMatchLike {
  pattern: number;
  captures: QueryCaptureLike[];
  /** The pattern's `(#set! key "value")` properties (the same object for every match of it). */
  setProperties?: Readonly<Record<string, string | null>>;
}

export interface CompiledQuery {
  readonly patternCount: number;
  /** Matches within `node`'s subtree. */
  matches(node: SyntaxNode): QueryMatchLike[];
  delete(): void;
}

export interface ParseOptions {
  oldTree?: SyntaxTree;
  /** Parsing stops (and parse() throws ParseCancelled) once this is aborted or past the deadline. */
  signal?: AbortSignal;
  /** performance.now() value after which parsing is abandoned. */
  deadline?: number;
}

export type BackendKind = 'wasm' | 'native';

export interface ParseBackend {
  readonly kind: BackendKind;
  /** Loads a grammar (once; later calls return the cached one). */
  loadLanguage(language: LanguageId): Promise<void>;
  /** Parses with the language's cached parser. The language must have been loaded. */
  parse(language: LanguageId, text: string, options?: ParseOptions): SyntaxTree;
  /** Compiles a query for a loaded language. */
  compileQuery(language: LanguageId, source: string): CompiledQuery;
  /** Frees every parser (queries are owned by the query cache). */
  dispose(): void;
}

export class ParseCancelled extends Error {
  override readonly name = 'ParseCancelled';
  constructor(reason = 'parsing was cancelled') {
    super(reason);
  }
}

/** The progress callback both bindings call while parsing: true stops the parse. */
export function cancellationCheck(options: ParseOptions | undefined): (() => boolean) | undefined {
  const { signal, deadline } = options ?? {};
  if (!signal && deadline === undefined) return undefined;
  return () => signal?.aborted === true || (deadline !== undefined && performance.now() > deadline);
}
