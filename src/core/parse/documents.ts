// Editor support: one syntax tree per open document and version, reparsed incrementally from the
// editor's content changes, so code lenses stay cheap while typing. Trees are freed on replace,
// close and dispose (the WASM heap is not garbage collected).
import type { LanguageId } from '../languages/types';
import type { ParseBackend, SyntaxTree, TreeEdit } from './backend';
import { analyzeTree, type Analysis } from './extract';
import type { ExtractResult } from './types';

/** A VS Code TextDocumentContentChangeEvent reduced to what is needed (UTF-16 offsets). */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export interface DocumentAnalysis extends ExtractResult {
  version: number;
}

interface Entry {
  version: number;
  language: LanguageId;
  text: string;
  tree: SyntaxTree;
  analysis?: Analysis;
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function pointAfter(start: { row: number; column: number }, inserted: string): { row: number; column: number } {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}

/** The tree-sitter edit for one change applied to `text`, and the text after it. */
export function editFor(text: string, change: TextChange): { edit: TreeEdit; text: string } {
  const startIndex = change.rangeOffset;
  const oldEndIndex = change.rangeOffset + change.rangeLength;
  const newEndIndex = startIndex + change.text.length;
  const startPosition = pointAt(text, startIndex);
  const oldEndPosition = pointAfter(startPosition, text.slice(startIndex, oldEndIndex));
  const newEndPosition = pointAfter(startPosition, change.text);
  return {
    edit: { startIndex, oldEndIndex, newEndIndex, startPosition, oldEndPosition, newEndPosition },
    text: text.slice(0, startIndex) + change.text + text.slice(oldEndIndex),
  };
}

export class DocumentTrees {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly backend: ParseBackend) {}

  /**
   * Brings the document's tree to `version`. With `changes` (the edits from the stored version
   * to this one, in the order the editor reports them) the old tree is edited and reparsed
   * incrementally; otherwise, or if the changes do not lead to `text`, it is parsed from scratch.
   * An update older than the stored version is ignored.
   */
  async update(uri: string, version: number, language: LanguageId, text: string, changes?: readonly TextChange[]): Promise<void> {
    await this.backend.loadLanguage(language);
    const previous = this.entries.get(uri);
    if (previous && previous.version >= version && previous.text === text) return;
    if (previous && previous.version > version) return;
    let oldTree: SyntaxTree | undefined;
    if (previous && previous.language === language && changes && changes.length > 0) {
      let running = previous.text;
      for (const change of changes) {
        if (change.rangeOffset < 0 || change.rangeOffset + change.rangeLength > running.length) {
          running = '';
          break;
        }
        const step = editFor(running, change);
        previous.tree.edit(step.edit);
        running = step.text;
      }
      if (running === text) oldTree = previous.tree;
    }
    const tree = this.backend.parse(language, text, { oldTree });
    previous?.tree.delete();
    this.entries.set(uri, { version, language, text, tree });
  }

  /** The document's functions at its stored version (computed once per version). */
  analysis(uri: string): DocumentAnalysis | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    entry.analysis ??= analyzeTree(this.backend, entry.language, entry.tree, entry.text);
    const { language, functions, syntaxErrors } = entry.analysis;
    return { version: entry.version, language, functions: functions.map((f) => f.info), syntaxErrors };
  }

  /** The stored version, or undefined when the document is not tracked. */
  version(uri: string): number | undefined {
    return this.entries.get(uri)?.version;
  }

  /** The current tree (owned by this object: do not delete it). */
  tree(uri: string): SyntaxTree | undefined {
    return this.entries.get(uri)?.tree;
  }

  close(uri: string): void {
    this.entries.get(uri)?.tree.delete();
    this.entries.delete(uri);
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.tree.delete();
    this.entries.clear();
  }
}
