// The context needed to run one function on its own (docs/ARCHITECTURE.md): the top-level statement that
// holds it, the same-file helpers it calls, and the imports, constants, classes and types it
// refers to — transitively, within a bound. From these the pipeline shows the LLM the function
// with its context and builds a standalone module in which the function can be swapped.
import type { LanguageId } from '../languages/types';
import type { ParseBackend, SyntaxNode, SyntaxTree } from './backend';
import { analyzeTree, type FunctionRecord } from './extract';
import { getQuery } from './queries';
import type { FunctionInfo } from './types';

export type ContextItemKind = 'import' | 'helper' | 'declaration' | 'container';

/** One top-level statement of the file that the context includes. */
export interface ContextItem {
  kind: ContextItemKind;
  /** Module-level names the statement binds. */
  names: string[];
  text: string;
  /** Position in the original file (UTF-16 offsets, 1-based lines). */
  startOffset: number;
  endOffset: number;
  startLine: number;
  endLine: number;
}

export interface FunctionContext {
  language: LanguageId;
  target: FunctionInfo;
  /** The target's own text (`source.slice(target.startOffset, target.endOffset)`). */
  targetText: string;
  /**
   * The top-level statement that contains the target: the function itself when it is top-level,
   * its class for a method, its object for an object method, the outer function for a nested one.
   */
  container: ContextItem;
  /** Texts of the import statements the code uses (ES imports, requires, Python imports). */
  imports: string[];
  /** Texts of the module-level constants, variables, classes and types it refers to. */
  declarations: string[];
  /** Texts of the same-file functions it calls (transitively). */
  helpers: string[];
  /** Every included statement, the container too, in source order. */
  items: ContextItem[];
  /** A standalone module: the included statements in source order, separated by blank lines. */
  moduleText: string;
  /** Where the target sits in moduleText (UTF-16 offsets, end exclusive). */
  targetRange: { start: number; end: number };
  /**
   * An expression that reaches the target from module scope in moduleText (`f`, `Cls.prototype.m`,
   * `Cls.m`, `obj.m`), or undefined when it cannot be reached (a nested function, a private method).
   */
  accessPath?: string;
  /** The closure was cut at the bound (maxItems): some referenced statements are missing. */
  truncated: boolean;
}

export interface ContextOptions {
  /** Most statements to include besides the container (default 60). */
  maxItems?: number;
}

/** The requested function is not in the file: a user error (the message lists what is there). */
export class FunctionNotFound extends Error {
  override readonly name = 'FunctionNotFound';
}

interface ModuleItem {
  kind: Exclude<ContextItemKind, 'container'> | 'augment' | 'always';
  pattern: number;
  node: SyntaxNode;
  names: Set<string>;
}

const nodeKey = (n: SyntaxNode): string => `${n.startIndex}:${n.endIndex}`;

function moduleItems(backend: ParseBackend, language: LanguageId, root: SyntaxNode): ModuleItem[] {
  const query = getQuery(backend, language, 'module');
  if (!query) return [];
  const items = new Map<string, ModuleItem>();
  for (const match of query.matches(root)) {
    let stmt: SyntaxNode | undefined;
    let kind: ModuleItem['kind'] | undefined;
    const names: SyntaxNode[] = [];
    for (const { name, node } of match.captures) {
      if (name === 'name') names.push(node);
      else if (name === 'import' || name === 'helper' || name === 'declaration' || name === 'augment' || name === 'always') {
        stmt = node;
        kind = name;
      }
    }
    if (!stmt || !kind) continue;
    const key = nodeKey(stmt);
    let item = items.get(key);
    if (!item) items.set(key, (item = { kind, pattern: match.pattern, node: stmt, names: new Set() }));
    else if (match.pattern < item.pattern) {
      item.kind = kind;
      item.pattern = match.pattern;
    }
    for (const n of names) item.names.add(`${n.startIndex}:${n.endIndex}`);
  }
  return [...items.values()];
}

/** Reference names, bucketed by the top-level statement (range) they occur in. */
function referencesByStatement(
  backend: ParseBackend,
  language: LanguageId,
  root: SyntaxNode,
  source: string,
  statements: { start: number; end: number }[],
): Map<number, Set<string>> {
  const result = new Map<number, Set<string>>();
  const query = getQuery(backend, language, 'references');
  if (!query) return result;
  const refs: { start: number; end: number }[] = [];
  const ignored = new Set<string>();
  for (const match of query.matches(root)) {
    for (const { name, node } of match.captures) {
      if (name === 'ref') refs.push({ start: node.startIndex, end: node.endIndex });
      else if (name === 'ignore') ignored.add(`${node.startIndex}:${node.endIndex}`);
    }
  }
  refs.sort((a, b) => a.start - b.start);
  const sorted = statements.map((s, i) => ({ ...s, i })).sort((a, b) => a.start - b.start);
  let s = 0;
  for (const ref of refs) {
    if (ignored.has(`${ref.start}:${ref.end}`)) continue;
    while (s < sorted.length && sorted[s].end <= ref.start) s++;
    if (s >= sorted.length) break;
    if (sorted[s].start > ref.start) continue;
    let set = result.get(sorted[s].i);
    if (!set) result.set(sorted[s].i, (set = new Set()));
    set.add(source.slice(ref.start, ref.end));
  }
  return result;
}

