// Differential fuzzing beyond the tests: new argument lists made from the level-0 (correctness)
// cases by small type-preserving mutations, and generator code that rebuilds them exactly in the
// function's language. Pure: no sandbox, no I/O. The original and the rewrite are then run on
// these cases like on any generated level-0 input; a difference is a counterexample.
//
// Cases come out smallest first, so the first failing one effopt meets is already small: that is
// the shrinking. Every case keeps its seed's arity and is equal to no seed and to no other case.
import { DEFAULT_SEED } from '../sandbox/seeds';
import { isTagged, type EValue, type ETagged } from '../compare/values';

export type FuzzLanguage = 'javascript' | 'typescript' | 'python';

export interface FuzzOptions {
  /** At most this many cases (default 48). */
  max?: number;
  /** PRNG seed (default DEFAULT_SEED): the same seed gives the same plan. */
  seed?: number;
  /** Argument 0 is an instance's state (an instance method): its fields are mutated, it is never dropped. */
  receiver?: boolean;
}

export interface FuzzPlan {
  /**
   * The new argument lists, as the harness captures them after evaluating `code` (for a receiver,
   * argument 0 is the state: a plain object in JS, a dict of the fields in Python).
   */
  cases: EValue[][];
  /** Generator source in the target language (`generate(rng)`) returning exactly `cases`. */
  code: string;
  /** Seed cases that could not be rendered back as source (opaque parts, functions, class instances, cycles, too large). */
  skipped: number;
}

const DEFAULT_MAX = 48;
/** Seeds heavier than this (nodes + string characters) are skipped as too large. */
const MAX_SEED_WEIGHT = 5_000;
/** Mutants heavier than this are dropped. */
const MAX_CASE_WEIGHT = 10_000;
/** Variants kept per value at each level (a random subset beyond this). */
const MAX_VARIANTS = 40;
/** Containers nested deeper than this are mutated structurally only. */
const MAX_DEPTH = 6;

class Unrenderable extends Error {}

// ---------------------------------------------------------------------------------------------
// PRNG (mulberry32): small, seeded, the same sequence on every platform.

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers in canonical encoded form (as the harnesses would capture them).

type Tag<K extends ETagged['$']> = Extract<ETagged, { $: K }>;

/** A JS number as encoded: NaN, ±Infinity and -0 tagged. */
function jsNum(n: number): EValue {
  if (Number.isNaN(n)) return { $: 'num', v: 'NaN' };
  if (n === Infinity) return { $: 'num', v: 'Infinity' };
  if (n === -Infinity) return { $: 'num', v: '-Infinity' };
  if (Object.is(n, -0)) return { $: 'num', v: '-0' };
  return n;
}

/** A Python float as encoded: specials tagged, integral values as {$:'float'}. */
function pyFloat(n: number): EValue {
  if (!Number.isFinite(n) || Object.is(n, -0)) return jsNum(n);
  return Number.isInteger(n) ? { $: 'float', v: n } : n;
}

const SAFE = 2n ** 53n;
/** A Python int as encoded: plain within ±2^53, else decimal text. */
function pyInt(b: bigint): EValue {
  return b >= -SAFE && b <= SAFE ? Number(b) : { $: 'int', v: b.toString() };
}

const specialValue = (v: Tag<'num'>['v']): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : -0);

// ---------------------------------------------------------------------------------------------
// Weight (size) of values: nodes plus string characters.

function weight(v: EValue): number {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return 1;
  if (typeof v === 'string') return 1 + v.length;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + weight(x), 1);
  switch (v.$) {
    case 'tuple':
    case 'set':
    case 'typed':
    case 'iter':
      return v.v.reduce<number>((n, x) => n + weight(x), 1);
    case 'object':
      return v.v.reduce<number>((n, [k, x]) => n + k.length + weight(x), 1);
    case 'dict':
    case 'map':
      return v.v.reduce<number>((n, [k, x]) => n + weight(k) + weight(x), 1);
    case 'bytes':
      return 1 + v.v.length / 2;
    case 'int':
    case 'bigint':
      return 1 + v.v.length / 8;
    case 'complex':
      return 1 + weight(v.re) + weight(v.im);
    default:
      return 1;
  }
}

