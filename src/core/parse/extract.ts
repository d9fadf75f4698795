// Function extraction driven by each language's functions.scm / scopes.scm (see the capture
// conventions at the top of grammars/ecma/functions.scm). Nothing here names a node type: the
// language descriptor and the queries carry all of that.
import type { LanguageDescriptor } from '../languages/descriptors';
import { descriptorOf } from '../languages';
import type { LanguageId } from '../languages/types';
import type { ParseBackend, QueryMatchLike, SyntaxNode, SyntaxTree, TreeCursor } from './backend';
import { computeHotness } from './hotness';
import { grammarIds, type GrammarIds } from './grammarIds';
import { listedAt, runQueries } from './queries';
import { renderAtCursor } from './canonicalText';
import type { FunctionInfo, FunctionKind, SyntaxProblem } from './types';

/** A function with the node ranges the other analyses need (all UTF-16 offsets). */
export interface FunctionRecord {
  info: FunctionInfo;
  /** The function node itself (parameters and body), inside the reported extent. */
  fnStart: number;
  fnEnd: number;
  bodyStart?: number;
  bodyEnd?: number;
  /** Offset where the line of the extent's first token starts (for re-indentation). */
  lineStart: number;
  /** A static class member (reached through the class, not its prototype). */
  isStatic: boolean;
}

export interface ScopeRecord {
  start: number;
  end: number;
  name: string;
  kind: 'class' | 'object' | 'namespace' | 'function';
}

export interface Analysis {
  language: LanguageId;
  functions: FunctionRecord[];
  scopes: ScopeRecord[];
  syntaxErrors: SyntaxProblem[];
}

const KINDS = new Set<FunctionKind>(['function', 'arrow', 'method', 'objectMethod', 'constructor', 'getter', 'setter']);

const REASONS: Record<string, string> = {
  constructor: 'constructor: it initialises an instance and is not optimized on its own',
  setter: 'property setter: it stores a value and is not optimized on its own',
  abstract: 'abstract method: it has no body',
  declared: 'declaration without a body (declare / signature)',
  nobody: 'it has no body',
  syntax: 'it contains a syntax error',
};

const MAX_SYNTAX_PROBLEMS = 50;

const nodeKey = (n: SyntaxNode): number => n.id;

/** A dotted path as a name segment: whitespace removed, a leading `this.` / `self.` dropped. */
function pathSegment(text: string, selfNames: readonly string[]): string {
  const path = text.replace(/\s+/g, '');
  if (selfNames.includes(path)) return '';
  const dot = path.indexOf('.');
  return dot > 0 && selfNames.includes(path.slice(0, dot)) ? path.slice(dot + 1) : path;
}

