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
import { descriptorOf } from '../languages';
import type { LanguageId } from '../languages/types';
import type { QueryMatchLike, SyntaxNode } from './backend';
import type { FunctionRecord } from './extract';

interface HotEvent {
  category: string;
  start: number;
  end: number;
  line: number;
  roles: Map<string, { text: string; type: string }>;
}

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

function collectEvents(matches: QueryMatchLike[], source: string): HotEvent[] {
  const events: HotEvent[] = [];
  for (const match of matches) {
    let main: SyntaxNode | undefined;
    let category = '';
    const roles = new Map<string, { text: string; type: string }>();
    for (const { name, node } of match.captures) {
      if (name.startsWith('_')) continue;
      const dot = name.indexOf('.');
      if (dot < 0) {
        main = node;
        category = name;
      } else {
        category ||= name.slice(0, dot);
        roles.set(name.slice(dot + 1), { text: source.slice(node.startIndex, node.endIndex), type: node.type });
        main ??= node;
      }
    }
    if (!main) continue;
    events.push({ category, start: main.startIndex, end: main.endIndex, line: main.startPosition.row + 1, roles });
  }
  return events;
}

/** Gives each event to the innermost function whose function node contains it. */
function assignOwners(functions: FunctionRecord[], events: HotEvent[]): Map<FunctionRecord, HotEvent[]> {
  const owned = new Map<FunctionRecord, HotEvent[]>(functions.map((f) => [f, []]));
  type Item = { start: number; end: number; fn?: FunctionRecord; ev?: HotEvent };
  const items: Item[] = [
    ...functions.map((fn) => ({ start: fn.fnStart, end: fn.fnEnd, fn })),
    ...events.map((ev) => ({ start: ev.start, end: ev.end, ev })),
  ];
  items.sort((a, b) => a.start - b.start || b.end - a.end || (a.fn ? -1 : 1) - (b.fn ? -1 : 1));
  const stack: Item[] = [];
  for (const item of items) {
    while (stack.length > 0 && !(stack[stack.length - 1].start <= item.start && item.end <= stack[stack.length - 1].end)) stack.pop();
    if (item.fn) stack.push(item);
    else if (stack.length > 0) {
      // A loop capture that is a named callback's own function node belongs to the caller.
      let owner = stack.length - 1;
      if (item.ev!.category === 'loop' && stack[owner].start === item.start && stack[owner].end === item.end) owner--;
      if (owner >= 0) owned.get(stack[owner].fn!)!.push(item.ev!);
    }
  }
  return owned;
}

function lines(ls: number[]): string {
  const unique = [...new Set(ls)].sort((a, b) => a - b);
  const shown = unique.slice(0, 4).join(', ') + (unique.length > 4 ? ', …' : '');
  return unique.length === 1 ? `line ${shown}` : `lines ${shown}`;
}