const argsWeight = (args: EValue[]): number => args.reduce<number>((n, x) => n + weight(x), 0);

// ---------------------------------------------------------------------------------------------
// Rendering as source literals.

const INVISIBLE_OR_UNSAFE = /[^\p{L}\p{N}\p{P}\p{S} ]/u;

/** A string literal: `quote` around it, escapes for the quote, backslash, controls and invisible characters. */
function strLiteral(s: string, quote: string, escape: (cp: number) => string): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote) out += '\\' + quote;
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) out += ch;
    else if (!INVISIBLE_OR_UNSAFE.test(ch) && !(cp >= 0xd800 && cp <= 0xdfff)) out += ch;
    else out += escape(cp);
  }
  return out + quote;
}

const hex = (cp: number, width: number): string => cp.toString(16).padStart(width, '0');
const jsStr = (s: string): string => strLiteral(s, '"', (cp) => (cp <= 0xffff ? '\\u' + hex(cp, 4) : '\\u{' + cp.toString(16) + '}'));
const pyStr = (s: string): string => strLiteral(s, "'", (cp) => (cp <= 0xff ? '\\x' + hex(cp, 2) : cp <= 0xffff ? '\\u' + hex(cp, 4) : '\\U' + hex(cp, 8)));

const JS_TYPED = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

const hexBytes = (hex: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
};

function renderJs(v: EValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return jsStr(v);
  if (Array.isArray(v)) {
    const parts = v.map((x) => (isHole(x) ? '' : renderJs(x)));
    return `[${parts.join(', ')}${v.length > 0 && isHole(v[v.length - 1]) ? ',' : ''}]`;
  }
  switch (v.$) {
    case 'undefined':
      return 'undefined';
    case 'num':
      return v.v;
    case 'bigint':
      if (!/^-?\d+$/.test(v.v)) break;
      return v.v + 'n';
    case 'object':
      if (v.cls !== undefined) break;
      return `{${v.v.map(([k, x]) => `${k === '__proto__' ? '["__proto__"]' : jsStr(k)}: ${renderJs(x)}`).join(', ')}}`;
    case 'map':
      if (v.cls !== undefined) break;
      return v.v.length === 0 ? 'new Map()' : `new Map([${v.v.map(([k, x]) => `[${renderJs(k)}, ${renderJs(x)}]`).join(', ')}])`;
    case 'set':
      if (v.cls !== undefined) break;
      return v.v.length === 0 ? 'new Set()' : `new Set([${v.v.map(renderJs).join(', ')}])`;
    case 'typed':
      if (v.v.some((x) => isHole(x) || (x !== null && typeof x === 'object' && !Array.isArray(x) && x.$ !== 'num' && x.$ !== 'bigint'))) break;
      if (v.cls === 'Buffer') return `Buffer.from([${v.v.map(renderJs).join(', ')}])`;
      if (!JS_TYPED.has(v.cls)) break;
      return `new ${v.cls}([${v.v.map(renderJs).join(', ')}])`;
    case 'bytes': {
      const bytes = `new Uint8Array([${hexBytes(v.v).join(', ')}])`;
      if (v.cls === undefined || v.cls === 'ArrayBuffer') return `${bytes}.buffer`;
      if (v.cls === 'DataView') return `new DataView(${bytes}.buffer)`;
      break;
    }
    case 'date':
      if (v.cls !== undefined || typeof v.v === 'string') break;
      return `new Date(${v.v === null ? 'NaN' : String(v.v)})`;
    case 'regexp':
      return `new RegExp(${jsStr(v.source)}, ${jsStr(v.flags)})`;
    default:
      break;
  }
  throw new Unrenderable(isTagged(v) ? v.$ : typeof v);
}

function pyFloatText(n: number): string {
  if (Number.isNaN(n)) return "float('nan')";
  if (n === Infinity) return "float('inf')";
  if (n === -Infinity) return "float('-inf')";
  if (Object.is(n, -0)) return '-0.0';
  if (!Number.isInteger(n)) return String(n);
  return Math.abs(n) < 1e21 ? BigInt(n).toString() + '.0' : String(n);
}

