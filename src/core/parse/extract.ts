// Function extraction driven by each language's functions.scm / scopes.scm (see the capture
// conventions at the top of grammars/ecma/functions.scm). Nothing here names a node type: the
// language descriptor and the queries carry all of that.
import type { LanguageDescriptor } from '../languages/descriptors';
import { descriptorOf } from '../languages';
import type { LanguageId } from '../languages/types';
import type { ParseBackend, QueryMatchLike, SyntaxNode, SyntaxTree } from './backend';
import { computeHotness } from './hotness';
import { runQueries } from './queries';
import { renderNode } from './render';
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
  getter: 'property getter: accessors are not optimized',
  setter: 'property setter: accessors are not optimized',
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
  const dot = path.indexOf('.');
  return dot > 0 && selfNames.includes(path.slice(0, dot)) ? path.slice(dot + 1) : path;
}

function unquote(text: string): string {
  return /^(['"`]).*\1$/s.test(text) && text.length >= 2 ? text.slice(1, -1) : text;
}

interface FunctionParts {
  /** Anonymous tokens among the node's children (`async`, `*`, `static`, `get`). */
  tokens: Set<string>;
  params: SyntaxNode | null;
  body: SyntaxNode | null;
}

/** One pass over a function node's children: its tokens and its parameter and body nodes. */
function functionParts(node: SyntaxNode, desc: LanguageDescriptor): FunctionParts {
  const parts: FunctionParts = { tokens: new Set(), params: null, body: null };
  const cursor = node.walk();
  try {
    if (cursor.gotoFirstChild()) {
      do {
        if (!cursor.nodeIsNamed) {
          parts.tokens.add(cursor.nodeType);
          continue;
        }
        const field = cursor.currentFieldName;
        if (field === desc.bodyField) parts.body = cursor.currentNode;
        else if (field && !parts.params && desc.paramsFields.includes(field)) parts.params = cursor.currentNode;
      } while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete?.();
  }
  return parts;
}

/** Whether `body` contains one of `types` outside nested function scopes. */
function containsOutsideScopes(body: SyntaxNode, types: ReadonlySet<string>, scopeTypes: ReadonlySet<string>): boolean {
  const cursor = body.walk();
  try {
    if (!cursor.gotoFirstChild()) return false;
    let depth = 1;
    for (;;) {
      const type = cursor.nodeType;
      if (types.has(type)) return true;
      if (!scopeTypes.has(type) && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || --depth === 0) return false;
      }
    }
  } finally {
    cursor.delete?.();
  }
}

function parametersOf(list: SyntaxNode | null, source: string, desc: LanguageDescriptor): string[] {
  if (!list) return [];
  const options = { desc, statements: false };
  if (!desc.parameterListTypes.includes(list.type)) return [renderNode(list, source, options)];
  const params: string[] = [];
  const comments = new Set(desc.commentTypes);
  for (let i = 0; i < list.namedChildCount; i++) {
    const p = list.namedChild(i);
    if (!p || comments.has(p.type)) continue;
    // A bare name needs no rendering.
    const text = p.type === 'identifier' ? source.slice(p.startIndex, p.endIndex) : renderNode(p, source, options).trim();
    if (text) params.push(text);
  }
  return params;
}

/** ERROR and MISSING nodes, in document order, at most MAX_SYNTAX_PROBLEMS. */
export function syntaxProblems(root: SyntaxNode, source: string): SyntaxProblem[] {
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
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i);
      if (child && (child.hasError || child.isMissing)) visit(child);
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
}

function collectCandidates(matches: QueryMatchLike[]): Candidate[] {
  const best = new Map<number, Candidate>();
  for (const match of matches) {
    let cand: Partial<Candidate> = { pattern: match.pattern };
    for (const { name, node } of match.captures) {
      if (name === 'definition' || name.startsWith('definition.')) {
        const [, kind, flag] = name.split('.');
        cand = { ...cand, def: node, kind: kind && KINDS.has(kind as FunctionKind) ? (kind as FunctionKind) : undefined, flag };
      } else if (name === 'function') cand.fn = node;
      else if (name === 'name') cand.name = node;
      else if (name === 'qualifier') cand.qualifier = node;
    }
    if (!cand.def) continue;
    cand.fn ??= cand.def;
    const key = nodeKey(cand.fn);
    const previous = best.get(key);
    if (!previous || previous.pattern > match.pattern) best.set(key, cand as Candidate);
  }
  return [...best.values()].sort((a, b) => a.def.startIndex - b.def.startIndex || b.def.endIndex - a.def.endIndex);
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
  const entries: Entry[] = [
    ...scopes.map((s) => ({ start: s.start, end: s.end, segment: s.name, kind: s.kind })),
    ...functions.map(({ rec, segment }) => ({ start: rec.fnStart, end: rec.fnEnd, segment, kind: 'function' as const, fn: rec })),
  ];
  // Outer before inner; for equal ranges a scope (class) encloses the function node.
  entries.sort((a, b) => a.start - b.start || b.end - a.end || (a.fn ? 1 : 0) - (b.fn ? 1 : 0));
  const stack: Entry[] = [];
  for (const entry of entries) {
    while (stack.length > 0 && !(stack[stack.length - 1].start <= entry.start && entry.end <= stack[stack.length - 1].end)) stack.pop();
    if (entry.fn) {
      const path = stack.map((s) => s.segment).filter(Boolean);
      entry.fn.info.qualifiedName = [...path, entry.segment].join('.');
      const parent = stack[stack.length - 1];
      if (parent && parent.kind === 'class' && ['method', 'constructor', 'getter', 'setter'].includes(entry.fn.info.kind)) {
        entry.fn.info.className = parent.segment;
      }
    }
    stack.push(entry);
  }
}

/** Extracts every function of a parsed file, with hotness. The tree stays owned by the caller. */
export function analyzeTree(backend: ParseBackend, language: LanguageId, tree: SyntaxTree, source: string): Analysis {
  const desc = descriptorOf(language);
  const root = tree.rootNode;
  const syntaxErrors = syntaxProblems(root, source);
  const matches = runQueries(backend, language, ['functions', 'scopes', 'hotness'], root);
  const candidates = collectCandidates(matches.functions);
  const scopeTypes = new Set(desc.functionScopeTypes);
  const yieldTypes = new Set(desc.yieldNodeTypes);

  const built: { rec: FunctionRecord; segment: string; flag?: string }[] = [];
  for (const c of candidates) {
    let start = c.def.startIndex;
    let startPosition = c.def.startPosition;
    if (desc.leadingSiblingTypes.length > 0) {
      for (let p = c.def.previousNamedSibling; p && desc.leadingSiblingTypes.includes(p.type); p = p.previousNamedSibling) {
        start = p.startIndex;
        startPosition = p.startPosition;
      }
    }
    const name = c.name ? unquote(source.slice(c.name.startIndex, c.name.endIndex)) : 'anonymous';
    const qualifier = c.qualifier ? pathSegment(source.slice(c.qualifier.startIndex, c.qualifier.endIndex), desc.selfNames) : '';
    const kind: FunctionKind = c.kind ?? desc.kindByNodeType[c.fn.type] ?? 'function';
    const parts = functionParts(c.fn, desc);
    const { body, tokens } = parts;
    const isAsync = desc.asyncTokens.some((t) => tokens.has(t));
    const isGenerator =
      desc.generatorNodeTypes.includes(c.fn.type) ||
      desc.generatorTokens.some((t) => tokens.has(t)) ||
      (yieldTypes.size > 0 && body !== null && containsOutsideScopes(body, yieldTypes, scopeTypes));
    const syntaxError = c.def.hasError;

    let reason: string | undefined;
    if (syntaxError) reason = REASONS.syntax;
    else if (kind === 'constructor' || kind === 'getter' || kind === 'setter') reason = REASONS[kind];
    else if (c.flag === 'abstract' || c.flag === 'declared') reason = REASONS[c.flag];
    else if (!body) reason = REASONS.nobody;

    const info: FunctionInfo = {
      name,
      qualifiedName: name,
      kind,
      language,
      startLine: startPosition.row + 1,
      endLine: c.def.endPosition.row + 1,
      startOffset: start,
      endOffset: c.def.endIndex,
      params: parametersOf(parts.params, source, desc),
      async: isAsync,
      generator: isGenerator,
      optimizable: reason === undefined,
      ...(reason !== undefined ? { reason } : {}),
      hotness: 0,
      hotnessReasons: [],
      startColumn: startPosition.column,
      endColumn: c.def.endPosition.column,
      ...(syntaxError ? { syntaxError } : {}),
    };
    const rec: FunctionRecord = {
      info,
      fnStart: c.fn.startIndex,
      fnEnd: c.fn.endIndex,
      ...(body ? { bodyStart: body.startIndex, bodyEnd: body.endIndex } : {}),
      lineStart: start - startPosition.column,
      isStatic: (c.def === c.fn ? tokens : functionParts(c.def, desc).tokens).has('static'),
    };
    built.push({ rec, segment: qualifier ? `${qualifier}.${name}` : name, flag: body ? undefined : (c.flag ?? 'nobody') });
  }

  const scopes = collectScopes(matches.scopes, source, desc.selfNames);
  qualify(built, scopes);

  // Overload signatures: a body-less declaration whose implementation is listed is dropped.
  const implemented = new Set(built.filter((b) => !b.flag).map((b) => b.rec.info.qualifiedName));
  const kept = built.filter((b) => !(b.flag === 'declared' && implemented.has(b.rec.info.qualifiedName)));
  const functions = kept.map((b) => b.rec).sort((a, b) => a.info.startOffset - b.info.startOffset || b.info.endOffset - a.info.endOffset);

  computeHotness(language, matches.hotness, source, functions);
  return { language, functions, scopes, syntaxErrors };
}
