// Proposed rewrites as virtual documents (scheme effopt-proposal), shown with vscode.diff next to
// the file; Apply writes one WorkspaceEdit (one undo step) only onto the exact text the run read.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { sha256, singleEdit } from '../core/pipeline';
import { formatSpeedup } from '../webview/format';
import type { Log } from './log';
import { resultKey, ResultStore, type ResultEntry } from './results';
import type { Ui } from './ui';

export const PROPOSAL_SCHEME = 'effopt-proposal';

export type ApplyOutcome = 'applied' | 'stale' | 'declined' | 'no-proposal' | 'already-applied' | 'failed';

/** Accepts a result key, or a proposal document's URI (editor title buttons pass the URI). */
export type ProposalRef = string | vscode.Uri | undefined;

export class Proposals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly results: ResultStore,
    private readonly ui: Ui,
    private readonly log: Log,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this);
  }

  /**
   * The proposed file (side=proposal) or the text the run read (side=base), for one result.
   * The path keeps the file's name so the diff editor highlights the right language.
   */
  uriFor(entry: ResultEntry, side: 'proposal' | 'base' = 'proposal'): vscode.Uri {
    const query = new URLSearchParams({ uri: entry.uri.toString(), fn: entry.qualifiedName, side, run: String(entry.serial) });
    return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: entry.uri.path, query: query.toString() });
  }

  /** The result a proposal document belongs to. */
  keyOf(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
    const q = new URLSearchParams(uri.query);
    const doc = q.get('uri');
    const fn = q.get('fn');
    return doc && fn ? resultKey(doc, fn) : undefined;
  }

  resolve(ref: ProposalRef): ResultEntry | undefined {
    if (ref === undefined) {
      const active = vscode.window.activeTextEditor?.document.uri;
      return active ? this.resolve(active) : undefined;
    }
    const key = typeof ref === 'string' ? ref : this.keyOf(ref);
    return key ? this.results.get(key) : undefined;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const entry = this.resolve(uri);
    const side = new URLSearchParams(uri.query).get('side');
    if (!entry?.report.proposal) return '// effopt: this proposal was dismissed or replaced by a newer run.\n';
    return side === 'base' ? entry.source : entry.report.proposal.newText;
  }

  /** Opens the diff: the file (or, once it changed, the text the run read) against the proposal. */
  async showDiff(ref: ProposalRef): Promise<boolean> {
    const entry = this.resolve(ref);
    if (!entry?.report.proposal) {
      void this.ui.warn('there is no proposed rewrite to show for this function.');
      return false;
    }
    const document = await vscode.workspace.openTextDocument(entry.uri);
    const current = ResultStore.isCurrent(entry, document) && !entry.applied;
    const left = current ? entry.uri : this.uriFor(entry, 'base');
    const right = this.uriFor(entry, 'proposal');
    this.changed.fire(right);
    const speed = entry.report.winner ? ` (${formatSpeedup(entry.report.winner.speedup.estimate)} faster)` : '';
    const title = `${basename(entry.uri.fsPath)} ↔ effopt: ${entry.qualifiedName}${speed}${current ? '' : ' — against the text the run read'}`;
    const fnLine = Math.max(0, entry.report.function.startLine - 1);
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false, selection: new vscode.Range(fnLine, 0, fnLine, 0) } satisfies vscode.TextDocumentShowOptions);
    return true;
  }

  /**
   * Writes the proposal into the document when, and only when, the document is still at the
   * version (and text) the run read. Flagged proposals need a second, explicit confirmation.
   */
  async apply(ref: ProposalRef): Promise<ApplyOutcome> {
    const entry = this.resolve(ref);
    const proposal = entry?.report.proposal;
    if (!entry || !proposal) {
      void this.ui.warn('there is no proposed rewrite to apply for this function.');
      return 'no-proposal';
    }
    if (entry.applied) {
      void this.ui.info(`the rewrite of ${entry.qualifiedName} is already applied (undo restores the original).`);
      return 'already-applied';
    }
    const document = await vscode.workspace.openTextDocument(entry.uri);
    if (!this.isApplicable(entry, document)) return this.refuseStale(entry);
    if (proposal.confirm?.why === 'implausible') {
      const ok = await this.ui.confirm(`The speedup of ${entry.qualifiedName} needs your confirmation. Apply the rewrite anyway?`, `effopt verified this rewrite, but ${proposal.confirm.text}.`, 'Apply Anyway');
      if (!ok) {
        this.log.info(`implausible proposal for ${entry.qualifiedName} not applied (not confirmed)`);
        return 'declined';
      }
      if (!this.isApplicable(entry, document)) return this.refuseStale(entry);
    } else if (!proposal.autoApply) {
      const disagreements = entry.report.selection?.disagreements.length ?? 0;
      const ok = await this.ui.confirm(
        `The generated tests disagree with your code on ${entry.qualifiedName}. Apply the rewrite anyway?`,
        `effopt's tests contradict what ${entry.qualifiedName} does today on ${disagreements} case(s), so this result is flagged: either your code or the tests are wrong. The rewrite (${proposal.candidateId}) matches your code's behaviour on the cases effopt ran, but check the report before applying it.`,
        'Apply Anyway',
      );
      if (!ok) {
        this.log.info(`flagged proposal for ${entry.qualifiedName} not applied (not confirmed)`);
        return 'declined';
      }
      // The user may have edited while the question was open.
      if (!this.isApplicable(entry, document)) return this.refuseStale(entry);
    }
    const edit = singleEdit(entry.source, proposal);
    const range = new vscode.Range(document.positionAt(edit.startOffset), document.positionAt(edit.endOffset));
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(entry.uri, range, edit.text, { label: `effopt: apply ${proposal.candidateId} to ${entry.qualifiedName}`, needsConfirmation: false });
    const ok = await vscode.workspace.applyEdit(workspaceEdit);
    if (!ok || document.getText() !== proposal.newText) {
      this.log.error(`applying ${proposal.candidateId} to ${entry.qualifiedName} failed (applyEdit returned ${ok})`);
      void this.ui.error(`could not apply the rewrite of ${entry.qualifiedName}${ok ? ': the file changed while applying; check it (undo restores it)' : '; the file was left untouched'}.`);
      return 'failed';
    }
    this.results.markApplied(entry, document.version);
    this.log.info(`applied ${proposal.candidateId} to ${entry.qualifiedName} in ${vscode.workspace.asRelativePath(entry.uri)} (undo restores the original)`);
    await this.closeDiffs(entry);
    return 'applied';
  }

  private isApplicable(entry: ResultEntry, document: vscode.TextDocument): boolean {
    return ResultStore.isCurrent(entry, document) && sha256(document.getText()) === entry.report.proposal!.baseSha256;
  }

  private refuseStale(entry: ResultEntry): ApplyOutcome {
    const file = vscode.workspace.asRelativePath(entry.uri);
    this.log.warn(`not applying the rewrite of ${entry.qualifiedName}: ${file} changed since the run (version ${entry.version})`);
    void this.ui.warn(
      `${file} changed since this rewrite of ${entry.qualifiedName} was proposed, so it was not applied (it could overwrite your edits). Re-run the optimization on the current text?`,
      { title: 'Re-run', run: () => vscode.commands.executeCommand('effopt.optimizeFunction', { uri: entry.uri.toString(), qualifiedName: entry.qualifiedName }) },
      { title: 'Show Diff', run: () => this.showDiff(entry.key) },
    );
    return 'stale';
  }

  /** Discards the result and its proposal; the lens returns to "Optimize". */
  async dismiss(ref: ProposalRef): Promise<boolean> {
    const entry = this.resolve(ref);
    if (!entry) return false;
    await this.closeDiffs(entry);
    this.results.delete(entry.key);
    this.changed.fire(this.uriFor(entry));
    this.log.info(`dismissed the result for ${entry.qualifiedName}`);
    return true;
  }

  /** Closes diff tabs showing this result's proposal. */
  private async closeDiffs(entry: ResultEntry): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && this.keyOf(t.input.modified) === entry.key);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
