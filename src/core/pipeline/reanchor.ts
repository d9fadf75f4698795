// A proposal replaces one function. Its edits are offsets into the text the run read; when the
// file changed since (another proposal applied, an unrelated function edited), the proposal still
// holds as long as the function and everything it depends on (the imports, helpers, constants
// and classes of its context, and the rest of the class it sits in) are unchanged: its edits are
// then moved onto the current text. Otherwise the reason says what changed.
import type { LanguageId } from '../languages/types';
import { extractContext, extractFunctions, FunctionNotFound, type FunctionContext, type FunctionInfo } from '../parse';
import { applyEdits, importInsertionPoint, leadingCommentStart, sha256, topLevelNames } from './proposal';
import type { Proposal, TextEdit } from './report';

export type Reanchored = { ok: true; proposal: Proposal } | { ok: false; reason: string };

export interface ReanchorInput {
  language: LanguageId;
  qualifiedName: string;
  /** The text the run read (the proposal's edits are offsets into it). */
  baseText: string;
  /** The document's text now. */
  currentText: string;
  proposal: Proposal;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
const code = (name: string): string => `\`${name}\``;

/**
 * The last few parses, by exact text: the text a run read and its proposed file are the same at
 * every check while the user types, only the current text is new.
 */
const memo = new Map<string, Promise<unknown>>();
const MEMO_SIZE = 16;
function memoized<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const hit = memo.get(key);
  if (hit) {
    memo.delete(key);
    memo.set(key, hit); // most recently used last
    return hit as Promise<T>;
  }
  const value = compute();
  memo.set(key, value);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
  return value;
}

function contextOf(text: string, language: LanguageId, qualifiedName: string): Promise<FunctionContext | string> {
  return memoized(`context\u0000${language}\u0000${qualifiedName}\u0000${text}`, async () => {
    try {
      return await extractContext(text, language, qualifiedName);
    } catch (err) {
      if (err instanceof FunctionNotFound) return `${code(qualifiedName)} is no longer in the file`;
      return `the file cannot be read as ${language} (${(err as Error).message})`;
    }
  });
}

const functionsOf = (text: string, language: LanguageId): Promise<FunctionInfo[]> =>
  memoized(`functions\u0000${language}\u0000${text}`, async () => (await extractFunctions(text, language)).functions);

/**
 * The container (a class, an object) with the target and the members the target does not
 * mention blanked out: the part of it the target depends on. For a top-level function it is
 * what surrounds the function in its statement (`export`, `const f = …;`).
 */
