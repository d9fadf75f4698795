// The functions of each open document, parsed once per document version. Edits are collected as
// they happen and replayed into the syntax tree the next time someone asks (incremental reparse),
// so typing costs nothing until code lenses are requested again.
import * as vscode from 'vscode';
import {
  DocumentTrees,
  getDefaultBackend,
  languageForVscodeId,
  type DocumentAnalysis,
  type LanguageId,
  type ParseBackend,
  type TextChange,
} from '../core/parse';
import type { Log } from './log';

interface Pending {
  /** Version of the last parse this document's changes start from. */
  from: number;
  changes: TextChange[];
}

export class DocumentFunctions implements vscode.Disposable {
  // The engine's backend, shared: tree-sitter queries are compiled once per process (a second or
  // more of blocking work), not once for the lenses and again inside the first run.
  private readonly backend: ParseBackend = getDefaultBackend();
  private readonly trees = new DocumentTrees(this.backend);
  private readonly pending = new Map<string, Pending>();
  /** One parse per document version, shared by concurrent callers. */
  private readonly inflight = new Map<string, { version: number; promise: Promise<DocumentAnalysis | undefined> }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: Log) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.recordChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
  }

  static languageOf(document: vscode.TextDocument): LanguageId | undefined {
    return languageForVscodeId(document.languageId);
  }

  private recordChange(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const stored = this.trees.version(key);
    if (stored === undefined || e.contentChanges.length === 0) return;
    let p = this.pending.get(key);
    if (!p) {
      p = { from: stored, changes: [] };
      this.pending.set(key, p);
    }
    // VS Code reports the changes of one event against the text before the event, last
    // position first, so applying them in order keeps every offset valid.
    for (const c of e.contentChanges) p.changes.push({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text });
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.trees.close(key);
    this.pending.delete(key);
    this.inflight.delete(key);
  }

  /** The document's functions at its current version, or undefined for languages effopt does not know. */
  analysis(document: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    const language = DocumentFunctions.languageOf(document);
    if (!language) return Promise.resolve(undefined);
    const key = document.uri.toString();
    const version = document.version;
    const hit = this.inflight.get(key);
    if (hit && hit.version === version) return hit.promise;
    const promise = this.parse(document, key, version, language);
    this.inflight.set(key, { version, promise });
    return promise;
  }

  private async parse(document: vscode.TextDocument, key: string, version: number, language: LanguageId): Promise<DocumentAnalysis | undefined> {
    const text = document.getText();
    const p = this.pending.get(key);
    // Changes recorded against another version than the stored tree's cannot be replayed: the
    // tree is then parsed from scratch (DocumentTrees also checks the replay ends at `text`).
    const changes = p && p.from === this.trees.version(key) ? p.changes : undefined;
    this.pending.delete(key);
    try {
      await this.trees.update(key, version, language, text, changes);
      const analysis = this.trees.analysis(key);
      return analysis && analysis.version === version ? analysis : undefined;
    } catch (err) {
      this.log.warn(`could not parse ${vscode.workspace.asRelativePath(document.uri)}: ${(err as Error).message}`);
      this.inflight.delete(key);
      return undefined;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.trees.dispose();
  }
}
