// Code lenses above functions: "⚡ Optimize" before a run, the verdict and its actions after one.
// provideCodeLenses reads the cached parse of the document's version (DocumentFunctions), so it
// stays cheap while typing; lenses refresh when results arrive, runs progress, or settings change.
import * as vscode from 'vscode';
import { standaloneFunctions, type FunctionInfo } from '../core/parse';
import type { OptimizationReport } from '../core/pipeline';
import { formatSpeedup } from '../webview/format';
import { affectsSettings, readSettings } from './config';
import type { DocumentFunctions } from './documents';
import { resultKey, ResultStore, type ResultEntry } from './results';
import { disagreementText, type RunQueue } from './runs';
import { STAGE_LABELS } from './progress';

export type LensMode = 'all' | 'hot' | 'off';

/** Arguments every lens command receives (plain data: commands may cross process boundaries). */
export interface FunctionRef {
  uri: string;
  qualifiedName: string;
}

/**
 * Functions worth a lens (and an "Optimize File" run) under the mode, hottest first: only those
 * effopt can run on their own, so a lens never leads to a refusal.
 */
export function selectFunctions(functions: readonly FunctionInfo[], mode: LensMode): FunctionInfo[] {
  if (mode === 'off') return [];
  return standaloneFunctions(functions)
    .filter((f) => f.optimizable && !f.syntaxError && (mode === 'all' || f.hotness > 0))
    .sort((a, b) => b.hotness - a.hotness || a.startOffset - b.startOffset);
}

function lensMode(document: vscode.TextDocument): LensMode {
  try {
    return readSettings(document.uri).codeLens;
  } catch {
    return vscode.workspace.getConfiguration('effopt', document.uri).get<LensMode>('codeLens') ?? 'hot';
  }
}

