// Syntax colouring for the rewritten function: a small tokenizer for JavaScript/TypeScript and
// Python (keywords, strings, comments, numbers). Plain data out; the panel renders each token as
// a text node in a <span> whose class maps to a theme colour (report.css).

export type TokenKind = 'keyword' | 'string' | 'comment' | 'number' | 'plain';
export interface Token {
  kind: TokenKind;
  text: string;
}

const JS_KEYWORDS = new Set(
  'async await break case catch class const continue debugger default delete do else export extends false finally for from function if import in instanceof let new null of return static super switch this throw true try typeof undefined var void while with yield as interface type enum implements private protected public readonly declare abstract keyof infer is namespace satisfies'.split(
    ' ',
  ),
);
const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case self'.split(
    ' ',
  ),
);

type Lang = 'js' | 'python';

export function languageOf(id: string): Lang | undefined {
  const l = id.toLowerCase();
  if (['javascript', 'js', 'jsx', 'javascriptreact', 'typescript', 'ts', 'tsx', 'typescriptreact', 'mjs', 'cjs'].includes(l)) return 'js';
  if (['python', 'py', 'python3'].includes(l)) return 'python';
  return undefined;
}

function scanners(lang: Lang): RegExp {
  const parts =
    lang === 'python'
      ? [
          String.raw`(?<comment>#[^\n]*)`,
          String.raw`(?<string>[rRbBuUfF]{0,2}(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?))`,
        ]
      : [
          String.raw`(?<comment>\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))`,
          String.raw`(?<string>"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?|\x60(?:\\.|[^\x60\\])*\x60?)`,
        ];
  parts.push(
    String.raw`(?<number>\b(?:0[xXbBoO][\da-fA-F_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?n?|\.\d+(?:[eE][+-]?\d+)?)\b)`,
    String.raw`(?<word>[A-Za-z_$][\w$]*)`,
  );
  return new RegExp(parts.join('|'), 'g');
}

/** Tokens covering the whole text in order (their texts concatenate back to the input). */
export function highlight(code: string, languageId: string): Token[] {
  const lang = languageOf(languageId);
  if (!lang) return code ? [{ kind: 'plain', text: code }] : [];
  const keywords = lang === 'python' ? PY_KEYWORDS : JS_KEYWORDS;
  const out: Token[] = [];
  const push = (kind: TokenKind, text: string): void => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  const re = scanners(lang);
  let at = 0;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    push('plain', code.slice(at, m.index));
    const g = m.groups!;
    if (g.comment !== undefined) push('comment', m[0]);
    else if (g.string !== undefined) push('string', m[0]);
    else if (g.number !== undefined) push('number', m[0]);
    else push(keywords.has(m[0]) ? 'keyword' : 'plain', m[0]);
    at = m.index + m[0].length;
  }
  push('plain', code.slice(at));
  return out;
}