const PY_DATES = new Set(['date', 'datetime', 'time']);

function renderPy(v: EValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatText(v);
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return `[${v.map(renderPy).join(', ')}]`;
  switch (v.$) {
    case 'num':
      return pyFloatText(specialValue(v.v));
    case 'float':
      return pyFloatText(v.v);
    case 'int':
      if (!/^-?\d+$/.test(v.v)) break;
      return v.v;
    case 'complex':
      return `complex(${renderPy(v.re)}, ${renderPy(v.im)})`;
    case 'tuple':
      if (v.cls !== undefined) break;
      return v.v.length === 1 ? `(${renderPy(v.v[0])},)` : `(${v.v.map(renderPy).join(', ')})`;
    case 'dict':
      if (v.cls !== undefined) break;
      return `{${v.v.map(([k, x]) => `${renderPy(k)}: ${renderPy(x)}`).join(', ')}}`;
    case 'set': {
      if (v.cls !== undefined && v.cls !== 'frozenset') break;
      const kind = v.cls ?? 'set';
      if (v.v.length === 0) return `${kind}()`;
      const body = `{${v.v.map(renderPy).join(', ')}}`;
      return kind === 'set' ? body : `frozenset(${body})`;
    }
    case 'bytes': {
      if (!/^(?:[0-9a-f]{2})*$/i.test(v.v)) break;
      const bytes = `bytes.fromhex('${v.v}')`;
      if (v.cls === undefined) return bytes;
      if (v.cls === 'bytearray') return `bytearray.fromhex('${v.v}')`;
      if (v.cls === 'memoryview') return `memoryview(${bytes})`;
      break;
    }
    case 'date':
      if (typeof v.v !== 'string' || !PY_DATES.has(v.cls ?? '')) break;
      return `__import__('datetime').${v.cls}.fromisoformat(${pyStr(v.v)})`;
    default:
      break;
  }
  throw new Unrenderable(isTagged(v) ? v.$ : typeof v);
}

const isHole = (v: EValue): boolean => isTagged(v) && v.$ === 'hole';

// ---------------------------------------------------------------------------------------------
// Hash keys for set elements (collisions would shrink the set when it is rebuilt).

/** Python equality as text (1 == 1.0 == True), or null when unhashable or NaN. */
function pyHashKey(v: EValue): string | null {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'n:' + (v ? 1 : 0);
  if (typeof v === 'number') return 'n:' + (Number.isInteger(v) ? BigInt(v).toString() : String(v));
  if (typeof v === 'string') return 's:' + v;
  if (Array.isArray(v)) return null;
  switch (v.$) {
    case 'num':
      return v.v === 'NaN' ? null : v.v === '-0' ? 'n:0' : 'n:' + v.v;
    case 'float':
      return 'n:' + (Number.isFinite(v.v) ? BigInt(v.v).toString() : String(v.v));
    case 'int':
      return 'n:' + v.v;
    case 'tuple': {
      if (v.cls !== undefined) return null;
      const ks = v.v.map(pyHashKey);
      return ks.includes(null) ? null : `t:(${ks.join(',')})`;
    }
    case 'set': {
      if (v.cls !== 'frozenset') return null;
      const ks = v.v.map(pyHashKey);
      return ks.includes(null) ? null : `f:{${ks.sort().join(',')}}`;
    }
    case 'bytes':
      return v.cls === undefined ? 'b:' + v.v : null;
    default:
      return null;
  }
}

