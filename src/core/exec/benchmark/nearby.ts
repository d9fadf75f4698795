// Nearby inputs for the cold-versus-warm check: the same generated cases with two elements of the
// first list (or characters of the first string) swapped; `variant` picks which two. For honest code such an input costs the
// same as the original one once the code is warm; a rewrite that remembers answers from earlier
// calls has never seen it. Built by wrapping the generator's code, so both harnesses run it as
// they run any generator (and the cases are never compared: only timed).
import { runtimeOf, type LanguageId } from '../../languages/types';

const js = (v: number): string => `
;const __effoptNearbyInner = generate;
function __effoptNearby(args) {
  const out = Array.from(args);
  const swap = (xs) => { const ys = Array.from(xs); const i = Math.min(${v}, ys.length - 2), j = ys.length - 1 - Math.min(${v}, Math.floor((ys.length - 2) / 2)); const t = ys[i]; ys[i] = ys[j]; ys[j] = t; return ys; };
  for (let i = 0; i < out.length; i++) {
    const a = out[i];
    if (Array.isArray(a) && a.length >= 2) { out[i] = swap(a); return out; }
    if (typeof a === 'string' && a.length >= 2) { out[i] = swap(Array.from(a)).join(''); return out; }
    if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
      for (const k of Object.keys(a)) if (Array.isArray(a[k]) && a[k].length >= 2) { out[i] = { ...a, [k]: swap(a[k]) }; return out; }
    }
  }
  return out;
}
generate = function (rng) { return __effoptNearbyInner(rng).map(__effoptNearby); };
`;

const py = (v: number): string => `

__effopt_nearby_inner = generate


def __effopt_nearby(args):
    out = list(args)
    for i, a in enumerate(out):
        if type(a) in (list, tuple, str) and len(a) >= 2:
            out[i] = __effopt_swap(a)
            return out
        if type(a) is dict:
            for k, v in a.items():
                if type(v) in (list, tuple, str) and len(v) >= 2:
                    out[i] = dict(a)
                    out[i][k] = __effopt_swap(v)
                    return out
    return out


def __effopt_swap(xs):
    b = list(xs)
    i = min(${v}, len(b) - 2)
    j = len(b) - 1 - min(${v}, (len(b) - 2) // 2)
    b[i], b[j] = b[j], b[i]
    return ''.join(b) if type(xs) is str else type(xs)(b)


def generate(rng):
    return [__effopt_nearby(c) for c in __effopt_nearby_inner(rng)]
`;

/** The generator's code (already runnable in the runtime) made to build nearby cases instead. */
export function nearbyGenerator(language: LanguageId, code: string, variant: number): string {
  return runtimeOf(language) === 'python' ? code + py(variant) : code + js(variant);
}

/** How many nearby variants each case gets (the fastest counts: the first may still pay for a JIT deoptimisation). */
export const NEARBY_VARIANTS = 3;