function topLevelStatements(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let i = 0; i < root.namedChildCount; i++) {
    const child = root.namedChild(i);
    if (child) out.push(child);
  }
  return out;
}

export function findTarget(functions: FunctionRecord[], qualifiedName: string): FunctionRecord {
  const exact = functions.filter((f) => f.info.qualifiedName === qualifiedName);
  const byName = exact.length > 0 ? exact : functions.filter((f) => f.info.name === qualifiedName);
  const optimizable = byName.filter((f) => f.info.optimizable);
  const chosen = optimizable[0] ?? byName[0];
  if (!chosen) {
    const names = functions.map((f) => f.info.qualifiedName);
    const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '');
    throw new FunctionNotFound(`no function "${qualifiedName}" in the file${names.length ? ` (found: ${shown})` : ' (it has no functions)'}`);
  }
  return chosen;
}

function accessPathOf(target: FunctionRecord, container: ContextItem, language: LanguageId): string | undefined {
  const info = target.info;
  if (info.name.startsWith('#')) return undefined;
  const parts = info.qualifiedName.split('.');
  if (parts.length === 1) return container.names.includes(info.name) ? info.name : undefined;
  // A member of a top-level class or object (or a path assigned at top level: exports.f).
  if (parts.length === 2 && container.names.includes(parts[0])) {
    if (info.className && language !== 'python' && !target.isStatic) return `${parts[0]}.prototype.${parts[1]}`;
    return info.qualifiedName;
  }
  if (target.info.startOffset === container.startOffset || container.text.startsWith(info.qualifiedName)) return info.qualifiedName;
  return undefined;
}

export function contextFromTree(
  backend: ParseBackend,
  language: LanguageId,
  tree: SyntaxTree,
  source: string,
  qualifiedName: string,
  options?: ContextOptions,
): FunctionContext {
  const maxItems = options?.maxItems ?? 60;
  const root = tree.rootNode;
  const analysis = analyzeTree(backend, language, tree, source);
  const target = findTarget(analysis.functions, qualifiedName);
  const statements = topLevelStatements(root);
  const containerNode = statements.find((s) => s.startIndex <= target.info.startOffset && target.info.endOffset <= s.endIndex);
  if (!containerNode) throw new Error(`internal: no top-level statement holds ${target.info.qualifiedName}`);

  const items = moduleItems(backend, language, root);
  const itemByStart = new Map(items.map((it) => [it.node.startIndex, it]));
  const nameText = (key: string): string => {
    const [a, b] = key.split(':').map(Number);
    return source.slice(a, b);
  };
  const namesOf = (it: ModuleItem): string[] => [...new Set([...it.names].map(nameText))];
  const definers = new Map<string, ModuleItem[]>();
  for (const it of items) {
    for (const name of namesOf(it)) {
      const list = definers.get(name) ?? [];
      list.push(it);
      definers.set(name, list);
    }
  }
  const stmtIndex = new Map(statements.map((s, i) => [s.startIndex, i]));
  const refs = referencesByStatement(
    backend,
    language,
    root,
    source,
    statements.map((s) => ({ start: s.startIndex, end: s.endIndex })),
  );
  const refsOf = (node: SyntaxNode): Set<string> => refs.get(stmtIndex.get(node.startIndex) ?? -1) ?? new Set();

  // Breadth-first over references, from the container outwards.
  const included = new Map<number, ModuleItem | 'container'>([[containerNode.startIndex, 'container']]);
  const containerItem = itemByStart.get(containerNode.startIndex);
  const includedNames = new Set<string>(containerItem ? namesOf(containerItem) : []);
  const queue: SyntaxNode[] = [containerNode];
  let truncated = false;
  const include = (it: ModuleItem): void => {
    if (included.has(it.node.startIndex)) return;
    if (included.size - 1 >= maxItems) {
      truncated = true;
      return;
    }
    included.set(it.node.startIndex, it);
    for (const n of namesOf(it)) includedNames.add(n);
    if (it.kind !== 'import') queue.push(it.node);
  };
  for (const it of items) if (it.kind === 'always') include(it);
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const name of refsOf(node)) {
      for (const it of definers.get(name) ?? []) if (it.kind !== 'augment') include(it);
    }
    // Statements that extend an included name (A.prototype.f = …, CACHE.update(…)) come along.
    if (queue.length === 0) {
      for (const it of items) {
        if (it.kind === 'augment' && !included.has(it.node.startIndex) && namesOf(it).some((n) => includedNames.has(n))) include(it);
      }
    }
  }

  const toItem = (node: SyntaxNode, kind: ContextItemKind, names: string[]): ContextItem => ({
    kind,
    names,
    text: source.slice(node.startIndex, node.endIndex),
    startOffset: node.startIndex,
    endOffset: node.endIndex,
    startLine: node.startPosition.row + 1,
    endLine: node.endPosition.row + 1,
  });
  const ordered = statements.filter((s) => included.has(s.startIndex));
  const contextItems: ContextItem[] = ordered.map((node) => {
    const entry = included.get(node.startIndex)!;
    if (entry === 'container') return toItem(node, 'container', containerItem ? namesOf(containerItem) : []);
    const kind: ContextItemKind = entry.kind === 'always' ? 'import' : entry.kind === 'augment' ? 'declaration' : entry.kind;
    return toItem(node, kind, entry.kind === 'augment' ? [] : namesOf(entry));
  });

  let moduleText = '';
  let targetRange = { start: 0, end: 0 };
  for (const item of contextItems) {
    if (moduleText) moduleText += '\n\n';
    if (item.kind === 'container') {
      const start = moduleText.length + (target.info.startOffset - item.startOffset);
      targetRange = { start, end: start + (target.info.endOffset - target.info.startOffset) };
    }
    moduleText += item.text;
  }
  moduleText += '\n';
  const container = contextItems.find((i) => i.kind === 'container')!;
  const textsOf = (kind: ContextItemKind): string[] => contextItems.filter((i) => i.kind === kind).map((i) => i.text);
  const accessPath = accessPathOf(target, container, language);
  return {
    language,
    target: target.info,
    targetText: source.slice(target.info.startOffset, target.info.endOffset),
    container,
    imports: textsOf('import'),
    declarations: textsOf('declaration'),
    helpers: textsOf('helper'),
    items: contextItems,
    moduleText,
    targetRange,
    ...(accessPath ? { accessPath } : {}),
    truncated,
  };
}