async function containerSkeleton(ctx: FunctionContext, text: string, mentions: string): Promise<string> {
  const { container, target } = ctx;
  if (container.startOffset === target.startOffset && container.endOffset === target.endOffset) return '';
  const words = new Set(mentions.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const members = (await functionsOf(text, ctx.language))
    .filter(
      (f) =>
        f.startOffset >= container.startOffset &&
        f.endOffset <= container.endOffset &&
        (f.endOffset <= target.startOffset || f.startOffset >= target.endOffset),
    )
    .filter((f) => !words.has(f.name))
    .sort((a, b) => a.startOffset - b.startOffset);
  const blanks: Array<{ start: number; end: number; label: string }> = [{ start: target.startOffset, end: target.endOffset, label: target.qualifiedName }];
  let last = -1;
  for (const f of members) {
    if (f.startOffset < last) continue; // nested in a member already blanked
    blanks.push({ start: f.startOffset, end: f.endOffset, label: f.qualifiedName });
    last = f.endOffset;
  }
  blanks.sort((a, b) => a.start - b.start);
  let out = '';
  let at = container.startOffset;
  for (const b of blanks) {
    out += text.slice(at, b.start) + `\u0000${b.label}\u0000`;
    at = b.end;
  }
  return out + text.slice(at, container.endOffset);
}

const itemKey = (i: { kind: string; text: string }): string => `${i.kind}\u0000${i.text}`;
const itemLabel = (i: { kind: string; names: string[]; text: string }): string =>
  i.names.length > 0 ? i.names.map(code).join(', ') : code(i.text.split('\n')[0].slice(0, 60));

/**
 * Why the function `qualifiedName` of `baseText` is not the same function in `currentText` —
 * its own text, the part of its container it depends on, or an item of its context changed —
 * or undefined when it is the same. `mentions` adds text whose names count as used (a rewrite's).
 */
export async function functionChange(
  language: LanguageId,
  qualifiedName: string,
  baseText: string,
  currentText: string,
  mentions = '',
): Promise<string | undefined> {
  if (baseText === currentText) return undefined;
  const before = await contextOf(baseText, language, qualifiedName);
  if (typeof before === 'string') return before;
  const now = await contextOf(currentText, language, qualifiedName);
  if (typeof now === 'string') return now;
  const name = before.target.qualifiedName;
  if (now.targetText !== before.targetText) return `${code(name)} itself changed`;
  const used = before.targetText + '\n' + mentions;
  if ((await containerSkeleton(before, baseText, used)) !== (await containerSkeleton(now, currentText, used))) {
    return `${itemLabel(before.container)}, which holds ${code(name)}, changed`;
  }
  const remaining = new Map<string, number>();
  for (const i of now.items) if (i.kind !== 'container') remaining.set(itemKey(i), (remaining.get(itemKey(i)) ?? 0) + 1);
  const gone: string[] = [];
  for (const i of before.items) {
    if (i.kind === 'container') continue;
    const n = remaining.get(itemKey(i)) ?? 0;
    if (n > 0) remaining.set(itemKey(i), n - 1);
    else gone.push(itemLabel(i));
  }
  if (gone.length > 0) return `${gone.join(', ')}, which it uses, changed`;
  const added = now.items.filter((i) => i.kind !== 'container' && (remaining.get(itemKey(i)) ?? 0) > 0).map(itemLabel);
  if (added.length > 0) return `${added.join(', ')}, which it now refers to, changed`;
  return undefined;
}

const IMPORT_LINE = /^\s*(?:import\s|from\s+\S+\s+import\s|(?:const|let|var)\s+[^=\n]+=\s*require\()/;

/**
 * The proposal moved onto `currentText`, or why it cannot be: the function or something it
 * depends on changed, or an addition of the rewrite now clashes with the file.
 */
export async function reanchorProposal(input: ReanchorInput): Promise<Reanchored> {
  const { language, qualifiedName, baseText, currentText, proposal } = input;
  if (currentText === baseText) return { ok: true, proposal };
  const base = await contextOf(baseText, language, qualifiedName);
  if (typeof base === 'string') return { ok: false, reason: base };
  const fnEdit = proposal.edits.find((e) => e.startOffset === base.target.startOffset && e.endOffset === base.target.endOffset);
  if (!fnEdit) return { ok: false, reason: `the proposal does not replace ${code(base.target.qualifiedName)} where the run found it` };
  const changed = await functionChange(language, qualifiedName, baseText, currentText, fnEdit.text);
  if (changed) return { ok: false, reason: changed };
  const now = (await contextOf(currentText, language, qualifiedName)) as FunctionContext;

  const eol = baseText.includes('\r\n') ? '\r\n' : '\n';
  const currentSquashed = squash(currentText);
  const defined = topLevelNames(currentText, language);
  const definedBefore = topLevelNames(baseText, language);
  const edits: TextEdit[] = [];
  for (const e of proposal.edits) {
    if (e === fnEdit) {
      edits.push({ startOffset: now.target.startOffset, endOffset: now.target.endOffset, text: e.text });
      continue;
    }
    if (IMPORT_LINE.test(e.text)) {
      // One import a line, each added only if the file does not have it by now.
      const lines = e.text.split(/\r?\n/).filter((l) => l.trim() !== '');
      const statements = lines.every((l) => IMPORT_LINE.test(l)) ? lines : [e.text.trim()];
      const missing = statements.filter((s) => !currentSquashed.includes(squash(s)));
      if (missing.length === 0) continue;
      const at = importInsertionPoint(currentText, language);
      const before = at > 0 && currentText[at - 1] !== '\n' ? eol : '';
      edits.push({ startOffset: at, endOffset: at, text: before + missing.join(eol) + (at === 0 ? eol + eol : eol) });
      continue;
    }
    // The rewrite's new helpers: already there (another proposal brought the same), or placed above the container again.
    if (currentSquashed.includes(squash(e.text))) continue;
    const clash = [...topLevelNames(e.text, language)].filter((n) => defined.has(n) && !definedBefore.has(n));
    if (clash.length > 0) return { ok: false, reason: `${clash.map(code).join(', ')}, which the rewrite adds, is now defined in the file` };
    const at = leadingCommentStart(currentText, now.container.startOffset, language);
    edits.push({ startOffset: at, endOffset: at, text: e.text });
  }
  const newText = applyEdits(currentText, edits);
  // What the verified rewrite sees around it must be what it saw in the proposed file.
  const around = await functionChange(language, qualifiedName, proposal.newText, newText);
  if (around) return { ok: false, reason: `in the current file the rewrite would differ: ${around}` };
  return { ok: true, proposal: { ...proposal, edits, newText, baseSha256: sha256(currentText) } };
}
