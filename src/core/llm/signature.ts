// Does a rewrite keep the original's signature? Compares the parameter texts tree-sitter reports
// (FunctionInfo.params): count, order, names (destructuring patterns included), rest/variadic
// markers, optional markers and default values. Type annotations may change (a note, not a
// rejection): callers see the same names, arity and defaults. Whitespace never matters.
import type { LanguageId } from '../languages/types';

export interface ParamShape {
  /** '', '...' (JS rest), '*' or '**' (Python variadics). */
  rest: string;
  /** Name or destructuring pattern, whitespace removed; Python's bare `*` and `/` markers too. */
  name: string;
  /** TypeScript `?`. */
  optional: boolean;
  /** Default value text, whitespace removed (undefined when none). */
  defaultValue?: string;
  /** Annotation text, whitespace removed. */
  type?: string;
}

const squash = (s: string): string => s.replace(/\s+/g, '');

/** Splits one parameter's source text into its parts (top-level `:` and `=` only). */
export function parseParam(text: string, language: LanguageId): ParamShape {
  let rest = '';
  let body = text.trim();
  if (language === 'python') {
    const m = /^(\*\*|\*)/.exec(body);
    if (m && body !== '*') {
      rest = m[1];
      body = body.slice(m[1].length).trim();
    }
  } else if (body.startsWith('...')) {
    rest = '...';
    body = body.slice(3).trim();
  }
  // The default's `=`, not `==`, `=>`, `<=`, `>=`, `!=`.
  const eq = topLevelIndex(body, (s, i) => s[i] === '=' && s[i + 1] !== '=' && s[i + 1] !== '>' && !['=', '!', '<', '>'].includes(s[i - 1]));
  const head = eq < 0 ? body : body.slice(0, eq);
  const defaultValue = eq < 0 ? undefined : squash(body.slice(eq + 1));
  const colon = topLevelIndex(head, (s, i) => s[i] === ':');
  let name = colon < 0 ? head : head.slice(0, colon);
  const type = colon < 0 ? undefined : squash(head.slice(colon + 1));
  let optional = false;
  name = name.trim();
  if (language !== 'python' && name.endsWith('?')) {
    optional = true;
    name = name.slice(0, -1);
  }
  // TypeScript parameter properties / modifiers do not change the call signature's names.
  name = name.replace(/^(public|private|protected|readonly|override)\s+/g, '');
  return { rest, name: squash(name), optional, defaultValue, type };
}

/** First index where `match` holds outside brackets and strings. */
function topLevelIndex(s: string, match: (s: string, i: number) => boolean): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && match(s, i)) return i;
  }
  return -1;
}

export interface SignatureComparison {
  same: boolean;
  /** Why it is not the same signature (reasons to reject). */
  problems: string[];
  /** Harmless differences worth reporting (type annotations). */
  notes: string[];
}

export interface SignatureSide {
  params: string[];
  async?: boolean;
  generator?: boolean;
}

export function compareSignatures(original: SignatureSide, candidate: SignatureSide, language: LanguageId): SignatureComparison {
  const problems: string[] = [];
  const notes: string[] = [];
  const a = original.params.map((p) => parseParam(p, language));
  const b = candidate.params.map((p) => parseParam(p, language));
  if (a.length !== b.length) {
    problems.push(
      `${b.length} parameter${b.length === 1 ? '' : 's'} (${candidate.params.join(', ') || 'none'}) instead of ${a.length} (${original.params.join(', ') || 'none'})`,
    );
  } else {
    a.forEach((p, i) => {
      const q = b[i];
      const label = `parameter ${i + 1} (\`${original.params[i].trim()}\`)`;
      if (p.rest !== q.rest) problems.push(`${label} changed its rest marker to \`${candidate.params[i].trim()}\``);
      if (p.name !== q.name) problems.push(`${label} was renamed to \`${q.name}\``);
      if (p.optional !== q.optional) problems.push(`${label} ${q.optional ? 'became' : 'is no longer'} optional`);
      if (p.defaultValue !== q.defaultValue) {
        problems.push(
          p.defaultValue === undefined
            ? `${label} gained a default value`
            : q.defaultValue === undefined
              ? `${label} lost its default value`
              : `${label} changed its default value to \`${q.defaultValue}\``,
        );
      }
      if (p.type !== q.type) notes.push(`type of parameter \`${p.name}\` changed from \`${p.type ?? 'none'}\` to \`${q.type ?? 'none'}\``);
    });
  }
  if (Boolean(original.async) !== Boolean(candidate.async)) problems.push(candidate.async ? 'became async' : 'is no longer async');
  if (Boolean(original.generator) !== Boolean(candidate.generator)) problems.push(candidate.generator ? 'became a generator' : 'is no longer a generator');
  return { same: problems.length === 0, problems, notes };
}
