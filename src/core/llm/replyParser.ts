// From a model's reply to a candidate rewrite the pipeline can run, or to a recorded rejection.
// The code block is chosen among several (wrong tags, prose, a missing fence, a block cut off by
// the token limit), the target function is found by name with tree-sitter among helpers and
// imports, and the signature is compared with the original's.
import type { LanguageId } from '../languages/types';
import { extractFunctions, normalizeCode } from '../parse';
import type { FunctionInfo, FunctionKind } from '../parse/types';
import { extractCodeBlocks, proseAround, stripThinking, tagFamily, type CodeBlock } from './codeBlocks';
import { compareSignatures } from './signature';
import type { ChatReply, FinishReason } from './types';

/** What the parser needs to know about the function being rewritten. */
export interface OriginalFunction {
  language: LanguageId;
  name: string;
  /** `Class.method`; defaults to `name`. */
  qualifiedName?: string;
  kind?: FunctionKind;
  /** Parameter texts as tree-sitter reports them (FunctionInfo.params). */
  params: string[];
  async?: boolean;
  generator?: boolean;
  /** The original's source; when given, a rewrite identical up to formatting is rejected. */
  code?: string;
}

export type CandidateRejectReason =
  | 'empty' // nothing in the reply
  | 'filtered' // the provider's content filter stopped the reply
  | 'no-code' // prose only
  | 'truncated' // the code was cut off by the token limit
  | 'syntax-error' // the code does not parse
  | 'function-missing' // parses, but defines no function of that name
  | 'signature-changed'
  | 'unchanged' // the original again, up to formatting and comments
  | 'duplicate'; // same code as an earlier candidate, up to formatting and comments

export interface HelperFunction {
  name: string;
  code: string;
}

export interface AcceptedCandidate {
  ok: true;
  /** The whole code block: imports, helpers and the target function, as the model wrote it. */
  code: string;
  /** Just the target function's text (what replaces the original in the file). */
  functionCode: string;
  /** The target as tree-sitter sees it in `code` (offsets into `code`). */
  target: FunctionInfo;
  /** Other top-level functions the block defines. */
  helpers: HelperFunction[];
  /** Import statements of the block. */
  imports: string[];
  /** The model's explanation (prose after or before the block). */
  explanation: string;
  /** Harmless oddities: missing fence, wrong tag, several blocks, type annotations changed… */
  notes: string[];
  /** `code` with comments and formatting normalised (for de-duplication). */
  normalized: string;
}

export interface RejectedCandidate {
  ok: false;
  reason: CandidateRejectReason;
  /** One human sentence: what exactly is wrong. */
  detail: string;
  /** The code that was examined, when there was any. */
  code?: string;
  /** For a duplicate: the normalised code it shares with the earlier candidate (to find that one). */
  normalized?: string;
}

export type CandidateParse = AcceptedCandidate | RejectedCandidate;

export interface ParseCandidateOptions {
  signal?: AbortSignal;
}

const reject = (reason: CandidateRejectReason, detail: string, code?: string): RejectedCandidate => ({ ok: false, reason, detail, code });

interface Examined {
  block: CodeBlock | undefined;
  code: string;
  functions: FunctionInfo[];
  syntaxErrors: Array<{ line: number; column: number; message: string }>;
  /** Characters added in front of `code` to parse a bare method (class wrapper). */
  wrapOffset: number;
  target?: FunctionInfo;
}

