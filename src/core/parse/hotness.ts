// Static hotness: a score and human-readable reasons from patterns in grammars/<lang>/hotness.scm.
// The score orders code lenses and "optimize file"; the reasons go to the LLM prompt and the
// report. It is a heuristic about where time is likely spent, not a measurement.
//
// Captures (the category is the part before the first dot):
//   @loop                        a loop body (loop statements, comprehensions, iteration callbacks)
//   @search     @search.name     a linear search call (`.includes`, `.indexOf`, `.index`)
//   @membership @membership.container   `x in c` (linear when c is a list)
//   @sort @sort.name  @copy @copy.name  @quadratic @quadratic.name   (costly inside loops)
//   @concat @concat.target @concat.value [@concat.self]   `s += v` / `s = s + v`
//   @call @call.name [@call.receiver]   calls (recursion, calls in loops)
//   @string.var  @set.var        names bound to a string / to a set or dict (hash lookups)
//   @named @named.name           a call that counts only through its pattern's name lists:
// A pattern's `(#set! <category> "<name> <name> …")` lists make an event whose @….name is listed
// also (for @named: only) an event of that category: one pattern serves many method names. An
// entry `receiver.name` matches an event whose @….receiver and @….name have those texts; the
// event it makes is named by the path as written (`Array.from`).
// Reading a role's node type is a call into the parser, so it is done only where a rule needs it.
import { descriptorOf, type LanguageDescriptor } from '../languages';
import type { LanguageId } from '../languages/types';
import type { QueryMatchLike, SyntaxNode } from './backend';
import type { FunctionRecord } from './extract';
import { listedAt, listedNames } from './queries';

const WEIGHT = {
  search: 3,
  membership: 3,
  sort: 4,
  copy: 2,
  quadratic: 3,
  concat: 2,
  recursion: 3,
  exponential: 6,
  callInLoop: 0.25,
  callInLoopCap: 2,
};

/** A captured part of an event; its text is read when a rule first asks (most never are). */
class Role {
  constructor(
    readonly role: string,
    readonly node: SyntaxNode,
    private readonly source: string,
    private cached?: string,
  ) {}
  get text(): string {
    this.cached ??= this.source.slice(this.node.startIndex, this.node.endIndex);
    return this.cached;
  }
  /** Whether the text is `expected`, without reading the node's end when the start already differs. */
  is(expected: string): boolean {
    return this.cached !== undefined ? this.cached === expected : this.source.startsWith(expected, this.node.startIndex) && this.text === expected;
  }
}

class HotEvent {
  private cachedLine?: number;
  constructor(
    readonly category: string,
    readonly main: SyntaxNode,
    readonly start: number,
    readonly end: number,
    /** A few at most: a list is lighter than a map (there are thousands of events per file). */
    private readonly roles: readonly Role[],
  ) {}
  /** The role captured last under that name, as a map would keep it. */
  role(name: string): Role | undefined {
    for (let i = this.roles.length - 1; i >= 0; i--) if (this.roles[i].role === name) return this.roles[i];
    return undefined;
  }
  /** 1-based line (read on demand: only events that end up in a reason need one). */
  get line(): number {
    this.cachedLine ??= this.main.startPosition.row + 1;
    return this.cachedLine;
  }
  as(category: string, roles: readonly Role[] = this.roles): HotEvent {
    return new HotEvent(category, this.main, this.start, this.end, roles);
  }
}

/** A capture name split into category and role (`call.name` → call, name), once per name. */
const captureParts = new Map<string, { category: string; role?: string; ignored: boolean }>();

function partsOf(name: string): { category: string; role?: string; ignored: boolean } {
  let parts = captureParts.get(name);
  if (!parts) {
    const dot = name.indexOf('.');
    parts =
      dot < 0 ? { category: name, ignored: name.startsWith('_') } : { category: name.slice(0, dot), role: name.slice(dot + 1), ignored: name.startsWith('_') };
    captureParts.set(name, parts);
  }
  return parts;
}

const pathsCache = new WeakMap<object, Map<string, Map<string, string[]>>>();

