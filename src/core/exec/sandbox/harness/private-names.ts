// Finds `#private` names in JavaScript source (a class's text). An instance built without its
// constructor has none of its class's private fields, so a method whose class declares them
// cannot be run on a rebuilt receiver: the harness and the pipeline refuse such methods.
// Used inside the harness too, so it depends on nothing.

const IDENT_START = /[A-Za-z_$\u0080-\uffff]/;
const IDENT_PART = /[\w$\u0080-\uffff]/;
/** After these a `/` starts a regular expression literal rather than a division. */
const REGEX_BEFORE = /[(,=:[!&|?{};+\-*%<>~^]$|(?:^|[^\w$])(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/;

/**
 * The distinct `#name`s used in code (not in strings, comments, template text or regular
 * expressions). A regular expression the heuristic mistakes for a division can only add names,
 * never hide one: the caller refuses on the safe side.
 */
export function privateNames(source: string): string[] {
  const names = new Set<string>();
  // Template literal nesting: each entry is the brace depth at which a `${` was opened.
  const templates: number[] = [];
  let depth = 0;
  let last = ''; // code read so far, trimmed to a short tail (for the regex-or-division choice)
  let i = 0;
  const n = source.length;
  const skipString = (quote: string): void => {
    for (i++; i < n && source[i] !== quote; i++) if (source[i] === '\\') i++;
    i++;
  };
  /** Reads template text from i (just after ` or }) to the closing ` or the next `${`. */
  const templateText = (): void => {
    for (; i < n; i++) {
      const c = source[i];
      if (c === '\\') i++;
      else if (c === '`') {
        i++;
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        templates.push(depth);
        depth++;
        i += 2;
        return;
      }
    }
  };
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      skipString(c);
      last = '0';
    } else if (c === '`') {
      i++;
      templateText();
      last = '0';
    } else if (c === '/' && REGEX_BEFORE.test(last.trimEnd() || '(')) {
      let inClass = false;
      for (i++; i < n; i++) {
        const r = source[i];
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if ((r === '/' && !inClass) || r === '\n') break;
      }
      i++;
      while (i < n && IDENT_PART.test(source[i])) i++;
      last = '0';
    } else if (c === '#' && next !== undefined && IDENT_START.test(next) && !(i > 0 && IDENT_PART.test(source[i - 1]))) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(source[j])) j++;
      names.add(source.slice(i, j));
      last = 'x';
      i = j;
    } else {
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (templates.length > 0 && templates[templates.length - 1] === depth) {
          templates.pop();
          i++;
          templateText();
          last = '0';
          continue;
        }
      }
      if (!/\s/.test(c) || !/\s$/.test(last)) last = (last + c).slice(-12);
      i++;
    }
  }
  return [...names];
}
