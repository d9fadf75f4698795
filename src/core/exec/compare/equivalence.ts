// Equivalence of two captured values (docs/SANDBOX.md), computed in effopt's own process.
// Deep structural equality with a float tolerance; unordered containers (sets, dicts, Maps,
// object keys) ignore order; anything opaque is "incomparable", never silently equal.
import { renderValue, type Flavour } from './valueText';
import { isTagged, type EValue, type ETagged } from './values';

export interface EquivalenceOptions {
  /** Relative float tolerance (default 1e-9). */
  relTol: number;
  /** Absolute float tolerance (default 1e-12). */
  absTol: number;
  /** Compare the arguments after the call (mutation); default true. */
  compareArgs: boolean;
  /** Compare what the call printed; default true. */
  compareStdout: boolean;
  /**
   * Strict types: int 1 ≠ float 1.0 (Python), 0 ≠ −0, dict ≠ OrderedDict, set ≠ frozenset.
   * Default false, which follows the languages' own `==` for these cases.
   */
  strictTypes: boolean;
}

export const DEFAULT_EQUIVALENCE: Readonly<EquivalenceOptions> = Object.freeze({
  relTol: 1e-9,
  absTol: 1e-12,
  compareArgs: true,
  compareStdout: true,
  strictTypes: false,
});

export type DifferenceKind = 'value' | 'type' | 'length' | 'missing' | 'extra' | 'incomparable';

export interface Difference {
  /** Where: `return`, `return[3].x`, `args[0]`, `return{'k'}`. */
  path: string;
  kind: DifferenceKind;
  expected?: string;
  actual?: string;
  note?: string;
}

const MAX_DIFFS = 8;

type Numeric = { kind: 'num'; value: number; float: boolean; negZero: boolean } | { kind: 'big'; value: bigint; js: boolean };

/** Numbers of any encoding as one comparable form; undefined when not numeric. */
function numeric(v: EValue): Numeric | undefined {
  if (typeof v === 'number') return { kind: 'num', value: v, float: !Number.isInteger(v), negZero: false };
  if (!isTagged(v)) return undefined;
  switch (v.$) {
    case 'num':
      return { kind: 'num', value: v.v === '-0' ? -0 : Number(v.v), float: true, negZero: v.v === '-0' };
    case 'float':
      return { kind: 'num', value: v.v, float: true, negZero: false };
    case 'bigint':
      return { kind: 'big', value: BigInt(v.v), js: true };
    case 'int':
      return { kind: 'big', value: BigInt(v.v), js: false };
    default:
      return undefined;
  }
}

export function floatsClose(a: number, b: number, o: Pick<EquivalenceOptions, 'relTol' | 'absTol'>): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(o.relTol * Math.max(Math.abs(a), Math.abs(b)), o.absTol);
}

function numbersEqual(a: Numeric, b: Numeric, o: EquivalenceOptions): boolean {
  if (a.kind === 'big' && b.kind === 'big') return a.value === b.value;
  if (a.kind === 'big' || b.kind === 'big') {
    const big = (a.kind === 'big' ? a : b) as Extract<Numeric, { kind: 'big' }>;
    const other = (a.kind === 'big' ? b : a) as Extract<Numeric, { kind: 'num' }>;
    // JS: 1n !== 1. Python: a big int equals a float of the same value (non-strict).
    if (big.js || o.strictTypes) return false;
    return Number.isFinite(other.value) && floatsClose(Number(big.value), other.value, o);
  }
  if (o.strictTypes && (a.float !== b.float || a.negZero !== b.negZero)) return false;
  // Integers compare exactly: the tolerance is for floats (1000000000 ≠ 1000000001).
  if (!a.float && !b.float && Number.isSafeInteger(a.value) && Number.isSafeInteger(b.value)) return a.value === b.value;
  return floatsClose(a.value, b.value, o);
}

/** A canonical text for a value, used to match set elements and dict/Map keys. */
export function canonicalKey(v: EValue, strictTypes = false): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map((x) => canonicalKey(x, strictTypes)).join(',') + ']';
  if (!strictTypes && v.$ === 'float') return JSON.stringify(v.v);
  if (!strictTypes && v.$ === 'num' && v.v === '-0') return '0';
  const sortJoin = (xs: string[]): string => xs.sort().join(',');
  switch (v.$) {
    case 'set':
      return `{set${strictTypes ? ':' + (v.cls ?? '') : ''}:${sortJoin(v.v.map((x) => canonicalKey(x, strictTypes)))}}`;
    case 'dict':
    case 'map':
      return `{${v.$}${strictTypes ? ':' + (v.cls ?? '') : ''}:${sortJoin(v.v.map(([k, x]) => canonicalKey(k, strictTypes) + '=>' + canonicalKey(x, strictTypes)))}}`;
    case 'object':
      return `{obj:${v.cls ?? ''}:${sortJoin(v.v.map(([k, x]) => JSON.stringify(k) + ':' + canonicalKey(x, strictTypes)))}}`;
    case 'tuple':
    case 'typed':
    case 'iter':
      return `{${v.$}:${'cls' in v ? (v.cls ?? '') : ''}:${v.v.map((x) => canonicalKey(x, strictTypes)).join(',')}}`;
    default:
      return JSON.stringify(v);
  }
}