export class OptimizeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private runSignature = '';

  constructor(
    private readonly documents: DocumentFunctions,
    private readonly results: ResultStore,
    private readonly runs: RunQueue,
  ) {
    this.subscriptions = [
      results.onDidChange(() => this.changed.fire()),
      runs.onDidChange(() => {
        // Lenses show which function runs and its stage, not the counts: refresh on those only.
        const snap = runs.snapshot();
        const signature = snap ? `${snap.key}|${snap.progress?.stage}|${snap.queued}` : '';
        if (signature !== this.runSignature) this.changed.fire();
        this.runSignature = signature;
      }),
      vscode.workspace.onDidChangeConfiguration((e) => affectsSettings(e) && this.changed.fire()),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const mode = lensMode(document);
    if (mode === 'off') return [];
    const analysis = await this.documents.analysis(document);
    if (!analysis || token.isCancellationRequested) return [];
    const uri = document.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    const shown = new Set<string>();
    const withResult = new Map(this.results.forDocument(document.uri).map((e) => [e.qualifiedName, e]));
    // Hottest first; a function with a result keeps its lens whatever the mode says.
    const chosen = selectFunctions(analysis.functions, mode);
    const extra = analysis.functions.filter((f) => withResult.has(f.qualifiedName) && !chosen.includes(f));
    for (const f of [...chosen, ...extra]) {
      if (shown.has(f.qualifiedName)) continue; // overloads share a name: one lens
      shown.add(f.qualifiedName);
      const line = Math.max(0, f.startLine - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const ref: FunctionRef = { uri, qualifiedName: f.qualifiedName };
      for (const command of this.commandsFor(f, ref, withResult.get(f.qualifiedName), document)) lenses.push(new vscode.CodeLens(range, command));
    }
    return lenses;
  }

  private commandsFor(f: FunctionInfo, ref: FunctionRef, entry: ResultEntry | undefined, document: vscode.TextDocument): vscode.Command[] {
    const key = resultKey(document.uri, f.qualifiedName);
    const state = this.runs.state(key);
    if (state === 'running') {
      const snap = this.runs.snapshot();
      const stage = snap?.progress ? `: ${STAGE_LABELS[snap.progress.stage]}` : '';
      return [
        {
          title: `$(loading~spin) Optimizing${stage}…`,
          command: 'effopt.showReport',
          arguments: [key],
          tooltip: 'effopt is optimizing this function; open the report panel',
        },
        { title: 'Cancel', command: 'effopt.cancelRun', tooltip: 'Stop this run (and any queued ones)' },
      ];
    }
    if (state === 'queued')
      return [
        { title: '$(watch) Queued for optimization · Cancel', command: 'effopt.cancelRun', tooltip: 'Waiting for the current run; click to cancel the queue' },
      ];
    const optimize: vscode.Command = {
      title: '⚡ Optimize',
      command: 'effopt.optimizeFunction',
      arguments: [ref],
      tooltip:
        f.hotnessReasons.length > 0
          ? `Ask the model for faster rewrites, verify and benchmark them.\nWhy this function: ${f.hotnessReasons.join('; ')}`
          : 'Ask the model for faster rewrites, verify and benchmark them.',
    };
    if (!entry) return [optimize];
    const r = entry.report;
    const why: vscode.Command = { title: 'Why', command: 'effopt.showReport', arguments: [entry.key], tooltip: 'Open the efficiency report for this run' };
    const stale = !entry.applied && !ResultStore.isCurrent(entry, document);
    if (entry.applied)
      return [
        {
          title: `$(check) Applied: ${speedupText(r)} faster`,
          command: 'effopt.showReport',
          arguments: [entry.key],
          tooltip: 'The rewrite is in the file; undo restores the original. Click for the report.',
        },
        optimize,
      ];
    const proposalActions = (applyTitle: string): vscode.Command[] => [
      { title: 'Diff', command: 'effopt.showDiff', arguments: [entry.key], tooltip: 'Compare the file with the proposed rewrite' },
      {
        title: applyTitle,
        command: 'effopt.applyProposal',
        arguments: [entry.key],
        tooltip: stale
          ? `Since the run ${ResultStore.staleReason(entry, document) ?? 'the file changed'}: Apply will refuse and offer to re-run`
          : 'Write the rewrite into the file (one undo step)',
      },
      { title: 'Dismiss', command: 'effopt.dismissProposal', arguments: [entry.key], tooltip: 'Discard this result' },
    ];
    const rerun: vscode.Command[] = stale
      ? [{ title: 'Re-run', command: 'effopt.optimizeFunction', arguments: [ref], tooltip: 'The file changed since this result: optimize the current text' }]
      : [];
    // Generated tests the original fails: said first, with the way to the evidence.
    const fails = r.selection?.disagreements.length ?? 0;
    const failing: vscode.Command[] =
      fails > 0
        ? [
            {
              title: `$(warning) ${capitalize(disagreementText(fails))}`,
              command: 'effopt.showReport',
              arguments: [entry.key],
              tooltip: `The tests the model wrote expect something else than your code returns on ${fails} input(s): either the tests or your code is wrong. Open the report to compare.\n${r.summary}`,
            },
          ]
        : [];
    switch (r.status) {
      case 'improved':
        return [
          {
            title: `${stale ? '$(history) ' : ''}${speedupText(r)} faster (verified)`,
            command: 'effopt.showReport',
            arguments: [entry.key],
            tooltip: `${r.summary}${stale ? '\nThe file changed since this run.' : ''}`,
          },
          ...failing,
          ...proposalActions('Apply'),
          ...rerun,
        ];
      case 'tests-disagree':
        return [
          ...(fails > 0
            ? failing
            : [{ title: '$(warning) Tests disagree with your code', command: 'effopt.showReport', arguments: [entry.key], tooltip: r.summary }, why]),
          ...(r.proposal ? proposalActions('Apply…') : [{ title: 'Dismiss', command: 'effopt.dismissProposal', arguments: [entry.key] }]),
          ...rerun,
        ];
      case 'no-improvement':
        return [
          { title: 'No verified speedup', command: 'effopt.showReport', arguments: [entry.key], tooltip: r.summary },
          ...(fails > 0 ? failing : [why]),
          ...rerun,
        ];
      case 'failed':
        return [
          { title: '$(error) Optimization failed', command: 'effopt.showReport', arguments: [entry.key], tooltip: r.summary },
          why,
          { ...optimize, title: 'Retry' },
        ];
      case 'cancelled':
        return [optimize];
    }
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function speedupText(r: OptimizationReport): string {
  return formatSpeedup(r.winner?.speedup.estimate ?? 1);
}