/** JS SameValueZero as text; objects are unique (a fresh object never collides). */
let uniqueCounter = 0;
function jsSetKey(v: EValue): string | null {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'string') return typeof v + ':' + String(v);
  if (typeof v === 'number') return 'number:' + String(v);
  if (Array.isArray(v)) return 'obj:' + uniqueCounter++;
  switch (v.$) {
    case 'undefined':
      return 'undefined';
    case 'num':
      return 'number:' + (v.v === '-0' ? '0' : v.v);
    case 'bigint':
      return 'bigint:' + v.v;
    default:
      return 'obj:' + uniqueCounter++;
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations.

interface Ctx {
  py: boolean;
  rng: Rng;
}

const BIG_JS_INT = 2 ** 53 - 1;

function numberVariants(v: number, ctx: Ctx): EValue[] {
  if (ctx.py) return Number.isInteger(v) ? pyIntVariants(BigInt(v)) : pyFloatVariants(v);
  if (Number.isInteger(v)) return [0, v === 0 ? 0 : -v, v + 1, v - 1, 1e15, BIG_JS_INT, -BIG_JS_INT].map(jsNum);
  return jsFloatVariants(v);
}

const jsFloatVariants = (x: number): EValue[] => [0, -0, -x, x + 1, x - 1, x / 2, NaN, Infinity, -Infinity, 1e300].map(jsNum);
const pyFloatVariants = (x: number): EValue[] => [0, -0, -x, x + 1, x - 1, x / 2, NaN, Infinity, -Infinity, 1e300].map(pyFloat);
const pyIntVariants = (b: bigint): EValue[] => [0n, -b, b + 1n, b - 1n, 2n ** 53n + 1n, 2n ** 64n, -(2n ** 63n), 10n ** 30n].map(pyInt);
const bigintVariants = (b: bigint): EValue[] => [0n, -b, b + 1n, b - 1n, 2n ** 64n, -(2n ** 63n)].map((x): EValue => ({ $: 'bigint', v: x.toString() }));

function stringVariants(s: string): EValue[] {
  const chars = Array.from(s);
  const first = chars.length > 1 ? [chars[0]] : [];
  const half = chars.length > 2 ? [chars.slice(0, Math.ceil(chars.length / 2)).join('')] : [];
  const doubled = s.length <= 2000 ? [s + s] : [];
  return [
    '',
    s.toUpperCase(),
    'e\u0301',
    ' ' + s,
    ...doubled,
    '\u{1F600}',
    ...first,
    s.toLowerCase(),
    '\u05e9\u05dc\u05d5\u05dd',
    '\t' + s + '\n',
    s + '\u{1F600}',
    'Straße',
    ...half,
    [...chars].reverse().join(''),
    s.replace(/ /g, '\u00a0'),
    'é',
    s + ' ',
    s.replace(/ /g, '  '),
    '\u{1F468}\u200d\u{1F469}',
    s + '\u0301',
    '\u202e' + s,
    'é' + s,
  ];
}

/** Structural variants of a sequence, most telling first: shrunk, grown, reordered. */
function structural<T>(xs: T[], rng: Rng): T[][] {
  const n = xs.length;
  const out: T[][] = [];
  if (n === 0) return out;
  out.push([]);
  if (n > 1) out.push([xs[0]]);
  const i = rng.int(n);
  out.push([...xs.slice(0, i + 1), xs[i], ...xs.slice(i + 1)]); // an element duplicated in place
  if (n > 1) out.push([...xs].reverse());
  if (n > 2) out.push(xs.slice(0, Math.ceil(n / 2)));
  out.push([...xs, ...xs]);
  if (n > 2) out.push(xs.slice(Math.floor(n / 2)));
  if (n > 2) out.push(xs.slice(0, -1));
  if (n > 1) {
    const j = rng.int(n + 1);
    const k = rng.int(n);
    out.push([...xs.slice(0, j), xs[k], ...xs.slice(j)]); // a duplicate inserted elsewhere
  }
  return out;
}

/** Indices whose element is mutated: first, last and one in between. */
function pickIndices(n: number, rng: Rng): number[] {
  if (n === 0) return [];
  const set = new Set([0, n - 1, rng.int(n)]);
  return [...set];
}

function cap(xs: EValue[], ctx: Ctx): EValue[] {
  return xs.length > MAX_VARIANTS ? ctx.rng.shuffle(xs).slice(0, MAX_VARIANTS) : xs;
}

function elementVariants(xs: EValue[], ctx: Ctx, depth: number): EValue[][] {
  const out: EValue[][] = [];
  if (depth >= MAX_DEPTH) return out;
  for (const i of pickIndices(xs.length, ctx.rng)) {
    if (isHole(xs[i])) continue;
    for (const w of variants(xs[i], ctx, depth + 1)) out.push([...xs.slice(0, i), w, ...xs.slice(i + 1)]);
  }
  return out;
}

function pairVariants(xs: Array<[EValue, EValue]>, ctx: Ctx, depth: number): Array<Array<[EValue, EValue]>> {
  const out: Array<Array<[EValue, EValue]>> = [];
  if (depth >= MAX_DEPTH) return out;
  for (const i of pickIndices(xs.length, ctx.rng)) {
    for (const w of variants(xs[i][1], ctx, depth + 1)) out.push([...xs.slice(0, i), [xs[i][0], w], ...xs.slice(i + 1)]);
  }
  return out;
}

interface Variants {
  /** Mutations of the value itself, most telling first. */
  head: EValue[];
  /** Mutations of its parts (one element or field at a time), in no particular order. */
  tail: EValue[];
}

/** Type-preserving variants of one value (some may equal it: repeats are dropped later). */
function variants(v: EValue, ctx: Ctx, depth = 0): EValue[] {
  const { head, tail } = split(v, ctx, depth);
  return cap([...head, ...tail], ctx);
}

function split(v: EValue, ctx: Ctx, depth: number): Variants {
  const { py, rng } = ctx;
  const only = (head: EValue[]): Variants => ({ head, tail: [] });
  if (v === null) return only([]);
  if (typeof v === 'boolean') return only([!v]);
  if (typeof v === 'number') return only(numberVariants(v, ctx));
  if (typeof v === 'string') return only(stringVariants(v));
  if (Array.isArray(v)) return { head: structural(v, rng), tail: cap(elementVariants(v, ctx, depth), ctx) };
  switch (v.$) {
    case 'num':
      return only(py ? pyFloatVariants(specialValue(v.v)) : jsFloatVariants(specialValue(v.v)));
    case 'float':
      return only(pyFloatVariants(v.v));
    case 'int':
      return only(/^-?\d+$/.test(v.v) ? pyIntVariants(BigInt(v.v)) : []);
    case 'bigint':
      return only(/^-?\d+$/.test(v.v) ? bigintVariants(BigInt(v.v)) : []);
    case 'tuple':
      // Tuples are often fixed-shape records: their length is kept.
      if (v.cls !== undefined) return only([]);
      return {
        head: [],
        tail: cap(
          elementVariants(v.v, ctx, depth).map((xs): EValue => ({ $: 'tuple', v: xs })),
          ctx,
        ),
      };
    case 'object': {
      // One field mutated at a time (recursively); the fields themselves are kept.
      if (v.cls !== undefined) return only([]);
      const pairs = pairVariants(
        v.v.map(([k, x]): [EValue, EValue] => [k, x]),
        ctx,
        depth,
      );
      return {
        head: [],
        tail: cap(
          pairs.map((ps): EValue => ({ $: 'object', v: ps.map(([k, x]): [string, EValue] => [k as string, x]) })),
          ctx,
        ),
      };
    }
    case 'dict':
    case 'map': {
      if (v.cls !== undefined) return only([]);
      const kind = v.$;
      const n = v.v.length;
      const make = (ps: Array<[EValue, EValue]>): EValue => ({ $: kind, v: ps }) as EValue;
      const head: Array<Array<[EValue, EValue]>> = [];
      if (n > 0) head.push([]);
      if (n > 1) head.push(v.v.slice(0, 1), [...v.v].reverse());
      if (n > 2) head.push(v.v.slice(0, Math.ceil(n / 2)));
      return { head: head.map(make), tail: cap(pairVariants(v.v, ctx, depth).map(make), ctx) };
    }
    case 'set': {
      const cls = v.cls;
      if (cls !== undefined && !(py && cls === 'frozenset')) return only([]);
      const make = (xs: EValue[]): EValue => (cls === undefined ? { $: 'set', v: xs } : { $: 'set', cls, v: xs });
      const head: EValue[] = [];
      if (v.v.length > 0) head.push(make([]));
      if (v.v.length > 1) head.push(make(v.v.slice(0, 1)));
      if (v.v.length > 1 && !py) head.push(make([...v.v].reverse())); // Python sets order themselves
      // Grown by one element: a variant of an element that is not in the set yet.
      const tail: EValue[] = [];
      const key = py ? pyHashKey : jsSetKey;
      const present = new Set(v.v.map(key));
      if (depth < MAX_DEPTH && v.v.length > 0) {
        for (const w of variants(v.v[rng.int(v.v.length)], ctx, depth + 1)) {
          const k = key(w);
          if (k === null || present.has(k)) continue;
          present.add(k);
          tail.push(make([...v.v, w]));
          if (tail.length >= 3) break;
        }
      }
      return { head, tail };
    }
    case 'typed':
      return only(structural(v.v, rng).map((xs): EValue => ({ $: 'typed', cls: v.cls, v: xs })));
    case 'bytes': {
      const pairs = v.v.match(/../g) ?? [];
      const cls = v.cls;
      return only(structural(pairs, rng).map((ps): EValue => (cls === undefined ? { $: 'bytes', v: ps.join('') } : { $: 'bytes', cls, v: ps.join('') })));
    }
    case 'date':
      if (py || typeof v.v === 'string' || v.cls !== undefined) return only([]);
      return only(v.v === null ? [{ $: 'date', v: 0 }] : [0, v.v + 1, v.v - 86_400_000, null].map((t): EValue => ({ $: 'date', v: t })));
    default:
      return only([]);
  }
}

/** JS Sets and Map keys hold -0 as 0 (SameValueZero): the canonical form of a JS value. */
function jsCanon(v: EValue): EValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(jsCanon);
  const zero = (x: EValue): EValue => (isTagged(x) && x.$ === 'num' && x.v === '-0' ? 0 : jsCanon(x));
  switch (v.$) {
    case 'set':
      return { ...v, v: v.v.map(zero) };
    case 'map':
      return { ...v, v: v.v.map(([k, x]): [EValue, EValue] => [zero(k), jsCanon(x)]) };
    case 'object':
      return { ...v, v: v.v.map(([k, x]): [string, EValue] => [k, jsCanon(x)]) };
    default:
      return v;
  }
}

