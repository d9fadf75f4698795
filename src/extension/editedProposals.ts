// Partial accept: a proposal can be edited before it is applied (Edit Proposal opens it as a
// writable untitled document in a diff against the file), or only some of its hunks taken. Either
// way the result is different code from what effopt verified, so it is verified again — with the
// same tests the run used, against the function in the file, with a quick benchmark — through the
// pipeline's evaluate mode, and applied only when it is verified and faster.
import * as vscode from 'vscode';
import { optimize, PipelineInputError, proposalHunks, applyHunks, type Hunk, type OptimizationReport } from '../core/pipeline';
import { projectDirOf, readSettings } from './config';
import type { Log } from './log';
import type { ApplyOutcome, ProposalRef, Proposals } from './proposals';
import { describeProgress } from './progress';
import { ResultStore, type ResultEntry } from './results';
import type { Ui } from './ui';

export type EditedOutcome = ApplyOutcome | 'not-verified' | 'not-faster' | 'unchanged' | 'cancelled';

/** A shorter benchmark than a full run's: the edit is one rewrite against the original. */
const QUICK_BENCH = { budgetMsPerLevel: 400, warmupMs: 50 };
const EDITED_CONTEXT_KEY = 'effopt.editedProposals';

export class EditedProposals implements vscode.Disposable {
  /** Untitled documents opened by Edit Proposal → the result they edit. */
  private readonly edited = new Map<string, string>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly results: ResultStore,
    private readonly proposals: Proposals,
    private readonly ui: Ui,
    private readonly log: Log,
    private readonly version: string,
  ) {
    this.subscription = vscode.workspace.onDidCloseTextDocument((d) => {
      if (this.edited.delete(d.uri.toString())) void this.publish();
    });
  }

  /**
   * Opens the proposal (as it applies to the file now) in a writable untitled document, in a
   * diff against the file. Returns the untitled document's URI.
   */
  async edit(ref: ProposalRef): Promise<vscode.Uri | undefined> {
    const entry = this.proposals.resolve(ref);
    const current = entry && (await this.currentProposal(entry));
    if (!entry || !current) return undefined;
    const draft = await vscode.workspace.openTextDocument({ language: current.document.languageId, content: current.newText });
    this.edited.set(draft.uri.toString(), entry.key);
    await this.publish();
    const title = `${vscode.workspace.asRelativePath(entry.uri)} ↔ effopt: ${entry.qualifiedName} (editable; Apply Edited Proposal re-verifies it)`;
    await vscode.commands.executeCommand('vscode.diff', entry.uri, draft.uri, title, { preview: false } satisfies vscode.TextDocumentShowOptions);
    return draft.uri;
  }

  /** Re-verifies the edited proposal and applies it when it holds. */
  async applyEdited(ref: ProposalRef): Promise<EditedOutcome> {
    const uri = ref instanceof vscode.Uri ? ref : vscode.window.activeTextEditor?.document.uri;
    const key = uri ? this.edited.get(uri.toString()) : undefined;
    const entry = key ? this.results.get(key) : undefined;
    if (!uri || !entry?.report.proposal) {
      void this.ui.warn('this is not an edited effopt proposal (or its result was dismissed); use "Edit Proposal" on a result first.');
      return 'no-proposal';
    }
    const draft = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!draft) return 'no-proposal';
    const outcome = await this.verifyAndApply(entry, draft.getText(), 'your edited version');
    if (outcome === 'applied') {
      // The draft stays open (closing an edited untitled document would ask to save it); it no longer applies.
      this.edited.delete(uri.toString());
      await this.publish();
    }
    return outcome;
  }

  /** The proposal's hunks against the file as it is now (empty when it cannot be applied). */
  async hunks(ref: ProposalRef): Promise<Hunk[]> {
    const entry = this.proposals.resolve(ref);
    const current = entry && (await this.currentProposal(entry));
    return current ? proposalHunks(current.document.getText(), current.newText) : [];
  }

  /**
   * Applies only the chosen hunks of a proposal (picked in a list when `chosen` is not given),
   * after verifying the partial rewrite the same way as an edited one.
   */
  async applyHunks(ref: ProposalRef, chosen?: readonly number[]): Promise<EditedOutcome> {
    const entry = this.proposals.resolve(ref);
    const current = entry && (await this.currentProposal(entry));
    if (!entry || !current) return 'no-proposal';
    const text = current.document.getText();
    const hunks = proposalHunks(text, current.newText);
    let picked = chosen ? [...chosen] : undefined;
    if (!picked) {
      if (hunks.length < 2) {
        void this.ui.info(`the rewrite of ${entry.qualifiedName} is a single change: use Apply (or Edit Proposal to change it).`);
        return 'declined';
      }
      const items = hunks.map((h) => ({
        label: `Line ${h.baseLine}: ${h.removed.length} line(s) → ${h.added.length} line(s)`,
        detail: [...h.removed.map((l) => `− ${l.trim()}`), ...h.added.map((l) => `+ ${l.trim()}`)].join('   ').slice(0, 300),
        picked: true,
        index: h.index,
      }));
      const selection = await vscode.window.showQuickPick(items, {
        canPickMany: true,
        title: `effopt: the changes of ${entry.qualifiedName} to apply (they are verified again)`,
      });
      if (!selection || selection.length === 0) return 'declined';
      picked = selection.map((s) => s.index);
    }
    const partial = applyHunks(text, current.newText, picked);
    if (partial === text) {
      void this.ui.info('no change was chosen.');
      return 'unchanged';
    }
    if (picked.length === hunks.length) return this.proposals.apply(entry.key);
    return this.verifyAndApply(entry, partial, `hunk(s) ${picked.map((i) => i + 1).join(', ')} of ${hunks.length}`);
  }

  /** The proposal as it applies to the document now, or undefined (with a message) when it does not. */
  private async currentProposal(entry: ResultEntry): Promise<{ document: vscode.TextDocument; newText: string } | undefined> {
    if (!entry.report.proposal) {
      void this.ui.warn(`there is no proposed rewrite of ${entry.qualifiedName} to edit.`);
      return undefined;
    }
    if (entry.applied) {
      void this.ui.info(`the rewrite of ${entry.qualifiedName} is already applied (undo restores the original).`);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(entry.uri);
    const verdict = await this.results.check(entry, document);
    if (!verdict.ok) {
      void this.ui.warn(
        `${vscode.workspace.asRelativePath(entry.uri)} changed since this rewrite of ${entry.qualifiedName} was proposed: ${verdict.reason}. Re-run the optimization first.`,
      );
      return undefined;
    }
    return { document, newText: (verdict.proposal ?? entry.report.proposal).newText };
  }

  /**
   * Verifies `fileText` (the file with the changed function) against the function in the file
   * now, with the run's tests and a quick benchmark; on success the new result replaces the old
   * one and is applied.
   */
  private async verifyAndApply(entry: ResultEntry, fileText: string, what: string): Promise<EditedOutcome> {
    const name = entry.qualifiedName;
    if (!entry.tests) {
      void this.ui.warn(`the tests of the run of ${name} are not at hand (it ran in an earlier session): re-run the optimization to edit its proposal.`);
      return 'not-verified';
    }
    const document = await vscode.workspace.openTextDocument(entry.uri);
    const source = document.getText();
    const version = document.version;
    let report: OptimizationReport;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `effopt: verifying ${what} of ${name}`, cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          const sub = token.onCancellationRequested(() => controller.abort());
          try {
            return await optimize({
              filePath: entry.uri.fsPath,
              source,
              language: entry.report.file.language,
              functionName: name,
              settings: readSettings(entry.uri),
              candidates: [{ id: 'edited', code: fileText }],
              tests: entry.tests,
              projectDir: projectDirOf(entry.uri),
              repair: false,
              bench: QUICK_BENCH,
              signal: controller.signal,
              version: this.version,
              onProgress: (p) => progress.report({ message: describeProgress(p) }),
            });
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (err) {
      if (!(err instanceof PipelineInputError)) throw err;
      void this.ui.error(`cannot verify ${what} of ${name}: ${err.message}`);
      return 'not-verified';
    }
    const candidate = report.candidates.find((c) => c.id === 'edited');
    this.log.info(`[${name}] ${what}: ${report.status} — ${candidate ? `${candidate.status}: ${candidate.reason}` : report.summary}`);
    if (report.status === 'cancelled') return 'cancelled';
    if (report.status === 'failed') {
      void this.ui.error(`${what} of ${name} could not be verified: ${report.error?.message.split('\n')[0] ?? report.summary}`);
      return 'not-verified';
    }
    if (!report.proposal) {
      const verified = candidate?.verification?.status === 'verified' && candidate.status !== 'rejected';
      if (candidate?.status === 'rejected' && /unchanged|the original function again/.test(candidate.reason)) {
        void this.ui.info(`${what} of ${name} is your function again: nothing to apply.`);
        return 'unchanged';
      }
      void this.ui.warn(
        verified
          ? `${what} of ${name} is verified but not measurably faster than your function (${candidate?.reason}), so it was not applied.`
          : `${what} of ${name} was not applied: ${candidate?.reason ?? report.summary}.`,
      );
      return verified ? 'not-faster' : 'not-verified';
    }
    if (document.version !== version) {
      void this.ui.warn(`${vscode.workspace.asRelativePath(entry.uri)} changed while ${what} of ${name} was being verified: run it again.`);
      return 'stale';
    }
    // The verified edit becomes the function's result (same tests, its own proposal) and is applied like any.
    const next = this.results.add({ uri: entry.uri, qualifiedName: name, version, source, report, tests: entry.tests });
    if (!ResultStore.isCurrent(next, document)) return 'stale';
    return this.proposals.apply(next.key);
  }

  private async publish(): Promise<void> {
    await vscode.commands.executeCommand('setContext', EDITED_CONTEXT_KEY, [...this.edited.keys()]);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
