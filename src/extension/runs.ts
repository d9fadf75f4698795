// The run queue: one optimisation at a time (benchmarks need a quiet CPU), functions queued by
// "Optimize File" or several clicks, one cancellable progress notification for the whole batch,
// and the results stored per document URI + qualified name with the version the run read.
import * as vscode from 'vscode';
import { SettingsError, type EffoptSettings } from '../core/config';
import type { LanguageId } from '../core/languages/types';
import { optimize, PipelineInputError, type OptimizationReport, type PipelineProgress, type TestSuite } from '../core/pipeline';
import { warmUp } from '../core/warmup';
import { projectDirOf, readSettings } from './config';
import { DocumentFunctions } from './documents';
import type { Log } from './log';
import { actionsForLlmError, ModelProblem, resolveModel, type ResolvedModel } from './models';
import { describeProgress, runFraction, RunStatusBar } from './progress';
import { resultKey, type ResultEntry, type ResultStore } from './results';
import type { ApiKeyStore } from './secrets';
import type { Action, Ui } from './ui';
import { formatSpeedup, formatUsd } from '../webview/format';

export interface OptimizeTarget {
  uri: vscode.Uri;
  qualifiedName: string;
}

/** What is running now, for the lenses, the status bar and the report panel. */
export interface RunSnapshot {
  key: string;
  uri: vscode.Uri;
  qualifiedName: string;
  progress?: PipelineProgress;
  /** 1-based position in the batch, and the batch's size. */
  index: number;
  count: number;
  queued: number;
}

interface Queued {
  target: OptimizeTarget;
  key: string;
  done: Promise<ResultEntry | undefined>;
  resolve: (entry: ResultEntry | undefined) => void;
}

interface Active {
  item: Queued;
  controller: AbortController;
  progress?: PipelineProgress;
  index: number;
}

interface Batch {
  count: number;
  /** Functions whose run ended (with a result or a refusal) before any cancel. */
  finished: number;
  improved: number;
  /** Files with a verified rewrite from this batch (for Apply All Verified). */
  improvedFiles: Set<string>;
  unchanged: number;
  failed: string[];
  cancelled: boolean;
}

export interface RunDeps {
  log: Log;
  ui: Ui;
  keys: ApiKeyStore;
  results: ResultStore;
  /** effopt's version, for reports. */
  version: string;
}

const showReportAction = (key: string): Action => ({ title: 'Show Report', run: () => vscode.commands.executeCommand('effopt.showReport', key) });

export class RunQueue implements vscode.Disposable {
  private readonly queue: Queued[] = [];
  /** The item taken off the queue, from before its run starts until it ends. */
  private active: Active | undefined;
  private batch: Batch | undefined;
  private draining: Promise<void> | undefined;
  private readonly statusBar = new RunStatusBar();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a run starts, ends, changes stage, or the queue changes. */
  readonly onDidChange = this.changed.event;
  private lastFire = 0;
  private running = false;
  /** Languages whose one-time engine set-up is done or under way. */
  private readonly warmed = new Map<LanguageId, Promise<void>>();

  constructor(private readonly deps: RunDeps) {}

  /**
   * The value last given to the `effopt.running` context key (menus show Cancel only while
   * something runs); tests read it here, as context keys cannot be read from an extension.
   */
  get runningContext(): boolean {
    return this.running;
  }

  /**
   * Does the engine's one-time set-up for these languages now, while nothing runs: inside the
   * first run it blocks the extension host for a second or two, and lenses fall behind the run.
   */
  warm(languages: readonly LanguageId[], pythonPath?: string): Promise<void> {
    const todo = [...new Set(languages)].filter((l) => !this.warmed.has(l));
    if (todo.length === 0) return Promise.all(languages.map((l) => this.warmed.get(l))).then(() => undefined);
    const done = warmUp(todo, { pythonPath }).then((r) => {
      this.deps.log.info(
        `engine ready for ${todo.join(', ')} (${Object.entries(r.steps)
          .map(([k, v]) => `${k} ${v} ms`)
          .join(', ')})${r.failed.length ? `; not ready: ${r.failed.join(', ')}` : ''}`,
      );
    });
    for (const l of todo) this.warmed.set(l, done);
    return done;
  }