/** The #set! entries `receiver.name`: receiver → name → categories. */
function listedPaths(properties: Readonly<Record<string, string | null>>): Map<string, Map<string, string[]>> {
  let paths = pathsCache.get(properties);
  if (!paths) {
    paths = new Map();
    for (const [entry, categories] of listedNames(properties)) {
      const dot = entry.indexOf('.');
      if (dot <= 0) continue;
      const receiver = entry.slice(0, dot);
      const byName = paths.get(receiver) ?? new Map<string, string[]>();
      byName.set(entry.slice(dot + 1), [...categories]);
      paths.set(receiver, byName);
    }
    pathsCache.set(properties, paths);
  }
  return paths;
}

/** A listed `receiver.name` for this event, with a name role whose text is the path as written. */
function listedPath(
  properties: Readonly<Record<string, string | null>>,
  source: string,
  roles: readonly Role[],
  name: Role,
): { categories: readonly string[]; role: Role } | undefined {
  const paths = listedPaths(properties);
  if (paths.size === 0) return undefined;
  let receiver: Role | undefined;
  for (let i = roles.length - 1; i >= 0 && !receiver; i--) if (roles[i].role === 'receiver') receiver = roles[i];
  if (!receiver) return undefined;
  // Receivers are compared first, by their first characters, before any text is read.
  let byName: Map<string, string[]> | undefined;
  for (const [text, names] of paths) if (receiver.is(text)) byName = names;
  const categories = byName?.get(name.text);
  if (!categories) return undefined;
  return { categories, role: new Role('name', receiver.node, source, source.slice(receiver.node.startIndex, name.node.endIndex)) };
}

function collectEvents(matches: QueryMatchLike[], source: string): HotEvent[] {
  const events: HotEvent[] = [];
  for (const match of matches) {
    let main: SyntaxNode | undefined;
    let category = '';
    const { captures } = match;
    let roleCount = 0;
    for (let i = 0; i < captures.length; i++) {
      const parts = partsOf(captures[i].name);
      if (!parts.ignored && parts.role !== undefined) roleCount++;
    }
    // Sized up front: a pushed-to empty array reserves room for 17 (thousands of events per file).
    const roles: Role[] = new Array(roleCount);
    roleCount = 0;
    for (let i = 0; i < captures.length; i++) {
      const { name, node } = captures[i];
      const parts = partsOf(name);
      if (parts.ignored) continue;
      if (parts.role === undefined) {
        main = node;
        category = parts.category;
      } else {
        category ||= parts.category;
        roles[roleCount++] = new Role(parts.role, node, source);
        main ??= node;
      }
    }
    if (!main) continue;
    let listed: readonly string[] | undefined;
    let name: Role | undefined;
    let path: { categories: readonly string[]; role: Role } | undefined;
    if (match.setProperties) {
      for (let i = roles.length - 1; i >= 0 && !name; i--) if (roles[i].role === 'name') name = roles[i];
      listed = name ? listedAt(match.setProperties, source, name.node) : undefined;
      if (name && match.setProperties) path = listedPath(match.setProperties, source, roles, name);
    }
    if (category === 'named' && !listed) continue;
    const event = new HotEvent(category, main, main.startIndex, main.endIndex, roles);
    if (category !== 'named') events.push(event);
    if (listed) for (const other of listed) events.push(event.as(other));
    if (path) for (const other of path.categories) events.push(event.as(other, [path.role]));
  }
  return events;
}

/** Gives each event to the innermost function whose function node contains it (by function index). */
function assignOwners(functions: readonly FunctionRecord[], events: readonly HotEvent[]): HotEvent[][] {
  const owned: HotEvent[][] = new Array(functions.length);
  type Item = { start: number; end: number; fn: number; ev?: HotEvent };
  const items: Item[] = new Array(functions.length + events.length);
  for (let i = 0; i < functions.length; i++) {
    owned[i] = [];
    items[i] = { start: functions[i].fnStart, end: functions[i].fnEnd, fn: i };
  }
  for (let i = 0; i < events.length; i++) items[functions.length + i] = { start: events[i].start, end: events[i].end, fn: -1, ev: events[i] };
  items.sort((a, b) => a.start - b.start || b.end - a.end || (a.fn >= 0 ? -1 : 1) - (b.fn >= 0 ? -1 : 1));
  const stack: Item[] = [];
  for (const item of items) {
    while (stack.length > 0 && !(stack[stack.length - 1].start <= item.start && item.end <= stack[stack.length - 1].end)) stack.pop();
    if (item.fn >= 0) stack.push(item);
    else if (stack.length > 0) {
      // A loop capture that is a named callback's own function node belongs to the caller.
      let owner = stack.length - 1;
      if (item.ev!.category === 'loop' && stack[owner].start === item.start && stack[owner].end === item.end) owner--;
      if (owner >= 0) owned[stack[owner].fn].push(item.ev!);
    }
  }
  return owned;
}