function unquote(text: string): string {
  return /^(['"`]).*\1$/s.test(text) && text.length >= 2 ? text.slice(1, -1) : text;
}

/** What one walk over a function node's children finds. */
interface FunctionParts {
  type: string;
  /** Anonymous tokens among the node's children (`async`, `*`, `static`, `get`): a few. */
  tokens: string[];
  body?: { start: number; end: number };
  params: string[];
}

/**
 * Reads a function node in one cursor walk: its type, its tokens, its body's range and its
 * parameters (rendered while the cursor is on them, so no node objects are made for them).
 */
function readFunction(fn: SyntaxNode, source: string, desc: LanguageDescriptor, clean: boolean, ids: GrammarIds): FunctionParts {
  const cursor = fn.walk();
  try {
    const parts: FunctionParts = { type: ids.kindAt(cursor).type, tokens: [], params: [] };
    let paramsSeen = false;
    if (cursor.gotoFirstChild()) {
      do {
        const kind = ids.kindAt(cursor);
        if (!kind.named) {
          parts.tokens.push(kind.type);
          continue;
        }
        const field = ids.fieldAt(cursor);
        if (field === desc.bodyField) parts.body = { start: cursor.startIndex, end: cursor.endIndex };
        else if (field && !paramsSeen && desc.paramsFields.includes(field)) {
          paramsSeen = true;
          parts.params = parametersAtCursor(cursor, source, desc, clean, ids);
        }
      } while (cursor.gotoNextSibling());
    }
    return parts;
  } finally {
    cursor.delete?.();
  }
}

/**
 * Whether `token` is among the anonymous children of a definition that wraps its function node.
 * Such a token lies outside the function node, so the walk is needed only when its text occurs
 * in the definition's text before or after the function node (rarely: `static f = () => …`).
 */
function hasToken(def: SyntaxNode, token: string, start: number, end: number, fnStart: number, fnEnd: number, source: string, ids: GrammarIds): boolean {
  const before = source.slice(start, Math.max(start, fnStart));
  const after = source.slice(Math.min(end, fnEnd), end);
  if (!before.includes(token) && !after.includes(token)) return false;
  return tokensOf(def, ids).includes(token);
}

/** The anonymous tokens among a node's children. */
function tokensOf(node: SyntaxNode, ids: GrammarIds): string[] {
  const cursor = node.walk();
  try {
    const tokens: string[] = [];
    if (cursor.gotoFirstChild()) {
      do {
        const kind = ids.kindAt(cursor);
        if (!kind.named) tokens.push(kind.type);
      } while (cursor.gotoNextSibling());
    }
    return tokens;
  } finally {
    cursor.delete?.();
  }
}

/** The parameter texts of the parameter node under the cursor; the cursor ends where it started. */
function parametersAtCursor(cursor: TreeCursor, source: string, desc: LanguageDescriptor, clean: boolean, ids: GrammarIds): string[] {
  const options = { desc, statements: false, clean, ids };
  if (!desc.parameterListTypes.includes(ids.kindAt(cursor).type)) return [renderAtCursor(cursor, source, options)];
  if (clean) {
    const names = plainNames(source.slice(cursor.startIndex, cursor.endIndex));
    if (names) return names;
  }
  const params: string[] = [];
  if (!cursor.gotoFirstChild()) return params;
  do {
    const { type, named } = ids.kindAt(cursor);
    if (!named) continue;
    if (desc.commentTypes.includes(type)) continue;
    // A bare name needs no rendering.
    const text = type === 'identifier' ? source.slice(cursor.startIndex, cursor.endIndex) : renderAtCursor(cursor, source, options).trim();
    if (text) params.push(text);
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return params;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * The names of a parameter list written as plain ASCII names and commas (`(a, b)`, `a, b` of a
 * lambda), or undefined for anything else. Such a list is rendered as exactly those names: each
 * parameter is one token, and the tree holds nothing else once it has no syntax error. Most
 * parameter lists are like that, and reading them from the text saves a walk over their nodes.
 */
function plainNames(text: string): string[] | undefined {
  const inner = text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
  const parts = inner.split(',');
  const names: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i].trim();
    if (name === '' && i === parts.length - 1) break;
    if (!PLAIN_NAME.test(name)) return undefined;
    names.push(name);
  }
  return names;
}

/**
 * Marks the functions that are generators because a yield sits in their body outside nested
 * function scopes. Walking up from each yield (there are few) replaces a walk down every body.
 * A body that is itself a scope (a lambda returning a lambda) still holds the yields of the
 * function it is the body of, as a walk down from that body would find them.
 */
function markGenerators(yields: SyntaxNode[], byFunctionNode: Map<number, FunctionRecord>, scopeTypes: ReadonlySet<string>): void {
  const isBodyOf = (parent: SyntaxNode | null, child: SyntaxNode): FunctionRecord | undefined => {
    const rec = parent ? byFunctionNode.get(parent.id) : undefined;
    // Siblings never share a range, so the child with the body's range is the body.
    return rec && rec.bodyStart === child.startIndex && rec.bodyEnd === child.endIndex ? rec : undefined;
  };
  for (const y of yields) {
    let child = y;
    for (let node = y.parent; node; child = node, node = node.parent) {
      const rec = isBodyOf(node, child);
      if (rec) rec.info.generator = true;
      if (scopeTypes.has(node.type)) {
        const outer = isBodyOf(node.parent, node);
        if (outer) outer.info.generator = true;
        break;
      }
    }
  }
}

/** ERROR and MISSING nodes, in document order, at most MAX_SYNTAX_PROBLEMS. */
function syntaxProblems(root: SyntaxNode, source: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  if (!root.hasError) return problems;
  const visit = (node: SyntaxNode): void => {
    if (problems.length >= MAX_SYNTAX_PROBLEMS) return;
    if (node.isMissing) {
      problems.push({ line: node.startPosition.row + 1, column: node.startPosition.column, message: `missing ${node.type}` });
      return;
    }
    if (node.type === 'ERROR') {
      const text = source.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 40)).split('\n')[0];
      problems.push({ line: node.startPosition.row + 1, column: node.startPosition.column, message: text ? `syntax error at \`${text}\`` : 'syntax error' });
      return;
    }
    // All children in one call; a MISSING node has an error too, so hasError alone picks the path.
    for (const child of node.children) {
      if (child?.hasError) visit(child);
    }
  };
  visit(root);
  return problems;
}

