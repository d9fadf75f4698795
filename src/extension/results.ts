// Finished runs, one per document URI + qualified function name, each remembering the document
// version and text the run read. A proposal's edits are offsets into that text; after other edits
// to the file (another proposal applied, an unrelated function changed) it is re-anchored onto
// the current text, and a result turns stale only when its function or what it depends on changed.
import * as vscode from 'vscode';
import { functionChange, reanchorProposal, sha256, type OptimizationReport, type Proposal, type TestSuite } from '../core/pipeline';
import type { ResultStorage, StoredResult } from './resultStorage';

export interface ResultEntry {
  /** `resultKey(uri, qualifiedName)`. */
  readonly key: string;
  readonly uri: vscode.Uri;
  readonly qualifiedName: string;
  /** Document version the run read; Apply refuses on any other version. */
  version: number;
  /** The document text the run read (the proposal's edits are offsets into it). */
  readonly source: string;
  readonly report: OptimizationReport;
  /** The run's test material (in memory only): an edited proposal is re-verified with it. */
  readonly tests?: TestSuite;
  readonly finishedAt: number;
  /** Bumped for every stored result, so a diff of an older result is never confused with a newer one. */
  readonly serial: number;
  /** Set once Apply wrote the proposal into the document. */
  applied?: { version: number };
  /**
   * The last check of a later version of the document: the proposal moved onto that version's
   * text, or why the result no longer holds (its function or something it uses changed).
   */
  anchor?: { version: number; proposal?: Proposal; stale?: string };
}

/** Whether a result holds for a document's text now; for a proposal, the proposal moved onto that text. */
export type Verdict = { ok: true; proposal?: Proposal } | { ok: false; reason: string };

/** How long edits settle before results are checked against the new text. */
const CHECK_DELAY_MS = 300;

export const resultKey = (uri: vscode.Uri | string, qualifiedName: string): string => `${uri.toString()}#${qualifiedName}`;

export class ResultStore implements vscode.Disposable {
  private readonly entries = new Map<string, ResultEntry>();
  private serial = 0;
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the document whose results changed (undefined: all of them). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly checks = new Map<string, NodeJS.Timeout>();

  constructor() {
    this.subscription = vscode.Disposable.from(
      vscode.workspace.onDidChangeTextDocument((e) => this.documentChanged(e.document)),
      // A reopened document starts again at version 1: compare texts, not version numbers.
      vscode.workspace.onDidOpenTextDocument((d) => this.documentOpened(d)),
    );
  }

  private documentOpened(document: vscode.TextDocument): void {
    const entries = this.forDocument(document.uri).filter((e) => !e.applied);
    if (entries.length === 0) return;
    const hash = sha256(document.getText());
    for (const entry of entries) {
      entry.version = hash === entry.report.file.sha256 ? document.version : -1;
      entry.anchor = undefined; // versions start again: an old check says nothing
    }
    this.changed.fire(document.uri);
    if (entries.some((e) => e.version === -1)) this.scheduleCheck(document);
  }

  add(entry: Omit<ResultEntry, 'key' | 'serial' | 'finishedAt'>): ResultEntry {
    const full: ResultEntry = { ...entry, key: resultKey(entry.uri, entry.qualifiedName), serial: ++this.serial, finishedAt: Date.now() };
    this.entries.set(full.key, full);
    this.changed.fire(entry.uri);
    return full;
  }

  get(key: string): ResultEntry | undefined {
    return this.entries.get(key);
  }

  forDocument(uri: vscode.Uri): ResultEntry[] {
    const prefix = uri.toString() + '#';
    return [...this.entries.values()].filter((e) => e.key.startsWith(prefix));
  }

  /** Newest first. */
  all(): ResultEntry[] {
    return [...this.entries.values()].sort((a, b) => b.finishedAt - a.finishedAt || b.serial - a.serial);
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.changed.fire(entry.uri);
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.changed.fire(undefined);
  }

  markApplied(entry: ResultEntry, version: number): void {
    entry.applied = { version };
    this.changed.fire(entry.uri);
  }