/**
 * How the target is called when it is an instance method — `this` (JS/TS: reached through
 * `Class.prototype`) or `self` (Python: a method of a top-level class that is not a static or
 * class method) — or undefined for every other kind of function.
 */
export function receiverOf(context: FunctionContext): 'this' | 'self' | undefined {
  const path = context.accessPath;
  if (!path) return undefined;
  if (context.language !== 'python') return path.includes('.prototype.') ? 'this' : undefined;
  const t = context.target;
  // A property getter is read on an instance: it has a receiver like a method.
  if ((t.kind !== 'method' && t.kind !== 'getter') || !t.className || path !== t.qualifiedName || path.split('.').length !== 2) return undefined;
  // The decorators are the lines of the target's text before its `def`.
  const decorators = context.targetText.slice(0, Math.max(0, context.targetText.search(/^[ \t]*(?:async[ \t]+)?def\b/m)));
  return /@\s*(?:builtins\.)?(?:staticmethod|classmethod)\b/.test(decorators) ? undefined : 'self';
}

/** Leading whitespace of the line that holds `offset`. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

/**
 * The candidate module: `context.moduleText` with the target replaced by `newFunctionText`.
 * The new text is re-indented to the target's position (required for Python methods and nested
 * functions): its first line's indentation (or `sourceColumn`, the column it started at in the
 * reply it was cut from, e.g. `FunctionInfo.startColumn`) is removed from every line, and the
 * target's indentation is put in front of every line after the first.
 */
export function spliceFunction(context: FunctionContext, newFunctionText: string, options?: { sourceColumn?: number }): string {
  const { moduleText, targetRange } = context;
  const lines = newFunctionText
    .replace(/\r\n?/g, '\n')
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '')
    .split('\n');
  const firstIndent = /^[ \t]*/.exec(lines[0])![0];
  const sourceIndent = firstIndent.length > 0 ? firstIndent.length : (options?.sourceColumn ?? 0);
  const targetIndent = indentAt(moduleText, targetRange.start);
  const reindented = lines.map((line, i) => {
    if (i === 0) return line.slice(firstIndent.length);
    if (line.trim() === '') return '';
    const strip = Math.min(sourceIndent, /^[ \t]*/.exec(line)![0].length);
    return targetIndent + line.slice(strip);
  });
  return moduleText.slice(0, targetRange.start) + reindented.join('\n') + moduleText.slice(targetRange.end);
}