function lines(ls: number[]): string {
  const unique = [...new Set(ls)].sort((a, b) => a - b);
  const shown = unique.slice(0, 4).join(', ') + (unique.length > 4 ? ', …' : '');
  return unique.length === 1 ? `line ${shown}` : `lines ${shown}`;
}

/** A language's hotness tables as sets, and its memoisation pattern compiled, once per language. */
interface Tables {
  desc: LanguageDescriptor;
  listLiterals: ReadonlySet<string>;
  notLists: ReadonlySet<string>;
  strings: ReadonlySet<string>;
  memo: RegExp;
}

const tablesCache = new WeakMap<LanguageDescriptor, Tables>();

function tablesOf(desc: LanguageDescriptor): Tables {
  let tables = tablesCache.get(desc);
  if (!tables) {
    tables = {
      desc,
      listLiterals: new Set(desc.hotnessTypes.listLiterals),
      notLists: new Set(desc.hotnessTypes.notLists),
      strings: new Set(desc.hotnessTypes.strings),
      memo: new RegExp(desc.memoPattern, 'i'),
    };
    tablesCache.set(desc, tables);
  }
  return tables;
}

/** How many of `loops` (other than `e`) contain `e`. */
function loopDepthOf(e: HotEvent, loops: readonly HotEvent[]): number {
  let depth = 0;
  for (const l of loops) if (l !== e && l.start <= e.start && e.end <= l.end) depth++;
  return depth;
}

/** The names that `category` events (@set.var, @string.var) bind. */
function boundNames(events: readonly HotEvent[], category: string): Set<string | undefined> {
  const names = new Set<string | undefined>();
  for (const e of events) if (e.category === category) names.add(e.role('var')?.text);
  return names;
}

/** Reasons found in one function: reason template → accumulated weight and lines. */
class Notes {
  /** Made on the first reason: most functions have none. */
  found?: Map<string, { weight: number; lines: number[] }>;
  add(reason: string, weight: number, line: number): void {
    this.found ??= new Map();
    const entry = this.found.get(reason) ?? { weight: 0, lines: [] };
    entry.weight += weight;
    entry.lines.push(line);
    this.found.set(reason, entry);
  }
}

