// The wire form of a value captured in a sandboxed process ("encoded value"). Both harnesses
// (Node and Python) produce it; effopt compares it in its own process, never in the sandbox,
// so code under test cannot fool the comparison by patching globals.
//
// JSON-native values stand for themselves: null, booleans, strings, finite numbers (never -0)
// and arrays (JS arrays, Python lists). Everything else is a tagged object {$: kind, ...}; a
// plain JS object or a Python dict is itself tagged, so an untagged JSON object never occurs.

export type EValue = null | boolean | number | string | EValue[] | ETagged;

export type ETagged =
  /** JS undefined. */
  | { $: 'undefined' }
  /** A special float: NaN, ±Infinity, −0 (JS number or Python float). */
  | { $: 'num'; v: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  /** A Python float with an integral value (1.0), kept apart from the int 1. */
  | { $: 'float'; v: number }
  /** A JS BigInt (decimal text). */
  | { $: 'bigint'; v: string }
  /** A Python int outside ±2^53 (decimal text). */
  | { $: 'int'; v: string }
  | { $: 'complex'; re: EValue; im: EValue }
  /** A Python tuple (cls: the namedtuple's name). */
  | { $: 'tuple'; cls?: string; v: EValue[] }
  /** A JS object or a Python object's fields; cls is absent for plain objects / null-prototype objects. */
  | { $: 'object'; cls?: string; v: Array<[string, EValue]> }
  /** A Python dict (cls: a subclass such as OrderedDict, defaultdict, Counter). */
  | { $: 'dict'; cls?: string; v: Array<[EValue, EValue]> }
  /** A JS Map. */
  | { $: 'map'; cls?: string; v: Array<[EValue, EValue]> }
  /** A JS Set, a Python set or frozenset. */
  | { $: 'set'; cls?: string; v: EValue[] }
  /** A typed array (cls: Uint8Array, Float64Array, Buffer, ...). */
  | { $: 'typed'; cls: string; v: EValue[] }
  /** Raw bytes in hex: Python bytes/bytearray/memoryview, JS ArrayBuffer/DataView. */
  | { $: 'bytes'; cls?: string; v: string }
  /** A JS Date (ms since epoch, null when invalid) or a Python date/datetime/time (ISO text). */
  | { $: 'date'; cls?: string; v: number | string | null }
  | { $: 'regexp'; source: string; flags: string }
  /** An Error object used as a value (not thrown). */
  | { $: 'error'; cls: string; message: string }
  | { $: 'symbol'; v: string }
  /** A hole in a sparse JS array. */
  | { $: 'hole' }
  /** A generator/iterator consumed up to a cap; more = it had further items. */
  | { $: 'iter'; cls?: string; v: EValue[]; more: boolean }
  /** A reference back to an enclosing container, `up` levels above (cyclic structures). */
  | { $: 'cycle'; up: number }
  /** A value compared by its text: Decimal, Fraction, enum member, range, numpy scalar, ... */
  | { $: 'repr'; cls: string; v: string }
  /** Not capturable (function, Proxy, WeakMap, too large or too deep, ...): never equal to anything. */
  | { $: 'opaque'; kind: string; why: string }
  /** Display previews only: the rest was cut. */
  | { $: 'truncated'; count?: number };

export type ETag = ETagged['$'];

export const isTagged = (v: EValue): v is ETagged => v !== null && typeof v === 'object' && !Array.isArray(v);

/** True when a value contains something that cannot be compared (an opaque part). */
export function containsOpaque(v: EValue): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(containsOpaque);
  switch (v.$) {
    case 'opaque':
      return true;
    case 'tuple':
    case 'set':
    case 'typed':
    case 'iter':
      return v.v.some(containsOpaque);
    case 'object':
      return v.v.some(([, x]) => containsOpaque(x));
    case 'dict':
    case 'map':
      return v.v.some(([k, x]) => containsOpaque(k) || containsOpaque(x));
    case 'complex':
      return containsOpaque(v.re) || containsOpaque(v.im);
    default:
      return false;
  }
}

/** The first opaque part's reason, for messages. */
export function opaqueReason(v: EValue): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const children: EValue[] = Array.isArray(v)
    ? v
    : v.$ === 'opaque'
      ? []
      : v.$ === 'tuple' || v.$ === 'set' || v.$ === 'typed' || v.$ === 'iter'
        ? v.v
        : v.$ === 'object'
          ? v.v.map(([, x]) => x)
          : v.$ === 'dict' || v.$ === 'map'
            ? v.v.flat()
            : [];
  if (!Array.isArray(v) && v.$ === 'opaque') return `${v.kind}: ${v.why}`;
  for (const c of children) {
    const r = opaqueReason(c);
    if (r) return r;
  }
  return undefined;
}