/** Parses one reply (text or ChatReply) into an accepted candidate or a reasoned rejection. */
export async function parseCandidateReply(reply: string | ChatReply, original: OriginalFunction, options: ParseCandidateOptions = {}): Promise<CandidateParse> {
  const text = typeof reply === 'string' ? reply : reply.text;
  const finish: FinishReason = typeof reply === 'string' ? 'unknown' : reply.finishReason;
  if (finish === 'filtered') return reject('filtered', "The provider's content filter stopped the reply.");
  const cleaned = stripThinking(text);
  if (cleaned.trim() === '') return reject('empty', text.trim() === '' ? 'The reply was empty.' : "The reply held only the model's reasoning, no answer.");

  const notes: string[] = [];
  const blocks = extractCodeBlocks(cleaned);
  let examined: Examined[];
  if (blocks.length > 0) {
    examined = [];
    for (const block of blocks) examined.push(await examine(block.code, block, original, options));
  } else {
    const bare = await findUnfencedCode(cleaned, original, options);
    if (!bare) {
      return finish === 'length'
        ? reject('truncated', 'The reply was cut off by the token limit before any code; raise effopt.maxTokens.')
        : reject('no-code', 'The reply contains no code block and no parsable code.');
    }
    notes.push('no code fence: the code was taken from the plain reply');
    examined = [bare];
  }

  const usable = examined.filter((e) => e.target && e.syntaxErrors.length === 0);
  if (usable.length === 0) return explainFailure(examined, original, finish);
  // Several blocks defining the target: the last one is the answer ("original: … optimised: …").
  let chosen = usable[usable.length - 1];
  if (usable.length > 1) notes.push(`${usable.length} code blocks define \`${original.name}\`; the last one was used`);
  if (chosen.block && blocks.length > 1 && usable.length === 1)
    notes.push(`${blocks.length} code blocks in the reply; the one defining \`${original.name}\` was used`);
  chosen = await mergeHelperBlocks(chosen, examined, original, notes, options);

  const family = chosen.block ? tagFamily(chosen.block.tag) : 'none';
  const expected = original.language === 'python' ? 'python' : 'js';
  if (family !== 'none' && family !== expected) notes.push(`the block was tagged \`${chosen.block?.tag}\` but parses as ${original.language}`);

  const target = chosen.target as FunctionInfo;
  const signature = compareSignatures(original, target, original.language);
  if (!signature.same)
    return reject('signature-changed', `The rewrite changed the signature of \`${original.name}\`: ${signature.problems.join('; ')}.`, chosen.code);
  notes.push(...signature.notes);
  if (original.kind === 'arrow' && target.kind !== 'arrow') notes.push(`\`${original.name}\` was an arrow function and is now a ${target.kind}`);

  const functionCode = chosen.code.slice(target.startOffset - chosen.wrapOffset, target.endOffset - chosen.wrapOffset);
  if (original.kind === 'getter') {
    // Callers read a getter as a property: a rewrite as a plain method would break every one of them.
    const want = getterForm(original.code ?? '', 'getter', original.language) ?? (original.language === 'python' ? 'property' : 'get');
    const got = getterForm(functionCode, target.kind, original.language);
    if (got !== want)
      return reject(
        'signature-changed',
        `\`${original.name}\` is a property getter and must stay one: ${original.language === 'python' ? `keep its \`@${want}\` decorator` : `keep it \`get ${original.name}()\``}${got ? ` (the rewrite uses \`@${got}\`)` : ''}.`,
        chosen.code,
      );
  }
  const normalized = await normalizeCode(chosen.code, original.language, options);
  if (original.code !== undefined) {
    const before = await normalizeCode(original.code, original.language, options).catch(() => undefined);
    const after = await normalizeCode(functionCode, original.language, options).catch(() => undefined);
    if (before !== undefined && before === after)
      return reject('unchanged', 'The rewrite is the original function again (up to formatting and comments).', chosen.code);
  }
  const helpers = topLevelFunctions(chosen)
    .filter((f) => f !== target && !isInside(f, target))
    .map((f) => ({ name: f.name, code: chosen.code.slice(f.startOffset - chosen.wrapOffset, f.endOffset - chosen.wrapOffset) }));
  const prose = proseAround(cleaned, chosen.block ? [chosen.block] : []);
  const explanation = clip(prose.after || prose.before, 1200);
  const shifted: FunctionInfo =
    chosen.wrapOffset === 0
      ? target
      : {
          ...target,
          startOffset: target.startOffset - chosen.wrapOffset,
          endOffset: target.endOffset - chosen.wrapOffset,
          startLine: target.startLine - 1,
          endLine: target.endLine - 1,
        };
  if (finish === 'length') notes.push('the reply hit the token limit after the code (the explanation may be cut)');
  return {
    ok: true,
    code: chosen.code,
    functionCode,
    target: shifted,
    helpers,
    imports: importsOf(chosen.code, original.language),
    explanation,
    notes,
    normalized,
  };
}

/** How a getter is written: Python's decorator (`property`, `cached_property`), or `get` in JS/TS; undefined for a plain function. */
function getterForm(functionCode: string, kind: FunctionKind | undefined, language: LanguageId): string | undefined {
  if (language !== 'python') return kind === 'getter' ? 'get' : undefined;
  const def = functionCode.search(/^[ \t]*(?:async[ \t]+)?def\b/m);
  const decorators = functionCode.slice(0, Math.max(0, def));
  return /^[ \t]*@[ \t]*(?:functools\.)?(cached_property|property)\b/m.exec(decorators)?.[1];
}

/** Parses a piece of code and locates the target; bare methods are parsed inside a class. */
async function examine(code: string, block: CodeBlock | undefined, original: OriginalFunction, options: ParseCandidateOptions): Promise<Examined> {
  const direct = await extractFunctions(code, original.language, { signal: options.signal });
  const first: Examined = {
    block,
    code,
    functions: direct.functions,
    syntaxErrors: direct.syntaxErrors,
    wrapOffset: 0,
    target: findTarget(direct.functions, original),
  };
  if (first.target && first.syntaxErrors.length === 0) return first;
  const isMember = original.kind === 'method' || original.kind === 'objectMethod' || original.kind === 'getter' || original.kind === 'setter';
  if (isMember && original.language !== 'python' && first.syntaxErrors.length > 0) {
    // `foo(a) { … }` alone is not a program; inside a class body it is.
    const prefix = 'class __EffoptCandidate__ {\n';
    const wrapped = await extractFunctions(`${prefix}${code}\n}`, original.language, { signal: options.signal });
    const target = findTarget(wrapped.functions, original);
    if (target && wrapped.syntaxErrors.length === 0) {
      return { block, code, functions: wrapped.functions, syntaxErrors: [], wrapOffset: prefix.length, target };
    }
  }
  return first;
}

/** The function named like the original: same qualified name, else top-level, else any. */
function findTarget(functions: FunctionInfo[], original: OriginalFunction): FunctionInfo | undefined {
  const named = functions.filter((f) => f.name === original.name);
  if (named.length === 0) return undefined;
  const qualified = original.qualifiedName ?? original.name;
  return (
    named.find((f) => f.qualifiedName === qualified) ??
    named.find((f) => f.qualifiedName === f.name) ??
    named.find((f) => f.qualifiedName.endsWith(`.${original.name}`) && f.kind !== 'function') ??
    named[0]
  );
}

/** No fence: the code starts at the first code-looking line; trailing prose is trimmed off. */
async function findUnfencedCode(text: string, original: OriginalFunction, options: ParseCandidateOptions): Promise<Examined | undefined> {
  const lines = text.split('\n');
  const codeStart =
    original.language === 'python'
      ? /^\s*(def |async def |class |import |from |@)/
      : /^\s*(export |function |async |const |let |var |class |import |static |get |set |\*?\s*[A-Za-z_$][\w$]*\s*\(.*\)\s*(:\s*[^{]+)?\{\s*$)/;
  const first = lines.findIndex((l) => codeStart.test(l));
  if (first < 0) return undefined;
  const lead = leadingStatements(lines, first, original.language);
  // With the leading statements first; if they were prose after all (no parse), without them.
  for (const start of lead < first ? [lead, first] : [first]) {
    for (let end = lines.length, tries = 0; end > start && tries < 40; end--, tries++) {
      const code = lines.slice(start, end).join('\n').replace(/\s+$/, '');
      if (!code.includes(original.name)) break;
      const e = await examine(code, undefined, original, options);
      if (e.target && e.syntaxErrors.length === 0) return e;
    }
  }
  return undefined;
}

/**
 * Where the code really starts when module-level statements (`ZERO = 0`, `LIMIT: int = 10`) come
 * before the first def/import/class line: the run of such assignments (with comments and blank
 * lines) right before it is code when it starts the reply or follows a header comment; anything
 * else before it is prose. Returns `first` when there is no such run.
 */
function leadingStatements(lines: readonly string[], first: number, language: LanguageId): number {
  const comment = language === 'python' ? /^\s*#/ : /^\s*\/\//;
  const assignment =
    language === 'python' ? /^[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*\s*(:[^=\n]+)?=(?!=)\s*\S/ : /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*\s*=(?![=>])\s*\S/;
  let i = first;
  let sawAssignment = false;
  while (i > 0) {
    const line = lines[i - 1];
    if (line.trim() === '' || comment.test(line)) i--;
    else if (assignment.test(line)) {
      sawAssignment = true;
      i--;
    } else break;
  }
  if (!sawAssignment) return first;
  while (i < first && lines[i].trim() === '') i++;
  // At the reply's start, or after a header comment: code. After prose: only from the comment on.
  if (i === 0 || comment.test(lines[i])) return i;
  return first;
}

/** Helpers the model put in a separate block ("first add this helper: …"): prepended. */
async function mergeHelperBlocks(
  chosen: Examined,
  all: Examined[],
  original: OriginalFunction,
  notes: string[],
  options: ParseCandidateOptions,
): Promise<Examined> {
  const defined = new Set(chosen.functions.map((f) => f.name));
  const extra = all.filter(
    (e) =>
      e !== chosen &&
      e.syntaxErrors.length === 0 &&
      !e.target &&
      e.functions.length > 0 &&
      e.functions.some((f) => f.qualifiedName === f.name && !defined.has(f.name) && new RegExp(`\\b${escapeRegex(f.name)}\\s*\\(`).test(chosen.code)),
  );
  if (extra.length === 0) return chosen;
  const merged = [...extra.map((e) => e.code), chosen.code].join('\n\n');
  const again = await examine(merged, chosen.block, original, options);
  if (!again.target || again.syntaxErrors.length > 0) return chosen;
  notes.push(`helper${extra.length > 1 ? 's' : ''} from ${extra.length} other code block${extra.length > 1 ? 's' : ''} merged in front of the function`);
  return { ...again, block: chosen.block };
}

function explainFailure(examined: Examined[], original: OriginalFunction, finish: FinishReason): RejectedCandidate {
  const cut = examined.find((e) => e.block && !e.block.closed);
  if (cut || finish === 'length') {
    return reject(
      'truncated',
      'The code was cut off by the token limit before it was complete; raise effopt.maxTokens.',
      (cut ?? examined[examined.length - 1]).code,
    );
  }
  const mentioning = examined.filter((e) => e.code.includes(original.name));
  const broken = (mentioning.length > 0 ? mentioning : examined).find((e) => e.syntaxErrors.length > 0);
  if (broken) {
    const err = broken.syntaxErrors[0];
    const hint =
      original.language === 'javascript' && /:\s*(number|string|boolean|any)\b|interface |<[A-Z]\w*>/.test(broken.code) ? ' (it looks like TypeScript)' : '';
    return reject(
      'syntax-error',
      `The code does not parse as ${original.language}${hint}: line ${err.line}, column ${err.column + 1}: ${err.message}.`,
      broken.code,
    );
  }
  const found = examined.flatMap((e) => e.functions.map((f) => f.qualifiedName));
  return reject(
    'function-missing',
    found.length > 0
      ? `The code defines ${found.map((n) => `\`${n}\``).join(', ')} but no function named \`${original.name}\`.`
      : `The code defines no function named \`${original.name}\`.`,
    examined.map((e) => e.code).join('\n\n'),
  );
}