  /** Queues functions (skipping ones already queued or running); resolves with each one's result. */
  enqueue(targets: readonly OptimizeTarget[]): Promise<Array<ResultEntry | undefined>> {
    const promises = targets.map((target) => {
      const key = resultKey(target.uri, target.qualifiedName);
      const existing = this.active?.item.key === key ? this.active.item : this.queue.find((q) => q.key === key);
      if (existing) return existing.done;
      let resolve!: (entry: ResultEntry | undefined) => void;
      const done = new Promise<ResultEntry | undefined>((r) => (resolve = r));
      this.queue.push({ target, key, done, resolve });
      if (this.batch) this.batch.count++;
      return done;
    });
    this.fire(true);
    this.kick();
    return Promise.all(promises);
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // Functions queued while the last batch was closing start a new batch.
      if (this.queue.length > 0) this.kick();
    });
  }

  /** Stops the running function and drops the queue. True when there was something to cancel. */
  cancel(): boolean {
    const had = this.active !== undefined || this.queue.length > 0;
    if (this.batch && had) this.batch.cancelled = true;
    for (const q of this.queue.splice(0)) q.resolve(undefined);
    if (this.active && !this.active.controller.signal.aborted) {
      this.deps.log.info(`cancelling ${this.active.item.target.qualifiedName}`);
      this.active.controller.abort();
    }
    this.fire(true);
    return had;
  }

  state(key: string): 'running' | 'queued' | undefined {
    if (this.active?.item.key === key) return 'running';
    return this.queue.some((q) => q.key === key) ? 'queued' : undefined;
  }

  get busy(): boolean {
    return this.draining !== undefined;
  }

  snapshot(): RunSnapshot | undefined {
    const a = this.active;
    if (!a) return undefined;
    return {
      key: a.item.key,
      uri: a.item.target.uri,
      qualifiedName: a.item.target.qualifiedName,
      progress: a.progress,
      index: a.index,
      count: this.batch?.count ?? 1,
      queued: this.queue.length,
    };
  }

  /** Resolves when nothing is running or queued. */
  async whenIdle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private fire(force = false): void {
    const running = this.active !== undefined || this.queue.length > 0 || this.batch !== undefined;
    if (running !== this.running) {
      this.running = running;
      void vscode.commands.executeCommand('setContext', 'effopt.running', running);
    }
    const now = Date.now();
    if (!force && now - this.lastFire < 150) return;
    this.lastFire = now;
    const snap = this.snapshot();
    if (snap) this.statusBar.show(snap.qualifiedName, snap.progress, snap.queued);
    else this.statusBar.hide();
    this.changed.fire();
  }

  private async drain(): Promise<void> {
    this.batch = { count: this.queue.length, finished: 0, improved: 0, improvedFiles: new Set(), unchanged: 0, failed: [], cancelled: false };
    const batch = this.batch;
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'effopt', cancellable: true }, async (progress, token) => {
        const cancelling = token.onCancellationRequested(() => this.cancel());
        let reported = 0;
        let index = 0;
        try {
          while (this.queue.length > 0) {
            const item = this.queue.shift()!;
            index++;
            const active: Active = { item, controller: new AbortController(), index };
            this.active = active;
            this.fire(true);
            const position = batch.count > 1 ? ` (${index}/${batch.count})` : '';
            let lastReport = 0;
            let lastStage: string | undefined;
            const step = (fraction: number, message: string, stage?: string): void => {
              // At most ~7 updates a second within a stage: every update is a message to the
              // window, and a flood of them delays the lens refresh that follows.
              const now = Date.now();
              if (stage === lastStage && now - lastReport < 150) return;
              lastReport = now;
              lastStage = stage;
              const target = ((index - 1 + fraction) / Math.max(batch.count, index)) * 100;
              progress.report({ increment: Math.max(0, target - reported), message: `${item.target.qualifiedName}${position}: ${message}` });
              reported = Math.max(reported, target);
            };
            let entry: ResultEntry | undefined;
            try {
              entry = await this.runOne(active, step, batch);
              if (!active.controller.signal.aborted && entry?.report.status !== 'cancelled') batch.finished++;
            } catch (err) {
              this.deps.log.error(`run of ${item.target.qualifiedName} broke: ${(err as Error)?.stack ?? err}`);
              void this.deps.ui.error(`optimizing ${item.target.qualifiedName} failed: ${(err as Error)?.message ?? err}`, {
                title: 'Show Log',
                run: () => this.deps.log.show(),
              });
            } finally {
              this.active = undefined;
              this.fire(true);
            }
            item.resolve(entry);
          }
        } finally {
          cancelling.dispose();
        }
      });
    } finally {
      this.batch = undefined;
      this.fire(true);
    }
    if (batch.count > 1) this.summarizeBatch(batch);
  }

  private summarizeBatch(b: Batch): void {
    const parts = b.cancelled ? [`cancelled after ${b.finished} of ${b.count} functions`] : [];
    if (!b.cancelled || b.finished > 0) parts.push(`${b.improved} of ${b.cancelled ? b.finished : b.count} function(s) have a verified speedup`);
    if (b.failed.length > 0) parts.push(`${b.failed.length} could not be optimized (${b.failed.join(', ')})`);
    const applyAll: Action[] =
      b.improved > 0
        ? [
            {
              title: 'Apply All Verified',
              run: async () => {
                for (const uri of b.improvedFiles) await vscode.commands.executeCommand('effopt.applyAllVerified', vscode.Uri.parse(uri));
              },
            },
          ]
        : [];
    void this.deps.ui.info(`${parts.join('; ')}.`, ...applyAll, { title: 'Show Report', run: () => vscode.commands.executeCommand('effopt.showReport') });
  }

  private async runOne(active: Active, step: (fraction: number, message: string, stage?: string) => void, batch: Batch): Promise<ResultEntry | undefined> {
    const { log, ui } = this.deps;
    const { item, controller } = active;
    const { uri, qualifiedName } = item.target;
    const single = batch.count === 1;
    const document = await vscode.workspace.openTextDocument(uri);
    const language = DocumentFunctions.languageOf(document);
    const file = vscode.workspace.asRelativePath(uri);
    const refuse = (message: string, ...actions: Action[]): undefined => {
      batch.failed.push(qualifiedName);
      if (single) void ui.error(message, ...actions);
      else log.warn(message);
      return undefined;
    };
    if (!language) return refuse(`${file} is ${document.languageId}; effopt optimizes JavaScript, TypeScript and Python.`);
    if (uri.scheme !== 'file') {
      // Not a failure: the user only has to save the buffer.
      batch.failed.push(qualifiedName);
      void ui.info(unsavedMessage(document), saveAsAction(document));
      return undefined;
    }

    let settings: EffoptSettings;
    try {
      settings = readSettings(uri);
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      return refuse(err.message, { title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'effopt') });
    }
    let resolved: ResolvedModel;
    try {
      resolved = await resolveModel(settings, this.deps.keys, log);
    } catch (err) {
      if (!(err instanceof ModelProblem)) throw err;
      // Every queued function would meet the same problem: say it once and stop the batch.
      batch.failed.push(qualifiedName);
      for (const q of this.queue.splice(0)) q.resolve(undefined);
      void ui.error(err.message, ...err.actions);
      return undefined;
    }

    await this.warm([language], settings.pythonPath);
    if (controller.signal.aborted) return undefined;
    const source = document.getText();
    const version = document.version;
    const projectDir = projectDirOf(uri);
    log.info(
      `optimizing ${qualifiedName} in ${file} (version ${version}) with ${resolved.description}; ${settings.samples} samples, levels [${settings.levels.join(', ')}], α ${settings.alpha}, noise floor ${settings.noiseFloor}`,
    );
    step(0, 'starting');
    let lastStage = '';
    let report: OptimizationReport;
    let tests: TestSuite | undefined;
    try {
      report = await optimize({
        filePath: uri.fsPath,
        source,
        language,
        functionName: qualifiedName,
        settings,
        model: resolved.model,
        projectDir,
        signal: controller.signal,
        version: this.deps.version,
        onTests: (suite) => (tests = suite),
        onProgress: (p) => {
          active.progress = p;
          const text = describeProgress(p);
          if (p.stage !== lastStage) log.info(`[${qualifiedName}] ${text}`);
          else log.trace(`[${qualifiedName}] ${text}`);
          step(runFraction(p), text, p.stage);
          this.fire(p.stage !== lastStage);
          lastStage = p.stage;
        },
      });
    } catch (err) {
      if (err instanceof PipelineInputError) return refuse(`cannot optimize ${qualifiedName}: ${err.message}`);
      throw err;
    }

    const entry = this.deps.results.add({ uri, qualifiedName, version, source, report, ...(tests ? { tests } : {}) });
    this.logReport(report);
    // Edited while the run worked: the rewrite is for the old text, so the toast offers a re-run.
    const changedDuringRun = !document.isClosed && document.getText() !== source;
    this.announce(entry, resolved, settings, batch, changedDuringRun);
    return entry;
  }

  private logReport(report: OptimizationReport): void {
    const { log } = this.deps;
    log.info(`[${report.function.qualifiedName}] ${report.status}: ${report.summary} (${report.timings.total.toFixed(1)} s)`);
    for (const c of report.candidates) log.info(`  ${c.id}: ${c.status} — ${c.reason}`);
    if (report.llm)
      log.info(
        `  LLM ${report.llm.model}: ${report.llm.inputTokens} input + ${report.llm.outputTokens} output tokens${report.llm.estimated ? ' (estimated)' : ''}${report.llm.costUsd !== null ? `, ${formatUsd(report.llm.costUsd)}` : ''}`,
      );
    for (const n of report.notes) log.info(`  note: ${n}`);
    if (report.error)
      log.error(
        `  ${report.error.kind === 'input' && /\(HTTP 40[13]\)/.test(report.error.message) ? 'LLM (auth)' : report.error.kind} error: ${report.error.message}`,
      );
  }

  private announce(entry: ResultEntry, resolved: ResolvedModel, settings: EffoptSettings, batch: Batch, changedDuringRun: boolean): void {
    const { ui } = this.deps;
    const r = entry.report;
    const name = r.function.qualifiedName;
    const single = batch.count === 1;
    const rerun: Action = {
      title: 'Re-run',
      run: () => vscode.commands.executeCommand('effopt.optimizeFunction', { uri: entry.uri.toString(), qualifiedName: name }),
    };
    const fails = r.selection?.disagreements.length ?? 0;
    const seeWhy: Action = { title: 'See Why', run: () => vscode.commands.executeCommand('effopt.showReport', entry.key) };
    const failsText = fails > 0 ? disagreementText(fails) : '';
    if (r.status === 'improved') {
      batch.improved++;
      batch.improvedFiles.add(entry.uri.toString());
    }
    if (r.status === 'no-improvement') batch.unchanged++;
    if (r.status === 'tests-disagree' || r.status === 'failed') batch.failed.push(name);
    if (changedDuringRun && r.proposal && (r.status === 'improved' || r.status === 'tests-disagree')) {
      const found = r.status === 'improved' ? `found a ${formatSpeedup(r.winner?.speedup.estimate ?? 1)} faster rewrite of ${name}` : `finished ${name}`;
      void ui.warn(
        `${found}, but ${vscode.workspace.asRelativePath(entry.uri)} changed during the run, so it cannot be applied to the current text.${fails > 0 ? ` ${capitalize(failsText)}.` : ''}`,
        rerun,
        fails > 0 ? seeWhy : showReportAction(entry.key),
      );
      return;
    }
    switch (r.status) {
      case 'improved':
        if (single) {
          const verdict = `${name} is ${formatSpeedup(r.winner?.speedup.estimate ?? 1)} faster (verified on ${r.tests.cases} cases)`;
          if (fails > 0)
            void ui.warn(`${verdict}, but ${failsText}.`, seeWhy, {
              title: 'Show Diff',
              run: () => vscode.commands.executeCommand('effopt.showDiff', entry.key),
            });
          else
            void ui.info(
              `${verdict}.`,
              { title: 'Show Diff', run: () => vscode.commands.executeCommand('effopt.showDiff', entry.key) },
              { title: 'Apply', run: () => vscode.commands.executeCommand('effopt.applyProposal', entry.key) },
              showReportAction(entry.key),
            );
        }
        break;
      case 'tests-disagree':
        void ui.warn(fails > 0 ? `${name}: ${failsText}. ${r.summary}` : r.summary, fails > 0 ? seeWhy : showReportAction(entry.key));
        break;
      case 'no-improvement':
        if (single) void ui.info(fails > 0 ? `${r.summary} ${capitalize(failsText)}.` : r.summary, fails > 0 ? seeWhy : showReportAction(entry.key));
        break;
      case 'cancelled':
        if (single) void ui.info(`cancelled ${name}.`);
        break;
      case 'failed': {
        const llmError = resolved.model.firstError;
        const message = llmError ? llmError.message : (r.error?.message.split('\n')[0] ?? r.summary);
        void ui.error(`${name}: ${message}`, ...actionsForLlmError(llmError, settings), showReportAction(entry.key));
        break;
      }
    }
  }

  dispose(): void {
    this.cancel();
    this.statusBar.dispose();
    this.changed.dispose();
  }
}

/** "your code fails 1 generated test — see why" (the See Why button opens the report). */
export function disagreementText(fails: number): string {
  return `your code fails ${fails} generated test${fails === 1 ? '' : 's'} — see why`;
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export function unsavedMessage(document: vscode.TextDocument): string {
  return `save ${document.isUntitled ? 'this untitled file' : vscode.workspace.asRelativePath(document.uri)} to disk first: effopt runs the function from its file (imports resolve from its folder).`;
}

export const saveAsAction = (document: vscode.TextDocument): Action => ({
  title: 'Save As…',
  run: async () => {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.saveAs');
  },
});
