// What commands and views share: the extension context, the log, the stores and services.
// Built once in activate(); each service has its own file and disposes what it registers.
import * as vscode from 'vscode';
import { EFFOPT_VERSION } from '../core/setup';
import { OptimizeLensProvider } from './codeLens';
import { DocumentFunctions } from './documents';
import { EditedProposals } from './editedProposals';
import { Log } from './log';
import { Proposals } from './proposals';
import { ReportViewProvider } from './reportView';
import { ResultStore } from './results';
import { ResultStorage } from './resultStorage';
import { RunQueue } from './runs';
import { ApiKeyStore } from './secrets';
import { Ui } from './ui';

export class Ctx implements vscode.Disposable {
  readonly log: Log;
  readonly apiKeys: ApiKeyStore;
  readonly ui: Ui;
  readonly documents: DocumentFunctions;
  readonly results: ResultStore;
  readonly runs: RunQueue;
  readonly proposals: Proposals;
  readonly edited: EditedProposals;
  readonly lenses: OptimizeLensProvider;
  readonly report: ReportViewProvider;
  /** Resolves with the number of results restored from the last session. */
  readonly restored: Promise<number>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.apiKeys = new ApiKeyStore(extension.secrets);
    this.log = new Log(() => this.apiKeys.secretsToRedact());
    this.ui = new Ui(this.log);
    this.documents = new DocumentFunctions(this.log);
    this.results = new ResultStore();
    const version = EFFOPT_VERSION;
    this.runs = new RunQueue({ log: this.log, ui: this.ui, keys: this.apiKeys, results: this.results, version });
    this.proposals = new Proposals(this.results, this.ui, this.log);
    this.edited = new EditedProposals(this.results, this.proposals, this.ui, this.log, version);
    this.lenses = new OptimizeLensProvider(this.documents, this.results, this.runs);
    this.report = new ReportViewProvider(extension.extensionUri, this.results, this.runs, this.log, this.documents);
    // Disposed in reverse: the queue (cancelling a run) goes before the stores it writes to.
    this.push(this.log, this.apiKeys, this.ui, this.documents, this.results, this.runs, this.proposals, this.edited, this.lenses, this.report);
    this.restored = this.results
      .attachStorage(new ResultStorage(extension.workspaceState, extension.storageUri && vscode.Uri.joinPath(extension.storageUri, 'results'), this.log))
      .then(
        (n) => {
          if (n > 0) this.log.info(`restored ${n} result(s) from the last session`);
          return n;
        },
        (err: unknown) => {
          this.log.warn(`could not restore results: ${(err as Error)?.message ?? err}`);
          return 0;
        },
      );
  }

  push(...items: vscode.Disposable[]): void {
    this.disposables.push(...items);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
