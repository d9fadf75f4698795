// Proposed rewrites as virtual documents (scheme effopt-proposal), shown with vscode.diff next to
// the file; Apply writes one WorkspaceEdit (one undo step) onto the text the run read, or onto a
// later text in which the function and what it uses are unchanged (the proposal re-anchored).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { minimalEdit, reanchorProposal, sha256, type Proposal } from '../core/pipeline';
import { formatSpeedup } from '../webview/format';
import type { Log } from './log';
import { resultKey, ResultStore, type ResultEntry } from './results';
import type { Ui } from './ui';

export const PROPOSAL_SCHEME = 'effopt-proposal';

export type ApplyOutcome = 'applied' | 'stale' | 'declined' | 'no-proposal' | 'already-applied' | 'failed';

/** What Apply All Verified did in one file. */
export interface ApplyAllOutcome {
  /** Qualified names written, in one edit. */
  applied: string[];
  /** Results with a proposal that were not written, and why. */
  skipped: Array<{ qualifiedName: string; reason: string }>;
}

type Applicable = { proposal: Proposal; text: string; version: number } | { reason: string };

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
    this.registration = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this),
      // A re-anchored proposal follows the file: open proposal documents of that file re-read it.
      results.onDidChange((uri) => {
        for (const d of vscode.workspace.textDocuments) {
          if (d.uri.scheme === PROPOSAL_SCHEME && (!uri || new URLSearchParams(d.uri.query).get('uri') === uri.toString())) this.changed.fire(d.uri);
        }
      }),
    );
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
    if (side === 'base') return entry.source;
    // Against the file as it is now when the proposal was moved onto it, else the text the run read.
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === entry.uri.toString());
    return (document && !entry.applied && ResultStore.currentProposal(entry, document)?.newText) || entry.report.proposal.newText;
  }

  /** Opens the diff: the file (or, once it changed, the text the run read) against the proposal. */
  async showDiff(ref: ProposalRef): Promise<boolean> {
    const entry = this.resolve(ref);
    if (!entry?.report.proposal) {
      void this.ui.warn('there is no proposed rewrite to show for this function.');
      return false;
    }
    const document = await vscode.workspace.openTextDocument(entry.uri);
    if (!entry.applied && document.version !== entry.version) await this.results.check(entry, document);
    const current = ResultStore.currentProposal(entry, document) !== undefined && !entry.applied;
    const left = current ? entry.uri : this.uriFor(entry, 'base');
    const right = this.uriFor(entry, 'proposal');
    this.changed.fire(right);
    const speed = entry.report.winner ? ` (${formatSpeedup(entry.report.winner.speedup.estimate)} faster)` : '';
    const title = `${basename(entry.uri.fsPath)} ↔ effopt: ${entry.qualifiedName}${speed}${current ? '' : ' — against the text the run read'}`;
    const fnLine = Math.max(0, entry.report.function.startLine - 1);
    await vscode.commands.executeCommand('vscode.diff', left, right, title, {
      preview: false,
      selection: new vscode.Range(fnLine, 0, fnLine, 0),
    } satisfies vscode.TextDocumentShowOptions);
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
    let target = await this.applicable(entry, document);
    if ('reason' in target) return this.refuseStale(entry, target.reason);
    if (proposal.confirm?.why === 'implausible') {
      const ok = await this.ui.confirm(
        `The speedup of ${entry.qualifiedName} needs your confirmation. Apply the rewrite anyway?`,
        `effopt verified this rewrite, but ${proposal.confirm.text}.`,
        'Apply Anyway',
      );
      if (!ok) {
        this.log.info(`implausible proposal for ${entry.qualifiedName} not applied (not confirmed)`);
        return 'declined';
      }
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
    }
    // The user may have edited while the question was open.
    if (document.version !== target.version) {
      target = await this.applicable(entry, document);
      if ('reason' in target) return this.refuseStale(entry, target.reason);
    }
    const moved = target.text !== entry.source;
    const ok = await this.write(document, { ...target, newText: target.proposal.newText }, `effopt: apply ${proposal.candidateId} to ${entry.qualifiedName}`);
    if (!ok) {
      this.log.error(`applying ${proposal.candidateId} to ${entry.qualifiedName} failed`);
      void this.ui.error(`could not apply the rewrite of ${entry.qualifiedName}: the file changed while applying; check it (undo restores it).`);
      return 'failed';
    }
    this.results.markApplied(entry, document.version);
    this.log.info(
      `applied ${proposal.candidateId} to ${entry.qualifiedName} in ${vscode.workspace.asRelativePath(entry.uri)}${moved ? ' (onto the edited file: the function and what it uses were unchanged)' : ''} (undo restores the original)`,
    );
    await this.closeDiffs(entry);
    return 'applied';
  }

  /**
   * Applies every verified proposal of a file in one edit (one undo step), each moved onto the
   * text the ones before it produced. Flagged proposals (tests disagree, implausible speedup)
   * need their own confirmation and are skipped, as are ones whose function changed.
   */
  async applyAll(uri: vscode.Uri): Promise<ApplyAllOutcome> {
    const document = await vscode.workspace.openTextDocument(uri);
    const file = vscode.workspace.asRelativePath(uri);
    const outcome: ApplyAllOutcome = { applied: [], skipped: [] };
    const entries = this.results
      .forDocument(uri)
      .filter((e) => e.report.proposal && !e.applied)
      .sort((a, b) => a.report.function.startLine - b.report.function.startLine);
    for (let attempt = 0; attempt < 3; attempt++) {
      outcome.applied = [];
      outcome.skipped = [];
      const version = document.version;
      const start = document.getText();
      let text = start;
      const written: ResultEntry[] = [];
      for (const entry of entries) {
        const proposal = entry.report.proposal!;
        if (!proposal.autoApply) {
          outcome.skipped.push({
            qualifiedName: entry.qualifiedName,
            reason:
              proposal.confirm?.why === 'implausible'
                ? `needs your confirmation (${proposal.confirm.text})`
                : 'needs your confirmation (the generated tests disagree with your code)',
          });
          continue;
        }
        const moved = await reanchorProposal({
          language: entry.report.file.language,
          qualifiedName: entry.qualifiedName,
          baseText: entry.source,
          currentText: text,
          proposal,
        });
        if (!moved.ok) {
          outcome.skipped.push({ qualifiedName: entry.qualifiedName, reason: moved.reason });
          continue;
        }
        text = moved.proposal.newText;
        written.push(entry);
        outcome.applied.push(entry.qualifiedName);
      }
      if (document.version !== version) continue; // edited while checking: again on the new text
      if (written.length > 0) {
        const ok = await this.write(document, { text: start, version, newText: text }, `effopt: apply ${written.length} verified rewrite(s) to ${file}`);
        if (!ok) {
          void this.ui.error(`could not apply the rewrites to ${file}: the file changed while applying; check it (undo restores it).`);
          return { applied: [], skipped: entries.map((e) => ({ qualifiedName: e.qualifiedName, reason: 'the file changed while applying' })) };
        }
        for (const entry of written) this.results.markApplied(entry, document.version);
        for (const entry of written) await this.closeDiffs(entry);
      }
      this.reportApplyAll(file, outcome);
      return outcome;
    }
    void this.ui.warn(`${file} kept changing while effopt applied its rewrites; nothing was applied.`);
    return { applied: [], skipped: entries.map((e) => ({ qualifiedName: e.qualifiedName, reason: 'the file kept changing' })) };
  }

  private reportApplyAll(file: string, outcome: ApplyAllOutcome): void {
    const skipped = outcome.skipped.map((s) => `${s.qualifiedName}: ${s.reason}`).join('; ');
    this.log.info(`Apply All Verified in ${file}: applied ${outcome.applied.join(', ') || 'none'}${skipped ? `; skipped ${skipped}` : ''}`);
    if (outcome.applied.length === 0) {
      void this.ui.info(
        outcome.skipped.length > 0 ? `no verified rewrite could be applied to ${file} (${skipped}).` : `there are no verified rewrites to apply in ${file}.`,
      );
      return;
    }
    const what = `applied ${outcome.applied.length} verified rewrite(s) to ${file} in one edit (${outcome.applied.join(', ')}; undo restores them all)`;
    void (outcome.skipped.length > 0 ? this.ui.warn(`${what}. Not applied: ${skipped}.`) : this.ui.info(`${what}.`));
  }

  /**
   * The proposal as it applies to the document now: as proposed when the document is at the
   * text the run read, moved onto the current text when only other code changed, else why not.
   */
  private async applicable(entry: ResultEntry, document: vscode.TextDocument): Promise<Applicable> {
    const proposal = entry.report.proposal!;
    for (let attempt = 0; attempt < 3; attempt++) {
      const version = document.version;
      const text = document.getText();
      if (version === entry.version && sha256(text) === proposal.baseSha256) return { proposal, text, version };
      const verdict = await this.results.check(entry, document);
      if (document.version !== version) continue;
      if (!verdict.ok) return { reason: verdict.reason };
      return verdict.proposal ? { proposal: verdict.proposal, text, version } : { reason: 'it has no proposal' };
    }
    return { reason: 'the file kept changing while effopt checked it' };
  }

  /** Writes a proposal computed for `target.text` as one replacement; false when the document moved on. */
  private async write(document: vscode.TextDocument, target: { text: string; version: number; newText: string }, label: string): Promise<boolean> {
    if (document.version !== target.version || document.getText() !== target.text) return false;
    const edit = minimalEdit(target.text, target.newText);
    const range = new vscode.Range(document.positionAt(edit.startOffset), document.positionAt(edit.endOffset));
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(document.uri, range, edit.text, { label, needsConfirmation: false });
    const ok = await vscode.workspace.applyEdit(workspaceEdit);
    return ok && document.getText() === target.newText;
  }

  private refuseStale(entry: ResultEntry, reason: string): ApplyOutcome {
    const file = vscode.workspace.asRelativePath(entry.uri);
    this.log.warn(`not applying the rewrite of ${entry.qualifiedName}: ${reason} since the run (${file} version ${entry.version})`);
    void this.ui.warn(
      `${file} changed since this rewrite of ${entry.qualifiedName} was proposed, so it was not applied: ${reason}. Re-run the optimization on the current text?`,
      {
        title: 'Re-run',
        run: () => vscode.commands.executeCommand('effopt.optimizeFunction', { uri: entry.uri.toString(), qualifiedName: entry.qualifiedName }),
      },
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
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && this.keyOf(t.input.modified) === entry.key);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
