// How big a generated case is, for reports ("n = 200,000"), read from the case's encoded
// arguments (values.ts) so that both harnesses answer alike. The rule, kept simple:
// - a container's size is its length: arrays, strings, tuples, sets, maps, dicts, typed arrays,
//   plain objects (their keys), bytes; a class instance (a receiver, a wrapper) is not itself a
//   collection: its size is the largest size among its fields, one level down;
// - a case's size is the largest size among its arguments; only when no argument is a container,
//   the largest absolute value of an integer argument (fib(30), sieve(10**6));
// - null when nothing tells (the arguments were too large to encode, or are floats only).
// The Python harness mirrors this in _case_size (python_harness.py).
import type { EValue } from './values';

// Captured at load: inside the Node harness this runs before any code under test could patch them.
const isArray = Array.isArray;
const abs = Math.abs;
const isInteger = Number.isInteger;
const toNumber = Number;

function containerSize(v: EValue, nested: boolean): number | null {
  if (typeof v === 'string') return v.length;
  if (isArray(v)) return v.length;
  if (v === null || typeof v !== 'object') return null;
  switch (v.$) {
    case 'tuple':
    case 'set':
    case 'typed':
    case 'iter':
    case 'dict':
    case 'map':
      return v.v.length;
    case 'bytes':
      return v.v.length / 2;
    case 'object': {
      if (v.cls === undefined) return v.v.length;
      if (nested) return null;
      let best: number | null = null;
      for (let i = 0; i < v.v.length; i++) {
        const s = containerSize(v.v[i][1], true);
        if (s !== null && (best === null || s > best)) best = s;
      }
      return best;
    }
    default:
      return null;
  }
}

function integerSize(v: EValue): number | null {
  if (typeof v === 'number') return isInteger(v) ? abs(v) : null;
  if (v !== null && typeof v === 'object' && !isArray(v) && (v.$ === 'bigint' || v.$ === 'int')) return abs(toNumber(v.v));
  return null;
}

/** The size of one case from its encoded argument list (see the rule above). */
export function caseSize(args: EValue): number | null {
  if (!isArray(args)) return null;
  let best: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const s = containerSize(args[i], false);
    if (s !== null && (best === null || s > best)) best = s;
  }
  if (best !== null) return best;
  for (let i = 0; i < args.length; i++) {
    const s = integerSize(args[i]);
    if (s !== null && (best === null || s > best)) best = s;
  }
  return best;
}

/** "n = 200,000" (thousands separators, locale-independent). */
export function sizeText(n: number): string {
  const whole = Math.round(n);
  return `n = ${Number.isSafeInteger(whole) ? String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole.toPrecision(3)}`;
}
