// Public API of the parser layer: function discovery, context for one function, hotness,
// canonical normalisation. The WASM backend is the default; the CLI may install the native
// one with setDefaultBackend (see ./native.ts), which the extension never imports.
import { descriptorOf, isLanguageId, LANGUAGE_IDS } from '../languages';
import type { LanguageId } from '../languages/types';
import { ParseCancelled, type ParseBackend, type SyntaxTree } from './backend';
import { contextFromTree, type ContextOptions, type FunctionContext } from './context';
import { analyzeTree, type Analysis } from './extract';
import { grammarIds } from './grammarIds';
import { renderNode } from './canonicalText';
import type { ExtractResult, FunctionInfo } from './types';
import { WasmBackend } from './wasmBackend';

export { languageForPath, languageForVscodeId, isLanguageId, LANGUAGE_IDS } from '../languages';
export type { LanguageId } from '../languages/types';
export type { FunctionInfo, FunctionKind, SyntaxProblem, ExtractResult } from './types';
export { ParseCancelled } from './backend';
export type { ParseBackend, BackendKind, SyntaxTree, SyntaxNode, TreeEdit } from './backend';
export { receiverOf, spliceFunction, FunctionNotFound, type FunctionContext, type ContextItem, type ContextItemKind, type ContextOptions } from './context';
export { DocumentTrees, type TextChange, type DocumentAnalysis } from './documents';

/** The input cannot be parsed as source code (binary data, unknown language): a user error. */
export class ParseInputError extends Error {
  override readonly name = 'ParseInputError';
}

export interface ParseCallOptions {
  /** Cancels parsing; the call then rejects with ParseCancelled. */
  signal?: AbortSignal;
  /** Gives up (ParseCancelled) when parsing takes longer than this. */
  timeoutMs?: number;
  /** Backend to use instead of the default (tests compare backends this way). */
  backend?: ParseBackend;
}

let defaultBackend: ParseBackend | undefined;

/** The backend the API uses when a call does not pass one: WASM unless the CLI installed another. */
export function getDefaultBackend(): ParseBackend {
  defaultBackend ??= new WasmBackend();
  return defaultBackend;
}

export function setDefaultBackend(backend: ParseBackend): void {
  defaultBackend = backend;
}

/** A fresh WASM backend (its own parsers and query cache). */
export function createWasmBackend(): ParseBackend {
  return new WasmBackend();
}

/** Fraction of control characters above which a text is taken for binary data. */
const BINARY_CONTROL_RATIO = 0.05;

/** Throws ParseInputError when `source` looks like binary data rather than text. */
function assertText(source: string): void {
  if (source.includes('\u0000')) throw new ParseInputError('the input looks binary (it contains NUL bytes), not source code');
  const sample = source.length > 65536 ? source.slice(0, 65536) : source;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) control++;
  }
  if (sample.length > 0 && control / sample.length > BINARY_CONTROL_RATIO) {
    throw new ParseInputError('the input looks binary (many control or undecodable characters), not source code');
  }
}

function checkLanguage(language: string): asserts language is LanguageId {
  if (!isLanguageId(language)) throw new ParseInputError(`unknown language "${language}" (known: ${LANGUAGE_IDS.join(', ')})`);
}

/** Parses `source`, runs `use` on the tree, and frees the tree. */
export async function withTree<T>(
  source: string,
  language: LanguageId,
  options: ParseCallOptions | undefined,
  use: (tree: SyntaxTree, backend: ParseBackend) => T,
): Promise<T> {
  checkLanguage(language);
  assertText(source);
  const backend = options?.backend ?? getDefaultBackend();
  if (options?.signal?.aborted) throw new ParseCancelled();
  await backend.loadLanguage(language);
  if (options?.signal?.aborted) throw new ParseCancelled();
  const deadline = options?.timeoutMs !== undefined ? performance.now() + options.timeoutMs : undefined;
  const tree = backend.parse(language, source, { signal: options?.signal, deadline });
  try {
    return use(tree, backend);
  } finally {
    tree.delete();
  }
}

/** Parses a file and returns the full analysis (functions with their node ranges, scopes, errors). */
export function analyzeSource(source: string, language: LanguageId, options?: ParseCallOptions): Promise<Analysis> {
  return withTree(source, language, options, (tree, backend) => analyzeTree(backend, language, tree, source));
}

/**
 * Every function, method and named arrow function of a file, in source order, with hotness.
 * A file with syntax errors still lists what tree-sitter recovered (`syntaxErrors` non-empty,
 * affected functions have `syntaxError: true` and are not optimizable).
 */
export async function extractFunctions(source: string, language: LanguageId, options?: ParseCallOptions): Promise<ExtractResult> {
  const analysis = await analyzeSource(source, language, options);
  return { language: analysis.language, functions: analysis.functions.map((f) => f.info), syntaxErrors: analysis.syntaxErrors };
}

/**
 * Source with comments removed and whitespace folded to a canonical layout (one statement per
 * line, fixed spacing between tokens), via the syntax tree: equal for two texts that differ only
 * in formatting, comments, optional semicolons or simple quote style. Used to de-duplicate LLM
 * candidates; the result is readable but not meant to be run.
 */
export function normalizeCode(source: string, language: LanguageId, options?: ParseCallOptions): Promise<string> {
  return withTree(source, language, options, (tree, backend) =>
    renderNode(tree.rootNode, source, { desc: descriptorOf(language), statements: true, ids: grammarIds(backend, language) }),
  );
}

/**
 * The context needed to run one function on its own (docs/ARCHITECTURE.md): the statement that holds it,
 * the same-file helpers it calls and the imports, constants, classes and types it uses, plus a
 * standalone module text in which the function can be swapped with spliceFunction.
 * `qualifiedName` may also be a plain name when that is unambiguous enough (the first optimizable
 * match wins). Throws FunctionNotFound when the file has no such function.
 */
export function extractContext(
  source: string,
  language: LanguageId,
  qualifiedName: string,
  options?: ContextOptions & ParseCallOptions,
): Promise<FunctionContext> {
  return withTree(source, language, options, (tree, backend) => contextFromTree(backend, language, tree, source, qualifiedName, options));
}

/** The innermost function whose extent contains `offset` (UTF-16), e.g. the one at the cursor. */
export function functionAtOffset(functions: readonly FunctionInfo[], offset: number): FunctionInfo | undefined {
  let best: FunctionInfo | undefined;
  for (const f of functions) {
    if (f.startOffset <= offset && offset <= f.endOffset && (!best || f.endOffset - f.startOffset < best.endOffset - best.startOffset)) best = f;
  }
  return best;
}

/**
 * The functions effopt can run on their own: not nested inside another function (a closure needs
 * the call that creates it; optimize the enclosing function instead) and not a `#private` member
 * (unreachable from outside its class). `functions` is in source order, as extraction returns it.
 */
export function standaloneFunctions(functions: readonly FunctionInfo[]): FunctionInfo[] {
  const out: FunctionInfo[] = [];
  const open: FunctionInfo[] = [];
  for (const f of functions) {
    while (open.length > 0 && open[open.length - 1].endOffset <= f.startOffset) open.pop();
    if (open.length === 0 && !f.name.startsWith('#')) out.push(f);
    open.push(f);
  }
  return out;
}