const interleave = <T>(a: T[], b: T[]): T[] => {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// Seeds.

/** The receiver's captured instance as its state: a plain object (JS) or a dict of its fields (Python). */
function asState(v: EValue, py: boolean): EValue | undefined {
  if (!isTagged(v)) return undefined;
  if (v.$ === 'object') return py ? { $: 'dict', v: v.v.map(([k, x]): [EValue, EValue] => [k, x]) } : { $: 'object', v: v.v };
  if (py && v.$ === 'dict' && v.cls === undefined && v.v.every(([k]) => typeof k === 'string')) return v;
  return undefined;
}

function sameFields(a: EValue, b: EValue): boolean {
  const keys = (v: EValue): string => (isTagged(v) && (v.$ === 'object' || v.$ === 'dict') ? JSON.stringify(v.v.map(([k]) => k)) : '');
  return keys(a) === keys(b);
}

function renderable(args: EValue[], render: (v: EValue) => string): boolean {
  try {
    for (const a of args) render(a);
    return true;
  } catch (err) {
    if (err instanceof Unrenderable || err instanceof RangeError) return false;
    throw err;
  }
}

/** Identity of an argument list for repeats: its JSON, with Python sets' elements sorted (they have no order). */
function keyOf(args: EValue[], py: boolean): string {
  if (!py) return JSON.stringify(args);
  const canon = (v: EValue): EValue => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(canon);
    switch (v.$) {
      case 'set':
        return { ...v, v: v.v.map(canon).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
      case 'tuple':
        return { ...v, v: v.v.map(canon) };
      case 'dict':
        return { ...v, v: v.v.map(([k, x]): [EValue, EValue] => [canon(k), canon(x)]) };
      default:
        return v;
    }
  };
  return JSON.stringify(args.map(canon));
}

/**
 * Up to `max` new argument lists mutated from `seeds` (smallest first), with the generator code
 * that rebuilds them. Deterministic for a given options.seed.
 */
export function fuzzCases(language: FuzzLanguage, seeds: EValue[][], options: FuzzOptions = {}): FuzzPlan {
  const py = language === 'python';
  const max = Math.max(0, Math.floor(options.max ?? DEFAULT_MAX));
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const ctx: Ctx = { py, rng };
  const render = py ? renderPy : renderJs;

  // 1. Seeds that can be rendered back, in normalized form (receiver as its state).
  let skipped = 0;
  const usable: EValue[][] = [];
  const seen = new Set<string>();
  for (const seed of seeds) {
    let args = seed;
    if (options.receiver) {
      const state = args.length > 0 ? asState(args[0], py) : undefined;
      if (state === undefined) {
        skipped++;
        continue;
      }
      args = [state, ...args.slice(1)];
    }
    if (argsWeight(args) > MAX_SEED_WEIGHT || !renderable(args, render)) {
      skipped++;
      continue;
    }
    if (!py) args = args.map(jsCanon);
    seen.add(keyOf(args, py));
    // Seeds as captured count as seen too (a receiver seed with its class name).
    seen.add(keyOf(seed, py));
    usable.push(args);
  }

  // 2. Candidates per (seed, argument): one argument mutated at a time.
  const groups: EValue[][][] = [];
  for (const args of usable) {
    args.forEach((arg, i) => {
      const { head, tail } = split(arg, ctx, 0);
      const group: EValue[][] = [];
      for (const w of interleave(head, rng.shuffle(tail))) {
        // An instance keeps its fields: only their values change (an instance without its fields is not one the class makes).
        if (i === 0 && options.receiver && !(isTagged(w) && (w.$ === 'object' || w.$ === 'dict') && sameFields(w, arg))) continue;
        const mutant = [...args.slice(0, i), w, ...args.slice(i + 1)];
        group.push(py ? mutant : mutant.map(jsCanon));
      }
      if (group.length > 0) groups.push(group);
    });
  }

  // 3. Round robin over the groups (every seed and argument gets its share), skipping repeats.
  const picked: Array<{ args: EValue[]; weight: number; order: number }> = [];
  rng.shuffle(groups);
  const cursor = groups.map(() => 0);
  let live = groups.length;
  while (picked.length < max && live > 0) {
    live = 0;
    for (let g = 0; g < groups.length && picked.length < max; g++) {
      const group = groups[g];
      while (cursor[g] < group.length) {
        const args = group[cursor[g]++];
        const key = keyOf(args, py);
        if (seen.has(key)) continue;
        const w = argsWeight(args);
        if (w > MAX_CASE_WEIGHT) continue;
        seen.add(key);
        picked.push({ args, weight: w, order: picked.length });
        break;
      }
      if (cursor[g] < group.length) live++;
    }
  }

  // 4. Smallest first (the first counterexample found is already small).
  picked.sort((a, b) => a.weight - b.weight || a.order - b.order);
  const cases = picked.map((p) => p.args);
  return { cases, code: generatorCode(cases, py, render), skipped };
}

function generatorCode(cases: EValue[][], py: boolean, render: (v: EValue) => string): string {
  const lines = cases.map((args) => `[${args.map(render).join(', ')}],`);
  if (py) return `def generate(rng):\n    return [\n${lines.map((l) => `        ${l}\n`).join('')}    ]\n`;
  return `function generate(rng) {\n  return [\n${lines.map((l) => `    ${l}\n`).join('')}  ];\n}\n`;
}

/**
 * One argument list as a source expression of the language (`[1, "a"]` / `[1, 'a']`), or
 * undefined when a part cannot be rebuilt from source.
 */
export function renderArgsSource(language: FuzzLanguage, args: readonly EValue[]): string | undefined {
  const render = language === 'python' ? renderPy : renderJs;
  try {
    return `[${args.map(render).join(', ')}]`;
  } catch (err) {
    if (err instanceof Unrenderable || err instanceof RangeError) return undefined;
    throw err;
  }
}