  /**
   * True when the result holds for the document as it is: it is at the version the run read, or
   * the last check found the function and what it uses unchanged. Until the first check after an
   * edit finishes it counts as current (lenses do not flicker while typing); Apply always checks.
   */
  static isCurrent(entry: ResultEntry, document: vscode.TextDocument): boolean {
    return document.version === entry.version || !entry.anchor?.stale;
  }

  /** Why the result no longer holds for the document, as of the last check (undefined: it holds). */
  static staleReason(entry: ResultEntry, document: vscode.TextDocument): string | undefined {
    return document.version === entry.version ? undefined : entry.anchor?.stale;
  }

  /** The proposal as it applies to the document's text now, if it was checked for this version. */
  static currentProposal(entry: ResultEntry, document: vscode.TextDocument): Proposal | undefined {
    if (document.version === entry.version) return entry.report.proposal;
    return entry.anchor?.version === document.version ? entry.anchor.proposal : undefined;
  }

  /**
   * Checks the result against the document's text now and records the verdict: for a proposal,
   * the proposal re-anchored onto the text (or why it cannot be); for any result, whether its
   * function and what it uses are unchanged.
   */
  async check(entry: ResultEntry, document: vscode.TextDocument): Promise<Verdict> {
    const version = document.version;
    const text = document.getText();
    const proposal = entry.report.proposal;
    if (version === entry.version) return { ok: true, proposal };
    const language = entry.report.file.language;
    let verdict: Verdict;
    try {
      if (proposal) verdict = await reanchorProposal({ language, qualifiedName: entry.qualifiedName, baseText: entry.source, currentText: text, proposal });
      else {
        const reason = await functionChange(language, entry.qualifiedName, entry.source, text);
        verdict = reason ? { ok: false, reason } : { ok: true };
      }
    } catch (err) {
      verdict = { ok: false, reason: `it could not be checked against the current text (${(err as Error)?.message ?? err})` };
    }
    // A newer version was checked meanwhile, or the result was replaced or dropped: keep that.
    if (this.entries.get(entry.key) !== entry || document.version !== version || (entry.anchor && entry.anchor.version > version)) return verdict;
    const was = entry.anchor;
    entry.anchor = verdict.ok ? { version, ...(verdict.proposal ? { proposal: verdict.proposal } : {}) } : { version, stale: verdict.reason };
    // The original function and its context are back (undo after Apply): the rewrite is no longer in the file.
    const unapplied = verdict.ok && entry.applied !== undefined;
    if (unapplied) entry.applied = undefined;
    if (unapplied || was?.stale !== entry.anchor.stale || !was) this.changed.fire(entry.uri);
    return verdict;
  }

