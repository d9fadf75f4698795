// Query files: grammars/<queryDir>/<name>.scm, copied to dist/grammars/ by the build.
// A file may start with `; inherits: <folder>[, <folder>]` to include the same-named file of
// shared folders first (TypeScript and TSX reuse the JavaScript patterns that way).
import { existsSync, readFileSync } from 'node:fs';
import { assetPath } from '../assets';
import { descriptorOf } from '../languages';
import type { LanguageId } from '../languages/types';
import type { CompiledQuery, ParseBackend, QueryMatchLike, SyntaxNode } from './backend';

export type QueryName = 'functions' | 'scopes' | 'module' | 'references' | 'hotness';

const sourceCache = new Map<string, string>();

function readQueryFile(folder: string, name: string, seen: Set<string>): string {
  const key = `${folder}/${name}`;
  if (seen.has(key)) throw new Error(`query inheritance cycle at grammars/${key}.scm`);
  seen.add(key);
  const path = assetPath('grammars', folder, `${name}.scm`);
  if (!existsSync(path)) return '';
  const text = readFileSync(path, 'utf8');
  const inherits = /^;\s*inherits:\s*(.+)$/m.exec(text.split('\n', 3).join('\n'));
  const parents = inherits
    ? inherits[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  return [...parents.map((p) => readQueryFile(p, name, seen)), text].join('\n');
}

/** The full source of one of a language's queries (with inherited files), '' when it has none. */
function querySource(language: LanguageId, name: QueryName): string {
  const key = `${language}/${name}`;
  let text = sourceCache.get(key);
  if (text === undefined) {
    text = readQueryFile(descriptorOf(language).queryDir, name, new Set());
    sourceCache.set(key, text);
  }
  return text;
}

const compiled = new WeakMap<ParseBackend, Map<string, CompiledQuery | null>>();

/** A compiled query, cached per backend and language; null when the language has no such file. */
export function getQuery(backend: ParseBackend, language: LanguageId, name: QueryName): CompiledQuery | null {
  let perBackend = compiled.get(backend);
  if (!perBackend) compiled.set(backend, (perBackend = new Map()));
  const key = `${language}/${name}`;
  if (!perBackend.has(key)) {
    const source = querySource(language, name);
    if (!source.trim()) {
      perBackend.set(key, null);
    } else {
      try {
        perBackend.set(key, backend.compileQuery(language, source));
      } catch (err) {
        throw new Error(`query grammars/${descriptorOf(language).queryDir}/${name}.scm does not compile for ${language}: ${(err as Error)?.message ?? err}`);
      }
    }
  }
  return perBackend.get(key) ?? null;
}

const groups = new WeakMap<ParseBackend, Map<string, { query: CompiledQuery; offsets: number[] } | null>>();

/**
 * Runs several of a language's queries in one pass over the tree (one traversal instead of one
 * per query) and hands each its own matches, with pattern indices local to its file.
 */
export function runQueries<N extends QueryName>(
  backend: ParseBackend,
  language: LanguageId,
  names: readonly N[],
  root: SyntaxNode,
): Record<N, QueryMatchLike[]> {
  let perBackend = groups.get(backend);
  if (!perBackend) groups.set(backend, (perBackend = new Map()));
  const key = `${language}/${names.join('+')}`;
  if (!perBackend.has(key)) {
    const parts = names.map((n) => ({ name: n, source: querySource(language, n), single: getQuery(backend, language, n) }));
    const present = parts.filter((p) => p.single);
    if (present.length === 0) perBackend.set(key, null);
    else {
      const offsets: number[] = [];
      let total = 0;
      for (const p of parts) {
        offsets.push(total);
        total += p.single?.patternCount ?? 0;
      }
      const query = backend.compileQuery(language, present.map((p) => p.source).join('\n'));
      perBackend.set(key, { query, offsets });
    }
  }
  const group = perBackend.get(key);
  const result = Object.fromEntries(names.map((n) => [n, [] as QueryMatchLike[]])) as Record<N, QueryMatchLike[]>;
  if (!group) return result;
  for (const match of group.query.matches(root)) {
    let i = names.length - 1;
    while (i > 0 && group.offsets[i] > match.pattern) i--;
    // The match objects are fresh for this call: renumbered in place rather than copied.
    match.pattern -= group.offsets[i];
    result[names[i]].push(match);
  }
  return result;
}

const listsCache = new WeakMap<object, Map<string, string[]>>();
const firstCharsCache = new WeakMap<object, Map<number, string[]>>();

/**
 * A pattern's name lists, `(#set! <key> "<name> <name> …")`, inverted: name → the keys that list
 * it. Patterns use them to tell calls or definitions apart by name without one pattern (and one
 * match per node) per name list. Parsed once per pattern: the bindings hand every match of a
 * pattern the same properties object.
 */
export function listedNames(properties: Readonly<Record<string, string | null>>): ReadonlyMap<string, readonly string[]> {
  let byName = listsCache.get(properties);
  if (!byName) {
    byName = new Map();
    for (const [key, list] of Object.entries(properties)) {
      for (const name of (list ?? '').split(/\s+/).filter(Boolean)) byName.set(name, [...(byName.get(name) ?? []), key]);
    }
    listsCache.set(properties, byName);
  }
  return byName;
}

/**
 * The keys whose #set! list holds the text of `node`, or undefined. The text is read (a call into
 * the parser for the node's end) only when the source at the node's start begins with a listed
 * name: most nodes are told apart by their first characters alone.
 */
export function listedAt(properties: Readonly<Record<string, string | null>>, source: string, node: SyntaxNode): readonly string[] | undefined {
  let byFirstChar = firstCharsCache.get(properties);
  if (!byFirstChar) {
    byFirstChar = new Map();
    for (const name of listedNames(properties).keys()) byFirstChar.set(name.charCodeAt(0), [...(byFirstChar.get(name.charCodeAt(0)) ?? []), name]);
    firstCharsCache.set(properties, byFirstChar);
  }
  const start = node.startIndex;
  const names = byFirstChar.get(source.charCodeAt(start));
  if (!names || !names.some((name) => source.startsWith(name, start))) return undefined;
  return listedNames(properties).get(source.slice(start, node.endIndex));
}