function topLevelFunctions(e: Examined): FunctionInfo[] {
  return e.functions.filter((f) => e.functions.every((g) => g === f || !isInside(f, g)));
}

const isInside = (inner: FunctionInfo, outer: FunctionInfo): boolean =>
  inner !== outer && inner.startOffset >= outer.startOffset && inner.endOffset <= outer.endOffset;

function importsOf(code: string, language: LanguageId): string[] {
  const pattern =
    language === 'python'
      ? /^(?:import\s+\S.*|from\s+\S+\s+import\s+.*)$/gm
      : /^(?:import\s[^;\n]*(?:;|$)|(?:const|let|var)\s+[^=\n]+=\s*require\([^)]*\);?)/gm;
  return [...code.matchAll(pattern)].map((m) => m[0].trim());
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Replaces every accepted candidate whose normalised code equals an earlier one by a `duplicate`
 * rejection naming the first (1-based) and keeping the normalised code, keeping order. The
 * pipeline does not re-run a duplicate: it takes the outcome of the code it duplicates.
 */
export function markDuplicates(parses: CandidateParse[]): CandidateParse[] {
  const seen = new Map<string, number>();
  return parses.map((p, i) => {
    if (!p.ok) return p;
    const first = seen.get(p.normalized);
    if (first === undefined) {
      seen.set(p.normalized, i);
      return p;
    }
    return { ...reject('duplicate', `Same code as candidate ${first + 1} (up to formatting and comments).`, p.code), normalized: p.normalized };
  });
}