  /** Checks every result of the document once its edits settle. */
  private scheduleCheck(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.checks.get(key));
    this.checks.set(
      key,
      setTimeout(() => {
        this.checks.delete(key);
        for (const entry of this.forDocument(document.uri)) if (document.version !== entry.version) void this.check(entry, document);
      }, CHECK_DELAY_MS),
    );
  }

  /**
   * An edit makes a result stale; an edit that brings the text back to exactly what the run
   * read (typically undo after Apply, or undo of a stray edit) makes the proposal valid again
   * for the new version, since its offsets refer to that same text.
   */
  private documentChanged(document: vscode.TextDocument): void {
    const entries = this.forDocument(document.uri);
    if (entries.length === 0) return;
    let text: string | undefined;
    let hash: string | undefined;
    let changed = false;
    for (const entry of entries) {
      const was = { version: entry.version, applied: entry.applied };
      text ??= document.getText();
      if (text.length === entry.source.length) {
        hash ??= sha256(text);
        if (hash === entry.report.file.sha256) {
          entry.version = document.version;
          entry.applied = undefined;
          entry.anchor = undefined;
        }
      }
      if (entry.version !== was.version || entry.applied !== was.applied) changed = true;
    }
    if (changed) this.changed.fire(document.uri);
    // Whether each result still holds needs a parse: once the edits settle.
    if (entries.some((e) => e.version !== document.version)) this.scheduleCheck(document);
  }

  // ---- Persistence: results survive a window reload (see resultStorage.ts) ----

  private storage: ResultStorage | undefined;
  private storageSubscription: vscode.Disposable | undefined;
  private saving: Promise<void> = Promise.resolve();

  /** Restores the stored results, then keeps the storage in step with every change. Returns how many came back. */
  async attachStorage(storage: ResultStorage): Promise<number> {
    this.storage = storage;
    const restored = await this.restoreFrom(storage);
    this.storageSubscription ??= this.onDidChange(() => this.scheduleSave());
    return restored;
  }

  /** Resolves once every change so far is in storage. */
  flush(): Promise<void> {
    return this.saving;
  }

  /** Drops the results in memory and reads them back from storage (what a window reload does). */
  async reloadFromStorage(): Promise<number> {
    if (!this.storage) return 0;
    await this.flush();
    this.entries.clear();
    return this.restoreFrom(this.storage);
  }

  private async restoreFrom(storage: ResultStorage): Promise<number> {
    const stored = await storage.load();
    let restored = 0;
    for (const s of stored.sort((a, b) => a.finishedAt - b.finishedAt)) {
      if (this.entries.has(s.key)) continue; // a result of this session is newer
      const entry: ResultEntry = {
        key: s.key,
        uri: vscode.Uri.parse(s.uri),
        qualifiedName: s.qualifiedName,
        version: -1,
        source: s.source,
        report: s.report,
        finishedAt: s.finishedAt,
        serial: ++this.serial,
        applied: s.applied ? { version: -1 } : undefined,
      };
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === s.uri);
      this.entries.set(entry.key, entry);
      if (document) {
        ResultStore.revalidate(entry, document);
        // Another text than the run's: whether the result still holds needs the re-anchoring check.
        if (entry.version !== document.version && !entry.applied) this.scheduleCheck(document);
      }
      restored++;
    }
    if (restored > 0) this.changed.fire(undefined);
    return restored;
  }

  /**
   * Checks a restored result against the document's text: its proposal is valid only on the
   * exact text its run read (same sha256); an applied one is still applied while the text is the
   * proposal's. Version numbers mean nothing across a reload.
   */
  private static revalidate(entry: ResultEntry, document: vscode.TextDocument): void {
    const hash = sha256(document.getText());
    if (hash === entry.report.file.sha256) {
      entry.version = document.version;
      entry.applied = undefined;
    } else if (entry.applied && entry.report.proposal && hash === sha256(entry.report.proposal.newText)) {
      entry.applied = { version: document.version };
    }
  }

  private scheduleSave(): void {
    const storage = this.storage;
    if (!storage) return;
    this.saving = this.saving.then(() => storage.save(this.all().map(toStored)));
  }

  /**
   * Before Clear Results: asks (a modal through `ask`), since the results of long runs are gone
   * for good, from storage too. True when there is nothing to lose or the user agreed.
   */
  async confirmClear(ask: (message: string, detail: string, confirm: string) => Promise<boolean>): Promise<boolean> {
    const n = this.entries.size;
    if (n === 0) return true;
    return ask(
      `Clear ${n} effopt result${n === 1 ? '' : 's'}?`,
      'Their reports and proposed rewrites are removed from this workspace, also after a reload. Your files are not changed.',
      'Clear Results',
    );
  }

  dispose(): void {
    for (const t of this.checks.values()) clearTimeout(t);
    this.checks.clear();
    this.subscription.dispose();
    this.storageSubscription?.dispose();
    this.changed.dispose();
  }
}

function toStored(entry: ResultEntry): StoredResult {
  return {
    format: 1,
    key: entry.key,
    uri: entry.uri.toString(),
    qualifiedName: entry.qualifiedName,
    source: entry.source,
    report: entry.report,
    finishedAt: entry.finishedAt,
    applied: entry.applied !== undefined,
  };
}