function scoreFunction(fn: FunctionRecord, events: HotEvent[], source: string, language: LanguageId): void {
  const desc = descriptorOf(language);
  const LIST_LITERALS = new Set(desc.hotnessTypes.listLiterals);
  const NOT_LIST = new Set(desc.hotnessTypes.notLists);
  const STRINGY = new Set(desc.hotnessTypes.strings);
  const info = fn.info;
  const loops = events.filter((e) => e.category === 'loop');
  const loopDepth = (e: HotEvent): number => loops.filter((l) => l !== e && l.start <= e.start && e.end <= l.end).length;

  let score = 0;
  // reason template → lines
  const found = new Map<string, { weight: number; lines: number[] }>();
  const note = (reason: string, weight: number, line: number): void => {
    const entry = found.get(reason) ?? { weight: 0, lines: [] };
    entry.weight += weight;
    entry.lines.push(line);
    found.set(reason, entry);
  };

  // Loop nesting.
  let maxDepth = 0;
  let deepestLine = 0;
  for (const loop of loops) {
    const depth = loopDepth(loop) + 1;
    if (depth > maxDepth) {
      maxDepth = depth;
      deepestLine = loop.line;
    }
  }
  if (maxDepth === 1) note('a loop', 1, deepestLine);
  else if (maxDepth > 1) note(`nested loops, depth ${maxDepth}`, maxDepth * maxDepth, deepestLine);

  const setNames = new Set(events.filter((e) => e.category === 'set').map((e) => e.roles.get('var')?.text));
  const stringNames = new Set(events.filter((e) => e.category === 'string').map((e) => e.roles.get('var')?.text));
  let callsInLoops = 0;
  let selfCalls = 0;
  let firstSelfCall = 0;

  for (const e of events) {
    const depth = e.category === 'loop' ? 0 : loopDepth(e);
    const name = e.roles.get('name')?.text;
    switch (e.category) {
      case 'search':
        if (depth > 0) note(`linear search \`${name ? `.${name}()` : 'call'}\` inside a loop (O(n) per iteration)`, WEIGHT.search * depth, e.line);
        break;
      case 'membership': {
        const container = e.roles.get('container');
        if (depth === 0 || !container) break;
        if (NOT_LIST.has(container.type) || setNames.has(container.text)) break;
        const certain = LIST_LITERALS.has(container.type);
        // `x in (A, B)`: a scan of a few constants is an idiom, not a hotspot.
        if (certain && container.text.split(',').filter((part) => part.trim() !== '').length < 5) break;
        note(certain ? `membership test \`in\` on a list literal inside a loop (linear scan)` : `membership test \`in ${container.text}\` inside a loop (a linear scan if it is a list)`, WEIGHT.membership * depth, e.line);
        break;
      }
      case 'sort':
        if (depth > 0) note(`sorting \`${name ?? 'sort'}\` inside a loop`, WEIGHT.sort * depth, e.line);
        break;
      case 'copy':
        if (depth > 0) note(`copying \`${name ?? 'copy'}\` inside a loop`, WEIGHT.copy * depth, e.line);
        break;
      case 'quadratic':
        if (depth > 0) note(`\`${name}\` inside a loop (O(n) each time)`, WEIGHT.quadratic * depth, e.line);
        break;
      case 'concat': {
        if (depth === 0) break;
        const target = e.roles.get('target')?.text;
        const selfRef = e.roles.get('self')?.text;
        if (selfRef !== undefined && selfRef !== target) break;
        const value = e.roles.get('value');
        const stringy = (value && (STRINGY.has(value.type) || /^[fbrFBR]?['"`]/.test(value.text))) || (target !== undefined && stringNames.has(target));
        if (stringy) note(`string concatenation \`${target} +=\` inside a loop`, WEIGHT.concat * depth, e.line);
        break;
      }
      case 'call': {
        const receiver = e.roles.get('receiver')?.text;
        const owner = info.qualifiedName.slice(0, Math.max(0, info.qualifiedName.length - info.name.length - 1));
        const isSelfCall =
          name === info.name &&
          (receiver === undefined
            ? info.kind === 'function' || info.kind === 'arrow'
            : desc.selfNames.includes(receiver) || receiver === info.className || (owner !== '' && receiver === owner));
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
    const memoised = new RegExp(desc.memoPattern, 'i').test(text);
    if (!memoised) {
      if (selfCalls >= 2) note(`recursion with ${selfCalls} self-calls and no memoisation (possibly exponential)`, WEIGHT.exponential, firstSelfCall);
      else note('recursion without memoisation', WEIGHT.recursion, firstSelfCall);
    }
  }
  if (callsInLoops > 0) {
    const weight = Math.min(WEIGHT.callInLoopCap, callsInLoops * WEIGHT.callInLoop);
    score += weight;
  }
  const length = info.endLine - info.startLine + 1;
  if (length > 30) score += Math.min(2, length / 100);

  const reasons: string[] = [];
  for (const [reason, { weight, lines: ls }] of [...found.entries()].sort((a, b) => b[1].weight - a[1].weight)) {
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
  for (const fn of functions) {
    if (fn.bodyStart === undefined) continue;
    scoreFunction(fn, owned.get(fn) ?? [], source, language);
  }
}