class Comparer {
  readonly diffs: Difference[] = [];
  constructor(
    readonly o: EquivalenceOptions,
    readonly flavour: Flavour,
  ) {}

  private show(v: EValue): string {
    return renderValue(v, { flavour: this.flavour, maxChars: 160, maxItems: 8 });
  }

  private add(d: Difference): void {
    if (this.diffs.length < MAX_DIFFS) this.diffs.push(d);
  }

  get full(): boolean {
    return this.diffs.length >= MAX_DIFFS;
  }

  /** Compares and records differences; returns whether equal. */
  compare(e: EValue, a: EValue, path: string): boolean {
    if (isTagged(e) && e.$ === 'opaque') {
      this.add({ path, kind: 'incomparable', expected: this.show(e), actual: this.show(a), note: `expected value cannot be compared (${e.kind}: ${e.why})` });
      return false;
    }
    if (isTagged(a) && a.$ === 'opaque') {
      this.add({ path, kind: 'incomparable', expected: this.show(e), actual: this.show(a), note: `value cannot be compared (${a.kind}: ${a.why})` });
      return false;
    }
    const ne = numeric(e);
    const na = numeric(a);
    if (ne || na) {
      if (ne && na && numbersEqual(ne, na, this.o)) return true;
      this.add({ path, kind: ne && na ? 'value' : 'type', expected: this.show(e), actual: this.show(a) });
      return false;
    }
    if (e === null || typeof e !== 'object' || a === null || typeof a !== 'object') {
      if (e === a) return true;
      this.add({ path, kind: typeof e === typeof a && e !== null && a !== null ? 'value' : 'type', expected: this.show(e), actual: this.show(a) });
      return false;
    }
    if (Array.isArray(e) || Array.isArray(a)) {
      if (!Array.isArray(e) || !Array.isArray(a)) {
        this.add({ path, kind: 'type', expected: this.show(e), actual: this.show(a) });
        return false;
      }
      return this.sequence(e, a, path);
    }
    return this.tagged(e, a, path);
  }

  private sequence(e: EValue[], a: EValue[], path: string): boolean {
    let ok = true;
    const n = Math.min(e.length, a.length);
    for (let i = 0; i < n; i++) {
      if (!this.compare(e[i], a[i], `${path}[${i}]`)) {
        ok = false;
        if (this.full) return false;
      }
    }
    if (e.length !== a.length) {
      this.add({
        path,
        kind: 'length',
        expected: `length ${e.length}`,
        actual: `length ${a.length}`,
        note: e.length > a.length ? `missing ${this.show(e[n])}…` : `extra ${this.show(a[n])}…`,
      });
      ok = false;
    }
    return ok;
  }

  private sameClass(e: { cls?: string }, a: { cls?: string }, relaxed: boolean): boolean {
    if ((e.cls ?? '') === (a.cls ?? '')) return true;
    return relaxed && !this.o.strictTypes;
  }

  private tagged(e: ETagged, a: ETagged, path: string): boolean {
    const typeDiff = (): false => {
      this.add({ path, kind: 'type', expected: this.show(e), actual: this.show(a) });
      return false;
    };
    if (e.$ !== a.$) return typeDiff();
    switch (e.$) {
      case 'undefined':
      case 'hole':
        return true;
      case 'tuple':
      case 'typed':
      case 'iter': {
        const av = a as typeof e;
        if (!this.sameClass(e, av, false)) return typeDiff();
        if (e.$ === 'iter' && (av as typeof e).more !== e.more) {
          this.add({ path, kind: 'length', expected: e.more ? 'more items' : 'no more items', actual: (av as typeof e).more ? 'more items' : 'no more items' });
          return false;
        }
        return this.sequence(e.v, av.v, path);
      }
      case 'object':
        return this.object(e, a as typeof e, path);
      case 'dict':
      case 'map':
        return this.keyed(e, a as typeof e, path);
      case 'set':
        return this.set(e, a as typeof e, path);
      case 'complex': {
        const av = a as typeof e;
        return this.compare(e.re, av.re, `${path}.real`) && this.compare(e.im, av.im, `${path}.imag`);
      }
      case 'error': {
        const av = a as typeof e;
        if (e.cls !== av.cls || e.message !== av.message) return typeDiff();
        return true;
      }
      case 'date':
      case 'bytes':
      case 'repr':
      case 'regexp':
      case 'symbol':
      case 'cycle':
      case 'truncated':
        if (JSON.stringify(e) === JSON.stringify(a)) return true;
        this.add({ path, kind: 'value', expected: this.show(e), actual: this.show(a) });
        return false;
      default:
        // numeric tags are handled before; opaque too.
        return typeDiff();
    }
  }

