// Readable text for captured values, in the flavour of the function's language, for diffs and
// reports: `[1, 2, Map(1) {'a' => 1}]` for JavaScript, `(1, 2)` / `{'a': 1}` / `None` for Python.
import type { EValue, ETagged } from './values';

export type Flavour = 'js' | 'py';

export interface RenderOptions {
  flavour: Flavour;
  /** Cut the text after this many characters (default 400). */
  maxChars?: number;
  /** Show at most this many items per container (default 20). */
  maxItems?: number;
}

class Budget {
  used = 0;
  constructor(readonly max: number) {}
  get exhausted(): boolean {
    return this.used >= this.max;
  }
}

// Characters a reader cannot see or tell from a plain space (no-break and em spaces, zero-width
// and bidi marks, controls) are escaped, so "expected X, got X" never shows two identical texts.
const INVISIBLE = /(?! )[\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}]/gu;
const escapeInvisible = (s: string, flavour: Flavour): string =>
  s.replace(INVISIBLE, (ch) => {
    const cp = ch.codePointAt(0)!;
    const hex = cp.toString(16).padStart(4, '0');
    return cp <= 0xffff ? `\\u${hex}` : flavour === 'py' ? `\\U${hex.padStart(8, '0')}` : `\\u{${hex}}`;
  });

const pyStr = (s: string): string => {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return (
    q +
    escapeInvisible(
      s
        .replace(/\\/g, '\\\\')
        .replace(/\n/g, '\\n')
        .replace(/\t/g, '\\t')
        .replace(new RegExp(q, 'g'), '\\' + q),
      'py',
    ) +
    q
  );
};
const jsStr = (s: string): string => escapeInvisible(JSON.stringify(s), 'js');

function num(n: number, flavour: Flavour): string {
  if (Number.isInteger(n) && flavour === 'py') return String(n);
  return String(n);
}

