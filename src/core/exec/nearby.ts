// Nearby inputs for the cold-versus-warm check: the same generated cases with two elements of the
// first list (or characters of the first string) swapped. For honest code such an input costs the
// same as the original one once the code is warm; a rewrite that remembers answers from earlier
// calls has never seen it. Built by wrapping the generator's code, so both harnesses run it as
// they run any generator (and the cases are never compared: only timed).
import { runtimeOf, type LanguageId } from '../languages/types';

const JS = `
;const __effoptNearbyInner = generate;
function __effoptNearby(args) {
  const out = Array.from(args);
  const swap = (xs) => { const ys = Array.from(xs); const t = ys[0]; ys[0] = ys[ys.length - 1]; ys[ys.length - 1] = t; return ys; };
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

const PY = `

__effopt_nearby_inner = generate


def __effopt_nearby(args):
    out = list(args)
    for i, a in enumerate(out):
        if type(a) in (list, tuple) and len(a) >= 2:
            b = list(a)
            b[0], b[-1] = b[-1], b[0]
            out[i] = type(a)(b)
            return out
        if type(a) is str and len(a) >= 2:
            out[i] = a[-1] + a[1:-1] + a[0]
            return out
        if type(a) is dict:
            for k, v in a.items():
                if type(v) is list and len(v) >= 2:
                    b = list(v)
                    b[0], b[-1] = b[-1], b[0]
                    out[i] = dict(a)
                    out[i][k] = b
                    return out
    return out


def generate(rng):
    return [__effopt_nearby(c) for c in __effopt_nearby_inner(rng)]
`;

/** The generator's code (already runnable in the runtime) made to build nearby cases instead. */
export function nearbyGenerator(language: LanguageId, code: string): string {
  return runtimeOf(language) === 'python' ? code + PY : code + JS;
}