  private object(e: Extract<ETagged, { $: 'object' }>, a: Extract<ETagged, { $: 'object' }>, path: string): boolean {
    if (!this.sameClass(e, a, false)) return this.addType(e, a, path);
    const am = new Map(a.v);
    let ok = true;
    for (const [k, ev] of e.v) {
      const sub = /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
      if (!am.has(k)) {
        this.add({ path: sub, kind: 'missing', expected: this.show(ev) });
        ok = false;
      } else if (!this.compare(ev, am.get(k) as EValue, sub)) ok = false;
      am.delete(k);
      if (this.full) return false;
    }
    for (const [k, av] of am) {
      this.add({ path: `${path}.${k}`, kind: 'extra', actual: this.show(av) });
      ok = false;
    }
    return ok;
  }

  private addType(e: EValue, a: EValue, path: string): false {
    this.add({ path, kind: 'type', expected: this.show(e), actual: this.show(a) });
    return false;
  }

  private keyed(e: Extract<ETagged, { $: 'dict' | 'map' }>, a: Extract<ETagged, { $: 'dict' | 'map' }>, path: string): boolean {
    // dict subclasses compare equal to dicts in Python (OrderedDict vs dict, Counter vs dict).
    if (!this.sameClass(e, a, e.$ === 'dict')) return this.addType(e, a, path);
    const strict = this.o.strictTypes;
    const am = new Map(a.v.map(([k, v]) => [canonicalKey(k, strict), [k, v] as const]));
    let ok = true;
    for (const [k, ev] of e.v) {
      const key = canonicalKey(k, strict);
      const sub = `${path}{${this.show(k)}}`;
      const hit = am.get(key);
      if (!hit) {
        this.add({ path: sub, kind: 'missing', expected: this.show(ev) });
        ok = false;
      } else if (!this.compare(ev, hit[1], sub)) ok = false;
      am.delete(key);
      if (this.full) return false;
    }
    for (const [, [k, av]] of am) {
      this.add({ path: `${path}{${this.show(k)}}`, kind: 'extra', actual: this.show(av) });
      ok = false;
    }
    return ok;
  }

  private set(e: Extract<ETagged, { $: 'set' }>, a: Extract<ETagged, { $: 'set' }>, path: string): boolean {
    // set == frozenset in Python; JS has one Set.
    if (!this.sameClass(e, a, true)) return this.addType(e, a, path);
    const strict = this.o.strictTypes;
    const count = (xs: EValue[]): Map<string, { v: EValue; n: number }> => {
      const m = new Map<string, { v: EValue; n: number }>();
      for (const x of xs) {
        const k = canonicalKey(x, strict);
        const hit = m.get(k);
        if (hit) hit.n++;
        else m.set(k, { v: x, n: 1 });
      }
      return m;
    };
    const em = count(e.v);
    const am = count(a.v);
    let ok = true;
    for (const [k, { v, n }] of em) {
      if ((am.get(k)?.n ?? 0) !== n) {
        this.add({ path, kind: 'missing', expected: this.show(v), note: 'element missing from the set' });
        ok = false;
      }
    }
    for (const [k, { v }] of am) {
      if (!em.has(k)) {
        this.add({ path, kind: 'extra', actual: this.show(v), note: 'element not expected in the set' });
        ok = false;
      }
    }
    return ok;
  }
}

/** Differences between an expected and an actual value (empty = equal). `path` names the root. */
export function compareValues(
  expected: EValue,
  actual: EValue,
  options: Partial<EquivalenceOptions> = {},
  flavour: Flavour = 'js',
  path = 'return',
): Difference[] {
  const c = new Comparer({ ...DEFAULT_EQUIVALENCE, ...options }, flavour);
  c.compare(expected, actual, path);
  return c.diffs;
}

export function valuesEqual(expected: EValue, actual: EValue, options: Partial<EquivalenceOptions> = {}): boolean {
  return compareValues(expected, actual, options).length === 0;
}

/** Differences as indented text, one per line. */
export function formatDifferences(diffs: readonly Difference[]): string {
  return diffs
    .map((d) => {
      const parts = [`${d.path}: ${d.kind}`];
      if (d.expected !== undefined) parts.push(`expected ${d.expected}`);
      if (d.actual !== undefined) parts.push(`got ${d.actual}`);
      if (d.note) parts.push(`(${d.note})`);
      return '  ' + parts.join(' — ');
    })
    .join('\n');
}