interface Candidate {
  pattern: number;
  def: SyntaxNode;
  fn: SyntaxNode;
  name?: SyntaxNode;
  qualifier?: SyntaxNode;
  kind?: FunctionKind;
  flag?: string;
  /** The definition's range, read once. */
  start: number;
  end: number;
}

type CaptureRole = { role: 'definition'; kind?: FunctionKind; flag?: string } | { role: 'function' | 'name' | 'qualifier' | 'yield' | 'leading' | 'other' };

const captureRoles = new Map<string, CaptureRole>();

/** What a functions.scm capture name means (parsed once per name, not once per capture). */
function roleOf(name: string): CaptureRole {
  let role = captureRoles.get(name);
  if (!role) {
    if (name === 'definition' || name.startsWith('definition.')) {
      const [, kind, flag] = name.split('.');
      role = { role: 'definition', kind: kind && KINDS.has(kind as FunctionKind) ? (kind as FunctionKind) : undefined, flag };
    } else if (name === 'function' || name === 'name' || name === 'qualifier' || name === 'yield' || name === 'leading') role = { role: name };
    else role = { role: 'other' };
    captureRoles.set(name, role);
  }
  return role;
}

/** One candidate per function node (the first pattern wins), in source order; the yields; the leading nodes. */
function collectCandidates(matches: QueryMatchLike[], source: string): { candidates: Candidate[]; yields: SyntaxNode[]; leading: SyntaxNode[] } {
  const best = new Map<number, Candidate>();
  const yields: SyntaxNode[] = [];
  const leading: SyntaxNode[] = [];
  for (const match of matches) {
    let def: SyntaxNode | undefined;
    let fn: SyntaxNode | undefined;
    let name: SyntaxNode | undefined;
    let qualifier: SyntaxNode | undefined;
    let kind: FunctionKind | undefined;
    let flag: string | undefined;
    const { captures } = match;
    for (let i = 0; i < captures.length; i++) {
      const capture = captures[i];
      const role = roleOf(capture.name);
      switch (role.role) {
        case 'definition':
          def = capture.node;
          kind = role.kind;
          flag = role.flag;
          break;
        case 'function':
          fn = capture.node;
          break;
        case 'name':
          name = capture.node;
          break;
        case 'qualifier':
          qualifier = capture.node;
          break;
        case 'yield':
          yields.push(capture.node);
          break;
        case 'leading':
          leading.push(capture.node);
          break;
        case 'other':
          break; // captures the query needs for its predicates only
      }
    }
    if (!def) continue;
    fn ??= def;
    const key = nodeKey(fn);
    const previous = best.get(key);
    if (previous && previous.pattern <= match.pattern) continue;
    // A name listed under a kind by the pattern's #set! lists (constructors among methods).
    const listed = match.setProperties && name ? listedAt(match.setProperties, source, name) : undefined;
    const listedKind = listed?.find((k): k is FunctionKind => KINDS.has(k as FunctionKind));
    best.set(key, { pattern: match.pattern, def, fn, name, qualifier, kind: listedKind ?? kind, flag, start: 0, end: 0 });
  }
  const candidates = [...best.values()];
  for (const c of candidates) {
    c.start = c.def.startIndex;
    c.end = c.def.endIndex;
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  return { candidates, yields, leading };
}

function collectScopes(matches: QueryMatchLike[], source: string, selfNames: readonly string[]): ScopeRecord[] {
  const best = new Map<number, { pattern: number; scope: ScopeRecord }>();
  for (const match of matches) {
    let scopeNode: SyntaxNode | undefined;
    let kind: ScopeRecord['kind'] = 'class';
    let nameNode: SyntaxNode | undefined;
    for (const { name, node } of match.captures) {
      if (name.startsWith('scope')) {
        scopeNode = node;
        const k = name.split('.')[1];
        if (k === 'object' || k === 'namespace' || k === 'class') kind = k;
      } else if (name === 'name') nameNode = node;
    }
    if (!scopeNode || !nameNode) continue;
    const key = nodeKey(scopeNode);
    const previous = best.get(key);
    if (previous && previous.pattern <= match.pattern) continue;
    const name = pathSegment(unquote(source.slice(nameNode.startIndex, nameNode.endIndex)), selfNames);
    best.set(key, { pattern: match.pattern, scope: { start: scopeNode.startIndex, end: scopeNode.endIndex, name, kind } });
  }
  return [...best.values()].map((b) => b.scope);
}

/** Qualified names and enclosing classes by a sweep over nested ranges. */
function qualify(functions: { rec: FunctionRecord; segment: string }[], scopes: ScopeRecord[]): void {
  type Entry = { start: number; end: number; segment: string; kind: ScopeRecord['kind']; fn?: FunctionRecord };
  const entries: Entry[] = new Array(scopes.length + functions.length);
  for (let i = 0; i < scopes.length; i++) entries[i] = { start: scopes[i].start, end: scopes[i].end, segment: scopes[i].name, kind: scopes[i].kind };
  for (let i = 0; i < functions.length; i++) {
    const { rec, segment } = functions[i];
    entries[scopes.length + i] = { start: rec.fnStart, end: rec.fnEnd, segment, kind: 'function', fn: rec };
  }
  // Outer before inner; for equal ranges a scope (class) encloses the function node.
  entries.sort((a, b) => a.start - b.start || b.end - a.end || (a.fn ? 1 : 0) - (b.fn ? 1 : 0));
  const stack: Entry[] = [];
  for (const entry of entries) {
    while (stack.length > 0 && !(stack[stack.length - 1].start <= entry.start && entry.end <= stack[stack.length - 1].end)) stack.pop();
    if (entry.fn) {
      let qualifiedName = '';
      for (const s of stack) if (s.segment) qualifiedName += `${s.segment}.`;
      entry.fn.info.qualifiedName = qualifiedName + entry.segment;
      const parent = stack[stack.length - 1];
      if (parent && parent.kind === 'class' && MEMBER_KINDS.has(entry.fn.info.kind)) {
        entry.fn.info.className = parent.segment;
      }
    }
    stack.push(entry);
  }
}

const MEMBER_KINDS: ReadonlySet<FunctionKind> = new Set(['method', 'constructor', 'getter', 'setter']);

/** Extracts every function of a parsed file, with hotness. The tree stays owned by the caller. */
export function analyzeTree(backend: ParseBackend, language: LanguageId, tree: SyntaxTree, source: string): Analysis {
  const desc = descriptorOf(language);
  const ids = grammarIds(backend, language);
  const root = tree.rootNode;
  const syntaxErrors = syntaxProblems(root, source);
  // Without an error in the tree no definition has one: one call instead of one per function.
  const treeHasError = syntaxErrors.length > 0 || root.hasError;
  const matches = runQueries(backend, language, ['functions', 'scopes', 'hotness'], root);
  const { candidates, yields, leading } = collectCandidates(matches.functions, source);
  // A definition can only start earlier than its node when a leading node ends before it.
  const leadingIds = new Set(leading.map(nodeKey));
  let leadingEnd = Infinity;
  for (const n of leading) leadingEnd = Math.min(leadingEnd, n.endIndex);

  const built: { rec: FunctionRecord; segment: string; flag?: string }[] = [];
  const byFunctionNode = new Map<number, FunctionRecord>();
  for (const c of candidates) {
    let start = c.start;
    let startPosition = c.def.startPosition;
    if (c.start >= leadingEnd) {
      for (let p = c.def.previousNamedSibling; p && leadingIds.has(nodeKey(p)); p = p.previousNamedSibling) {
        start = p.startIndex;
        startPosition = p.startPosition;
      }
    }
    const name = c.name ? unquote(source.slice(c.name.startIndex, c.name.endIndex)) : 'anonymous';
    const qualifier = c.qualifier ? pathSegment(source.slice(c.qualifier.startIndex, c.qualifier.endIndex), desc.selfNames) : '';
    const fnIsDef = c.fn === c.def;
    const fnStart = fnIsDef ? c.start : c.fn.startIndex;
    const fnEnd = fnIsDef ? c.end : c.fn.endIndex;
    const syntaxError = treeHasError && c.def.hasError;
    // Without an error in the definition no MISSING node can be in its parameters: the renderer
    // then skips a check per node.
    const clean = !syntaxError && c.start <= fnStart && fnEnd <= c.end;
    const parts = readFunction(c.fn, source, desc, clean, ids);
    const { body, tokens } = parts;
    const kind: FunctionKind = c.kind ?? desc.kindByNodeType[parts.type] ?? 'function';
    const isAsync = desc.asyncTokens.some((t) => tokens.includes(t));
    // A yield in the body (languages without a generator marker) is found by markGenerators below.
    const isGenerator = desc.generatorNodeTypes.includes(parts.type) || desc.generatorTokens.some((t) => tokens.includes(t));
    const endPosition = c.def.endPosition;

    let reason: string | undefined;
    if (syntaxError) reason = REASONS.syntax;
    // A getter is a method without arguments, read by property access: optimized like a method.
    else if (kind === 'constructor' || kind === 'setter') reason = REASONS[kind];
    else if (c.flag === 'abstract' || c.flag === 'declared') reason = REASONS[c.flag];
    else if (!body) reason = REASONS.nobody;

    const info: FunctionInfo = {
      name,
      qualifiedName: name,
      kind,
      language,
      startLine: startPosition.row + 1,
      endLine: endPosition.row + 1,
      startOffset: start,
      endOffset: c.end,
      params: parts.params,
      async: isAsync,
      generator: isGenerator,
      optimizable: reason === undefined,
      ...(reason !== undefined ? { reason } : {}),
      hotness: 0,
      hotnessReasons: [],
      startColumn: startPosition.column,
      endColumn: endPosition.column,
      ...(syntaxError ? { syntaxError } : {}),
    };
    const rec: FunctionRecord = {
      info,
      fnStart,
      fnEnd,
      ...(body ? { bodyStart: body.start, bodyEnd: body.end } : {}),
      lineStart: start - startPosition.column,
      isStatic: fnIsDef ? tokens.includes('static') : hasToken(c.def, 'static', c.start, c.end, fnStart, fnEnd, source, ids),
    };
    built.push({ rec, segment: qualifier ? `${qualifier}.${name}` : name, flag: body ? undefined : (c.flag ?? 'nobody') });
    byFunctionNode.set(nodeKey(c.fn), rec);
  }
  if (yields.length > 0) markGenerators(yields, byFunctionNode, scopeTypesOf(desc));

  const scopes = collectScopes(matches.scopes, source, desc.selfNames);
  qualify(built, scopes);

  // Overload signatures: a body-less declaration whose implementation is listed is dropped.
  const implemented = new Set(built.filter((b) => !b.flag).map((b) => b.rec.info.qualifiedName));
  const kept = built.filter((b) => !(b.flag === 'declared' && implemented.has(b.rec.info.qualifiedName)));
  const functions = kept.map((b) => b.rec).sort((a, b) => a.info.startOffset - b.info.startOffset || b.info.endOffset - a.info.endOffset);

  computeHotness(language, matches.hotness, source, functions);
  return { language, functions, scopes, syntaxErrors };
}

const scopeTypeSets = new WeakMap<LanguageDescriptor, ReadonlySet<string>>();

function scopeTypesOf(desc: LanguageDescriptor): ReadonlySet<string> {
  let set = scopeTypeSets.get(desc);
  if (!set) scopeTypeSets.set(desc, (set = new Set(desc.functionScopeTypes)));
  return set;
}
