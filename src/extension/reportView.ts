// The efficiency report: a webview view in effopt's activity-bar container. The host sends the
// results and the running function's progress (src/webview/protocol.ts); the webview renders
// them and asks the host to act (diff, apply, dismiss, re-run, cancel).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isWebviewMessage, PROTOCOL_VERSION, type EntryAction, type HostMessage, type ReportEntryView, type RunView, type WebviewMessage } from '../webview/protocol';
import type { Log } from './log';
import { describeProgress, runFraction } from './progress';
import { ResultStore, type ResultEntry } from './results';
import type { RunQueue } from './runs';

export interface RenderedReport {
  key?: string;
  sections: string[];
  text: string;
}

export class ReportViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'effopt.report';
  private view: vscode.WebviewView | undefined;
  private selected: string | undefined;
  private ready = false;
  private readonly subscriptions: vscode.Disposable[];
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedReport>();
  /** Fires after the webview rendered a state (what it shows, as text). */
  readonly onDidRender = this.renderedEmitter.event;
  lastRendered: RenderedReport | undefined;
  private lastRun = '';
  /** Serial of the newest result the panel was sent: a newer one gets selected. */
  private newestSerial = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly results: ResultStore,
    private readonly runs: RunQueue,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      results.onDidChange(() => this.postState()),
      runs.onDidChange(() => this.postRun()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // Staleness shows in the panel: refresh when a document with results changes version.
        if (this.results.forDocument(e.document.uri).length > 0) this.postStateSoon();
      }),
    ];
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const webviewDir = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewDir] };
    view.webview.html = this.html(view.webview, webviewDir);
    const subs = [
      view.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      view.onDidChangeVisibility(() => view.visible && this.postState()),
    ];
    view.onDidDispose(() => {
      for (const s of subs) s.dispose();
      if (this.view === view) {
        this.view = undefined;
        this.ready = false;
      }
    });
  }

  /** Shows the panel, selecting a result when given. */
  async show(key?: string): Promise<void> {
    if (key) {
      this.selected = key;
      this.newestSerial = Math.max(this.newestSerial, this.results.all()[0]?.serial ?? 0);
    }
    await vscode.commands.executeCommand(`${ReportViewProvider.viewId}.focus`);
    this.postState();
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  private receive(raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      this.log.warn(`report panel sent an unknown message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const m: WebviewMessage = raw;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.postState();
        break;
      case 'select':
        this.selected = m.key;
        break;
      case 'cancel':
        void vscode.commands.executeCommand('effopt.cancelRun');
        break;
      case 'action':
        void this.act(m.action, m.key);
        break;
      case 'rendered':
        this.lastRendered = { key: m.key, sections: m.sections, text: m.text };
        this.renderedEmitter.fire(this.lastRendered);
        break;
    }
  }

  private async act(action: EntryAction, key: string): Promise<void> {
    const entry = this.results.get(key);
    if (!entry) return;
    const commands: Record<EntryAction, () => Thenable<unknown>> = {
      diff: () => vscode.commands.executeCommand('effopt.showDiff', key),
      apply: () => vscode.commands.executeCommand('effopt.applyProposal', key),
      dismiss: () => vscode.commands.executeCommand('effopt.dismissProposal', key),
      rerun: () => vscode.commands.executeCommand('effopt.optimizeFunction', { uri: entry.uri.toString(), qualifiedName: entry.qualifiedName }),
      reveal: async () => {
        const line = Math.max(0, entry.report.function.startLine - 1);
        await vscode.window.showTextDocument(entry.uri, { selection: new vscode.Range(line, 0, line, 0) });
      },
    };
    await commands[action]();
  }

  private post(message: HostMessage): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  private pendingState: ReturnType<typeof setTimeout> | undefined;

  private postStateSoon(): void {
    if (this.pendingState) return;
    this.pendingState = setTimeout(() => {
      this.pendingState = undefined;
      this.postState();
    }, 300);
  }

  postState(): void {
    if (!this.view || !this.ready) return;
    const all = this.results.all();
    if (all[0] && all[0].serial > this.newestSerial) {
      this.newestSerial = all[0].serial;
      this.selected = all[0].key;
    }
    const entries = all.map((e) => this.entryView(e));
    if (this.selected && !entries.some((e) => e.key === this.selected)) this.selected = undefined;
    this.post({ type: 'state', protocol: PROTOCOL_VERSION, entries, selected: this.selected ?? entries[0]?.key, run: this.runView() });
  }

  private postRun(): void {
    const run = this.runView();
    // Progress arrives often: send only what changed.
    const signature = JSON.stringify(run ?? null);
    if (signature === this.lastRun) return;
    this.lastRun = signature;
    this.post({ type: 'run', run });
  }

  private entryView(e: ResultEntry): ReportEntryView {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === e.uri.toString());
    const stale = !e.applied && document !== undefined && !ResultStore.isCurrent(e, document);
    return {
      key: e.key,
      file: vscode.workspace.asRelativePath(e.uri),
      qualifiedName: e.qualifiedName,
      report: e.report,
      stale,
      applied: e.applied !== undefined,
      hasProposal: e.report.proposal !== undefined,
      flagged: e.report.proposal !== undefined && !e.report.proposal.autoApply,
    };
  }

  private runView(): RunView | undefined {
    const snap = this.runs.snapshot();
    if (!snap) return undefined;
    return {
      key: snap.key,
      qualifiedName: snap.qualifiedName,
      file: vscode.workspace.asRelativePath(snap.uri),
      stage: snap.progress?.stage,
      text: snap.progress ? describeProgress(snap.progress) : 'starting',
      fraction: snap.progress ? runFraction(snap.progress) : 0,
      index: snap.index,
      count: snap.count,
      queued: snap.queued,
    };
  }

  private html(webview: vscode.Webview, dir: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dir, 'main.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dir, 'report.css'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource} data:`, `font-src ${webview.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>effopt efficiency report</title>
</head><body>
<div id="run" role="status" aria-live="polite"></div>
<main id="root" aria-label="effopt efficiency report"><p class="empty">No efficiency report yet. Click <strong>⚡ Optimize</strong> above a function, or run <em>effopt: Optimize Function at Cursor</em>.</p></main>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
  }

  dispose(): void {
    if (this.pendingState) clearTimeout(this.pendingState);
    for (const s of this.subscriptions) s.dispose();
    this.renderedEmitter.dispose();
  }
}