// Module-level helpers rather than closures: scoring runs once per function, and closures made
// per call cost more than the scoring itself on files with thousands of small functions.
function scoreFunction(fn: FunctionRecord, events: HotEvent[], source: string, tables: Tables): void {
  const { desc, listLiterals: LIST_LITERALS, notLists: NOT_LIST, strings: STRINGY } = tables;
  const info = fn.info;
  const loops = events.filter((e) => e.category === 'loop');

  let score = 0;
  const notes = new Notes();

  // Loop nesting.
  let maxDepth = 0;
  let deepestLine = 0;
  for (const loop of loops) {
    const depth = loopDepthOf(loop, loops) + 1;
    if (depth > maxDepth) {
      maxDepth = depth;
      deepestLine = loop.line;
    }
  }
  if (maxDepth === 1) notes.add('a loop', 1, deepestLine);
  else if (maxDepth > 1) notes.add(`nested loops, depth ${maxDepth}`, maxDepth * maxDepth, deepestLine);

  // Names bound to sets or strings, gathered only when a membership test or a concatenation asks.
  let setNames: Set<string | undefined> | undefined;
  let stringNames: Set<string | undefined> | undefined;
  const owner = info.qualifiedName.slice(0, Math.max(0, info.qualifiedName.length - info.name.length - 1));
  let callsInLoops = 0;
  let selfCalls = 0;
  let firstSelfCall = 0;

  for (const e of events) {
    const depth = e.category === 'loop' || loops.length === 0 ? 0 : loopDepthOf(e, loops);
    const nameRole = e.category === 'loop' ? undefined : e.role('name');
    // Read only where a reason quotes it: a call compares its name without reading it.
    const name = e.category === 'call' || depth === 0 ? undefined : nameRole?.text;
    switch (e.category) {
      case 'search':
        if (depth > 0) notes.add(`linear search \`${name ? `.${name}()` : 'call'}\` inside a loop (O(n) per iteration)`, WEIGHT.search * depth, e.line);
        break;
      case 'membership': {
        const container = e.role('container');
        if (depth === 0 || !container) break;
        const containerType = container.node.type;
        setNames ??= boundNames(events, 'set');
        if (NOT_LIST.has(containerType) || setNames.has(container.text)) break;
        const certain = LIST_LITERALS.has(containerType);
        // `x in (A, B)`: a scan of a few constants is an idiom, not a hotspot.
        if (certain && container.text.split(',').filter((part) => part.trim() !== '').length < 5) break;
        notes.add(
          certain
            ? `membership test \`in\` on a list literal inside a loop (linear scan)`
            : `membership test \`in ${container.text}\` inside a loop (a linear scan if it is a list)`,
          WEIGHT.membership * depth,
          e.line,
        );
        break;
      }
      case 'sort':
        if (depth > 0) notes.add(`sorting \`${name ?? 'sort'}\` inside a loop`, WEIGHT.sort * depth, e.line);
        break;
      case 'copy':
        if (depth > 0) notes.add(`copying \`${name ?? 'copy'}\` inside a loop`, WEIGHT.copy * depth, e.line);
        break;
      case 'quadratic':
        if (depth > 0) notes.add(`\`${name}\` inside a loop (O(n) each time)`, WEIGHT.quadratic * depth, e.line);
        break;
      case 'concat': {
        if (depth === 0) break;
        const target = e.role('target')?.text;
        const selfRef = e.role('self')?.text;
        if (selfRef !== undefined && selfRef !== target) break;
        const value = e.role('value');
        const stringy =
          (value && (STRINGY.has(value.node.type) || /^[fbrFBR]?['"`]/.test(value.text))) ||
          (target !== undefined && (stringNames ??= boundNames(events, 'string')).has(target));
        if (stringy) notes.add(`string concatenation \`${target} +=\` inside a loop`, WEIGHT.concat * depth, e.line);
        break;
      }
      case 'call': {
        const receiverRole = e.role('receiver');
        const isSelfCall =
          nameRole !== undefined &&
          nameRole.is(info.name) &&
          (receiverRole === undefined
            ? info.kind === 'function' || info.kind === 'arrow'
            : desc.selfNames.includes(receiverRole.text) || receiverRole.text === info.className || (owner !== '' && receiverRole.text === owner));
        if (isSelfCall) {
          selfCalls++;
          firstSelfCall ||= e.line;
        } else if (depth > 0) callsInLoops++;
        break;
      }
    }
  }

  if (selfCalls > 0) {
    const text = source.slice(info.startOffset, info.endOffset);
    const memoised = tables.memo.test(text);
    if (!memoised) {
      if (selfCalls >= 2) notes.add(`recursion with ${selfCalls} self-calls and no memoisation (possibly exponential)`, WEIGHT.exponential, firstSelfCall);
      else notes.add('recursion without memoisation', WEIGHT.recursion, firstSelfCall);
    }
  }
  if (callsInLoops > 0) {
    const weight = Math.min(WEIGHT.callInLoopCap, callsInLoops * WEIGHT.callInLoop);
    score += weight;
  }
  const length = info.endLine - info.startLine + 1;
  if (length > 30) score += Math.min(2, length / 100);

  const reasons: string[] = [];
  for (const [reason, { weight, lines: ls }] of notes.found ? [...notes.found.entries()].sort((a, b) => b[1].weight - a[1].weight) : []) {
    score += weight;
    reasons.push(`${reason} (${lines(ls)})`);
  }
  if (callsInLoops >= 3) reasons.push(`${callsInLoops} calls inside loops`);
  if (length > 80) reasons.push(`long function (${length} lines)`);
  info.hotness = Math.round(score * 10) / 10;
  info.hotnessReasons = reasons;
}

/** Sets `hotness` and `hotnessReasons` on every function. */
export function computeHotness(language: LanguageId, matches: QueryMatchLike[], source: string, functions: FunctionRecord[]): void {
  if (functions.length === 0) return;
  const owned = assignOwners(functions, collectEvents(matches, source));
  const tables = tablesOf(descriptorOf(language));
  for (let i = 0; i < functions.length; i++) {
    if (functions[i].bodyStart === undefined) continue;
    scoreFunction(functions[i], owned[i], source, tables);
  }
}