function renderInner(v: EValue, o: Required<RenderOptions>, b: Budget, depth: number): string {
  if (b.exhausted) return '…';
  const py = o.flavour === 'py';
  const out = (s: string): string => {
    b.used += s.length;
    return s;
  };
  if (v === null) return out(py ? 'None' : 'null');
  if (typeof v === 'boolean') return out(py ? (v ? 'True' : 'False') : String(v));
  if (typeof v === 'number') return out(num(v, o.flavour));
  if (typeof v === 'string') return out(py ? pyStr(v) : jsStr(v));
  if (depth > 12) return out('…');
  const items = (xs: EValue[]): string => {
    const parts: string[] = [];
    for (let i = 0; i < xs.length; i++) {
      if (i >= o.maxItems || b.exhausted) {
        parts.push(`… ${xs.length - i} more`);
        break;
      }
      parts.push(renderInner(xs[i], o, b, depth + 1));
    }
    return parts.join(', ');
  };
  const pairs = (xs: Array<[EValue, EValue]>, sep: string, keyAsIdent = false): string => {
    const parts: string[] = [];
    for (let i = 0; i < xs.length; i++) {
      if (i >= o.maxItems || b.exhausted) {
        parts.push(`… ${xs.length - i} more`);
        break;
      }
      const [k, x] = xs[i];
      const key = keyAsIdent && typeof k === 'string' && /^[A-Za-z_$][\w$]*$/.test(k) ? out(k) : renderInner(k, o, b, depth + 1);
      parts.push(`${key}${sep}${renderInner(x, o, b, depth + 1)}`);
    }
    return parts.join(', ');
  };
  if (Array.isArray(v)) return `[${items(v)}]`;
  const t = v as ETagged;
  switch (t.$) {
    case 'undefined':
      return out('undefined');
    case 'num':
      if (py) return out(t.v === 'NaN' ? 'nan' : t.v === 'Infinity' ? 'inf' : t.v === '-Infinity' ? '-inf' : '-0.0');
      return out(t.v);
    case 'float':
      return out(Number.isInteger(t.v) && Math.abs(t.v) < 1e16 ? t.v.toFixed(1) : String(t.v));
    case 'bigint':
      return out(t.v + 'n');
    case 'int':
      return out(t.v);
    case 'complex':
      return `complex(${renderInner(t.re, o, b, depth + 1)}, ${renderInner(t.im, o, b, depth + 1)})`;
    case 'tuple':
      return `${t.cls ?? ''}(${items(t.v)}${t.v.length === 1 && !t.cls ? ',' : ''})`;
    case 'object': {
      const body = pairs(
        t.v.map(([k, x]) => [k, x] as [EValue, EValue]),
        py ? '=' : ': ',
        true,
      );
      if (py) return `${t.cls ?? 'object'}(${body})`;
      return `${t.cls ? t.cls + ' ' : ''}{${body ? ' ' + body + ' ' : ''}}`;
    }
    case 'dict':
      return `${t.cls ? t.cls + '(' : ''}{${pairs(t.v, ': ')}}${t.cls ? ')' : ''}`;
    case 'map':
      return `${t.cls ?? 'Map'}(${t.v.length}) {${pairs(t.v, ' => ')}}`;
    case 'set':
      if (py) return t.v.length === 0 ? `${t.cls ?? 'set'}()` : `${t.cls ? t.cls + '(' : ''}{${items(t.v)}}${t.cls ? ')' : ''}`;
      return `${t.cls ?? 'Set'}(${t.v.length}) {${items(t.v)}}`;
    case 'typed':
      return `${t.cls}(${t.v.length}) [${items(t.v)}]`;
    case 'bytes': {
      const shown = t.v.length > 2 * o.maxItems * 4 ? t.v.slice(0, 2 * o.maxItems * 4) + '…' : t.v;
      return out(py ? `${t.cls ?? 'bytes'}.fromhex('${shown}')` : `${t.cls ?? 'ArrayBuffer'} <${shown}>`);
    }
    case 'date':
      return out(typeof t.v === 'number' ? `Date(${new Date(t.v).toISOString()})` : t.v === null ? 'Invalid Date' : `${t.cls ?? 'date'}(${t.v})`);
    case 'regexp':
      return out(`/${t.source}/${t.flags}`);
    case 'error':
      return out(`${t.cls}(${py ? pyStr(t.message) : jsStr(t.message)})`);
    case 'symbol':
      return out(`Symbol(${t.v})`);
    case 'hole':
      return out('<empty>');
    case 'iter':
      return `${t.cls ?? 'iterator'}<${items(t.v)}${t.more ? ', …' : ''}>`;
    case 'cycle':
      return out(`<cycle ↑${t.up}>`);
    case 'repr':
      return out(t.v);
    case 'opaque':
      return out(`<${t.kind}: ${t.why}>`);
    case 'truncated':
      return out(t.count !== undefined ? `… ${t.count} more` : '…');
  }
}

/** One value as text, cut to `maxChars`. */
export function renderValue(v: EValue, options: RenderOptions): string {
  const o: Required<RenderOptions> = { maxChars: 400, maxItems: 20, ...options };
  const text = renderInner(v, o, new Budget(o.maxChars), 0);
  return text.length > o.maxChars ? text.slice(0, o.maxChars - 1) + '…' : text;
}

/**
 * An argument list as a call: `(1, [2, 3])`. For an instance method (`receiver` set, argument 0
 * is the instance): `this = Bag {items: [1]}; args (3)`.
 */
export function renderArgs(args: readonly EValue[], options: RenderOptions, receiver?: 'this' | 'self'): string {
  const call = (list: readonly EValue[]): string =>
    renderValue([...list], options)
      .replace(/^\[/, '(')
      .replace(/\]$/, ')');
  if (!receiver || args.length === 0) return call(args);
  return `${receiver} = ${renderValue(args[0], options)}; args ${call(args.slice(1))}`;
}
