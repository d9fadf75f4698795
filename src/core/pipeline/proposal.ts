// Turning a verified candidate into (a) the standalone module the sandbox runs and (b) the edit
// to the user's file that Apply writes. Both put the candidate's function where the original's
// is, re-indented to its column; helpers the candidate adds go before the statement that holds
// the function, and new imports after the file's last import.
import { createHash } from 'node:crypto';
import type { AcceptedCandidate } from '../llm/replyParser';
import type { LanguageId } from '../languages/types';
import { extractContext, spliceFunction, type FunctionContext } from '../parse';
import { keepPreamble } from './preamble';
import type { Proposal, TextEdit } from './report';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Names bound at the top level of a file: functions, classes, variables, imports (roughly). */
export function topLevelNames(source: string, language: LanguageId): Set<string> {
  const names = new Set<string>();
  const patterns =
    language === 'python'
      ? [/^(?:async\s+)?def\s+([A-Za-z_]\w*)/gm, /^class\s+([A-Za-z_]\w*)/gm, /^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=/gm, /^(?:from\s+\S+\s+)?import\s+(.+)$/gm]
      : [
          /^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/gm,
          /^(?:export\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/gm,
          /^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)/gm,
          /^import\s+(.+?)\s+from/gm,
        ];
  for (const re of patterns) {
    for (const m of source.matchAll(re)) {
      for (const part of m[1].split(',')) {
        const name = /([A-Za-z_$][\w$]*)\s*\}?\s*$/.exec(part.replace(/\bas\b/, ' ').trim());
        if (name) names.add(name[1]);
      }
    }
  }
  return names;
}

export interface CandidateParts {
  functionCode: string;
  /** Column of the function in the candidate's own text (for re-indenting methods). */
  sourceColumn?: number;
  /** Helpers, constants, classes and types the rewrite brings that the file does not have. */
  newHelpers: string[];
  /** Imports the original file does not have. */
  newImports: string[];
}

interface Piece {
  kind: 'import' | 'helper' | 'declaration';
  names: string[];
  text: string;
}

/**
 * What the rewrite's function needs from the rest of its code block: the parse layer's context of
 * the new function inside the block (imports, helpers, module-level constants, classes, types it
 * uses, transitively). A block that is not a module on its own (a bare method) falls back to the
 * reply parser's helpers and imports.
 */
async function piecesOf(candidate: AcceptedCandidate, language: LanguageId): Promise<Piece[]> {
  try {
    const ctx = await extractContext(candidate.code, language, candidate.target.qualifiedName);
    return ctx.items.filter((i) => i.kind !== 'container').map((i) => ({ kind: i.kind as Piece['kind'], names: i.names, text: i.text }));
  } catch {
    return [
      ...candidate.imports.map((text): Piece => ({ kind: 'import', names: [], text })),
      ...candidate.helpers.map((h): Piece => ({ kind: 'helper', names: [h.name], text: h.code })),
    ];
  }
}

/**
 * Splits a candidate into what goes into the file. Throws (with a reason for the report) when the
 * candidate redefines a name the file already defines differently: effopt replaces only the
 * target function and never edits the user's other code silently.
 */
export async function candidateParts(candidate: AcceptedCandidate, context: FunctionContext, fileSource: string): Promise<CandidateParts> {
  const defined = topLevelNames(fileSource, context.language);
  const fileSquashed = squash(fileSource);
  const newHelpers: string[] = [];
  const newImports: string[] = [];
  for (const piece of await piecesOf(candidate, context.language)) {
    const text = piece.text.trim();
    if (text === '' || fileSquashed.includes(squash(text))) continue; // already in the file, as is
    if (piece.kind === 'import') {
      newImports.push(text);
      continue;
    }
    const clash = piece.names.filter((n) => n !== context.target.name && defined.has(n));
    if (clash.length > 0)
      throw new CandidateConflict(
        `it redefines ${clash.map((n) => `\`${n}\``).join(', ')}, which the file already defines; effopt only replaces ${context.target.qualifiedName}`,
      );
    newHelpers.push(text);
  }
  // A rewrite without a docstring or leading comments keeps the original's (Apply must not delete them).
  const kept = await keepPreamble(
    { text: context.targetText, column: context.target.startColumn ?? 0 },
    { text: candidate.functionCode, column: candidate.target.startColumn ?? 0 },
    context.language,
  );
  return { functionCode: kept?.text ?? candidate.functionCode, sourceColumn: kept ? kept.column : candidate.target.startColumn, newHelpers, newImports };
}

export class CandidateConflict extends Error {
  override readonly name = 'CandidateConflict';
}

/** The module the sandbox runs for a candidate: the original's context with the function swapped. */
export function candidateModule(context: FunctionContext, parts: CandidateParts): string {
  const spliced = spliceFunction(context, parts.functionCode, { sourceColumn: parts.sourceColumn });
  // Imports first; helpers last (module-level calls happen after loading, so order is free).
  return [...parts.newImports, spliced, ...parts.newHelpers].join('\n\n') + '\n';
}

/** End offset of the last top-level import statement in the file, or where new imports may go. */
export function importInsertionPoint(source: string, language: LanguageId): number {
  const re = language === 'python' ? /^(?:from\s+\S+\s+import\s|import\s)/gm : /^(?:import\s|(?:const|let|var)\s+[^=\n]+=\s*require\()/gm;
  let end = -1;
  for (const m of source.matchAll(re)) {
    // The statement ends at the end of its line, or after a bracketed list spanning lines.
    let i = m.index!;
    let depth = 0;
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === '(' || c === '{' || c === '[') depth++;
      else if (c === ')' || c === '}' || c === ']') depth--;
      else if (c === '\n' && depth <= 0) break;
    }
    end = i;
  }
  if (end >= 0) return end;
  // No imports: after a shebang, "use strict", a Python module docstring or __future__ line.
  const lead =
    language === 'python' ? /^(?:#![^\n]*\n)?(?:\s*(?:"""[\s\S]*?"""|'''[\s\S]*?''')[^\n]*\n)?/ : /^(?:#![^\n]*\n)?(?:\s*['"]use strict['"];?[^\n]*\n)?/;
  return lead.exec(source)?.[0].length ?? 0;
}

/**
 * Where the comment block attached to the statement at `offset` starts (JSDoc, `//` or `#` lines,
 * Python decorators directly above it, with no blank line between): helpers go above it, so the
 * comment stays with the statement it documents.
 */
export function leadingCommentStart(source: string, offset: number, language: LanguageId): number {
  let start = source.lastIndexOf('\n', offset - 1) + 1;
  if (source.slice(start, offset).trim() !== '') return offset; // something else on the statement's line
  const single = language === 'python' ? /^[ \t]*(?:#|@)/ : /^[ \t]*\/\//;
  while (start > 0) {
    const prevStart = source.lastIndexOf('\n', start - 2) + 1;
    const line = source.slice(prevStart, start - 1).replace(/\r$/, '');
    if (single.test(line)) {
      start = prevStart;
      continue;
    }
    // The end of a block comment: go to the line where it opens, if nothing but space precedes it.
    if (language !== 'python' && /\*\/[ \t]*$/.test(line)) {
      const open = source.lastIndexOf('/*', prevStart + line.lastIndexOf('*/'));
      if (open < 0) break;
      const openLine = source.lastIndexOf('\n', open - 1) + 1;
      if (source.slice(openLine, open).trim() !== '') break;
      start = openLine;
      continue;
    }
    break;
  }
  return start;
}

/** Re-indents the candidate's function to the target's column, as spliceFunction does. */
function functionEdit(context: FunctionContext, fileSource: string, parts: CandidateParts): TextEdit {
  const { startOffset, endOffset } = context.target;
  const asFile: FunctionContext = { ...context, moduleText: fileSource, targetRange: { start: startOffset, end: endOffset } };
  const spliced = spliceFunction(asFile, parts.functionCode, { sourceColumn: parts.sourceColumn });
  const text = spliced.slice(startOffset, spliced.length - (fileSource.length - endOffset));
  return { startOffset, endOffset, text };
}

/** The edits Apply writes and the resulting file text. */
export function buildProposal(
  candidateId: string,
  context: FunctionContext,
  fileSource: string,
  parts: CandidateParts,
  testsAgree: boolean,
  implausible?: string,
): Proposal {
  const eol = fileSource.includes('\r\n') ? '\r\n' : '\n';
  const withEol = (s: string): string => s.replace(/\r?\n/g, eol);
  const edits: TextEdit[] = [];
  if (parts.newImports.length > 0) {
    const at = importInsertionPoint(fileSource, context.language);
    const before = at > 0 && fileSource[at - 1] !== '\n' ? eol : '';
    edits.push({ startOffset: at, endOffset: at, text: withEol(before + parts.newImports.join('\n') + (at === 0 ? '\n\n' : '\n')) });
  }
  if (parts.newHelpers.length > 0) {
    const at = leadingCommentStart(fileSource, context.container.startOffset, context.language);
    edits.push({ startOffset: at, endOffset: at, text: withEol(parts.newHelpers.join('\n\n') + '\n\n') });
  }
  const fn = functionEdit(context, fileSource, parts);
  edits.push({ ...fn, text: withEol(fn.text) });
  const confirm: Proposal['confirm'] = !testsAgree
    ? { why: 'tests-disagree', text: 'the generated tests disagree with your function' }
    : implausible
      ? { why: 'implausible', text: implausible }
      : undefined;
  return {
    candidateId,
    edits,
    newText: applyEdits(fileSource, edits),
    baseSha256: sha256(fileSource),
    autoApply: confirm === undefined,
    ...(confirm ? { confirm } : {}),
  };
}

/**
 * Applies non-overlapping edits to a text. Edits at the same offset keep their listed order in
 * the result (an insertion listed before a replacement that starts there lands before it).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const order = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.startOffset - a.e.startOffset || b.i - a.i);
  let out = text;
  for (const { e } of order) out = out.slice(0, e.startOffset) + e.text + out.slice(e.endOffset);
  return out;
}

/** The proposal as one replacement of the smallest span covering every edit (one undo step). */
export function singleEdit(baseText: string, proposal: Pick<Proposal, 'edits' | 'newText'>): TextEdit {
  const start = Math.min(...proposal.edits.map((e) => e.startOffset));
  const end = Math.max(...proposal.edits.map((e) => e.endOffset));
  const tail = baseText.length - end;
  return { startOffset: start, endOffset: end, text: proposal.newText.slice(start, proposal.newText.length - tail) };
}

/**
 * The one replacement that turns `before` into `after` (their differing middle), never splitting
 * a surrogate pair: what Apply writes when several proposals were composed into one text.
 */
export function minimalEdit(before: string, after: string): TextEdit {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && /[\uD800-\uDBFF]/.test(before[start - 1])) start--;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && /[\uDC00-\uDFFF]/.test(before[before.length - end])) end--;
  return { startOffset: start, endOffset: before.length - end, text: after.slice(start, after.length - end) };
}
