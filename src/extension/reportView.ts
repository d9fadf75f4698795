// The efficiency report: a webview view in effopt's activity-bar container and, on request, the
// same report in an editor tab ("Open Report in Editor"). The host sends the results and the
// running function's progress to both (src/webview/protocol.ts); the webview renders them and
// asks the host to act (diff, apply, dismiss, re-run, cancel). The shown result follows the
// function under the cursor when that function has a result.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { functionAtOffset } from '../core/parse';
import {
  isWebviewMessage,
  PROTOCOL_VERSION,
  type EntryAction,
  type HostMessage,
  type RenderInspection,
  type ReportEntryView,
  type RunView,
  type WebviewMessage,
} from '../webview/protocol';
import type { DocumentFunctions } from './documents';
import type { Log } from './log';
import { describeProgress, runFraction } from './progress';
import { ResultStore, type ResultEntry } from './results';
import type { RunQueue } from './runs';

export interface RenderedReport {
  key?: string;
  sections: string[];
  /** What is visible (collapsed sections leave their content out). */
  text: string;
  /** Titles of the collapsed sections. */
  collapsed: string[];
  /** All the text, collapsed sections included. */
  allText: string;
  /** Which surface rendered it: the side view or the editor tab. */
  surface: SurfaceKind;
  inspect?: RenderInspection;
}

export type SurfaceKind = 'view' | 'editor';

/** One place the report is shown: the side view or the editor tab. */
interface Surface {
  kind: SurfaceKind;
  webview: vscode.Webview;
  ready: boolean;
}

export class ReportViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'effopt.report';
  static readonly editorViewType = 'effopt.reportEditor';
  private view: vscode.WebviewView | undefined;
  private editor: vscode.WebviewPanel | undefined;
  private readonly surfaces = new Map<SurfaceKind, Surface>();
  private selected: string | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedReport>();
  /** Fires after a webview rendered a state (what it shows, as text). */
  readonly onDidRender = this.renderedEmitter.event;
  /** The latest render of any surface. */
  lastRendered: RenderedReport | undefined;
  /** The latest render of each surface. */
  readonly rendered: Partial<Record<SurfaceKind, RenderedReport>> = {};
  private lastRun = '';
  /** Serial of the newest result the panel was sent: a newer one gets selected. */
  private newestSerial = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly results: ResultStore,
    private readonly runs: RunQueue,
    private readonly log: Log,
    private readonly documents?: DocumentFunctions,
  ) {
    this.subscriptions = [
      results.onDidChange(() => this.postState()),
      runs.onDidChange(() => this.postRun()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // Staleness shows in the panel: refresh when a document with results changes version.
        if (this.results.forDocument(e.document.uri).length > 0) this.postStateSoon();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.followSoon(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.followSoon(e)),
    ];
  }

  private get webviewDir(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const surface = this.attach('view', view.webview);
    const sub = view.onDidChangeVisibility(() => view.visible && this.postState());
    view.onDidDispose(() => {
      sub.dispose();
      if (this.view === view) {
        this.view = undefined;
        this.detach(surface);
      }
    });
  }

  /** Loads the report into a webview and listens to it. */
  private attach(kind: SurfaceKind, webview: vscode.Webview): Surface {
    const surface: Surface = { kind, webview, ready: false };
    this.surfaces.set(kind, surface);
    webview.options = { enableScripts: true, localResourceRoots: [this.webviewDir] };
    webview.html = this.html(webview, this.webviewDir, kind);
    const sub = webview.onDidReceiveMessage((m: unknown) => this.receive(surface, m));
    this.surfaceSubs.set(surface, sub);
    return surface;
  }

  private readonly surfaceSubs = new Map<Surface, vscode.Disposable>();

  private detach(surface: Surface): void {
    this.surfaceSubs.get(surface)?.dispose();
    this.surfaceSubs.delete(surface);
    if (this.surfaces.get(surface.kind) === surface) this.surfaces.delete(surface.kind);
  }

  /** The report in an editor tab (full width), created once and revealed afterwards. */
  async openInEditor(key?: string): Promise<vscode.WebviewPanel> {
    if (key) this.select(key);
    if (this.editor) {
      this.editor.reveal(undefined, false);
      this.postState();
      return this.editor;
    }
    const panel = vscode.window.createWebviewPanel(
      ReportViewProvider.editorViewType,
      'effopt: Efficiency Report',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [this.webviewDir] },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'effopt.svg');
    this.editor = panel;
    const surface = this.attach('editor', panel.webview);
    const sub = panel.onDidChangeViewState(() => panel.visible && this.postState());
    panel.onDidDispose(() => {
      sub.dispose();
      if (this.editor === panel) this.editor = undefined;
      this.detach(surface);
    });
    return panel;
  }

  /** The key of the result the report shows (or will show once rendered). */
  get shownKey(): string | undefined {
    return this.selected ?? this.results.all()[0]?.key;
  }

  private select(key: string): void {
    this.selected = key;
    this.newestSerial = Math.max(this.newestSerial, this.results.all()[0]?.serial ?? 0);
  }

  private followTimer: ReturnType<typeof setTimeout> | undefined;

  private followSoon(editor: vscode.TextEditor): void {
    if (this.results.forDocument(editor.document.uri).length === 0) return;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => {
      this.followTimer = undefined;
      void this.follow(editor).catch((err: unknown) => this.log.warn(`report: could not follow the cursor: ${(err as Error)?.message ?? err}`));
    }, 120);
  }

  /** Shows the result of the function under the cursor, when it has one. */
  private async follow(editor: vscode.TextEditor): Promise<void> {
    const entries = this.results.forDocument(editor.document.uri);
    if (entries.length === 0) return;
    const document = editor.document;
    const offset = document.offsetAt(editor.selection.active);
    const line = editor.selection.active.line + 1;
    const analysis = await this.documents?.analysis(document);
    let key: string | undefined;
    if (analysis) {
      // The innermost function that has a result (a method's result wins over its class's).
      const containing = analysis.functions.filter((f) => f.startOffset <= offset && offset <= f.endOffset);
      const inner = [...containing].sort((a, b) => a.endOffset - a.startOffset - (b.endOffset - b.startOffset));
      key = inner.map((f) => entries.find((e) => e.qualifiedName === f.qualifiedName)?.key).find((k) => k !== undefined);
      if (!key && !functionAtOffset(analysis.functions, offset)) return;
    } else {
      // No parse (unknown language version): the lines the run saw.
      key = entries.find((e) => e.report.function.startLine <= line && line <= e.report.function.endLine)?.key;
    }
    if (!key || key === this.selected) return;
    this.selected = key;
    this.postState();
  }

  /** Shows the panel, selecting a result when given. */
  async show(key?: string): Promise<void> {
    if (key) this.select(key);
    await vscode.commands.executeCommand(`${ReportViewProvider.viewId}.focus`);
    this.postState();
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  private receive(surface: Surface, raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      this.log.warn(`report panel sent an unknown message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const m: WebviewMessage = raw;
    switch (m.type) {
      case 'ready':
        surface.ready = true;
        this.postState();
        break;
      case 'select':
        // One selection for both surfaces: the other one follows.
        this.selected = m.key;
        this.postState();
        break;
      case 'cancel':
        void vscode.commands.executeCommand('effopt.cancelRun');
        break;
      case 'action':
        void this.act(m.action, m.key);
        break;
      case 'rendered':
        this.lastRendered = {
          key: m.key,
          sections: m.sections,
          text: m.text,
          collapsed: m.collapsed ?? [],
          allText: m.allText ?? m.text,
          surface: surface.kind,
          inspect: m.inspect,
        };
        this.rendered[surface.kind] = this.lastRendered;
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
    for (const surface of this.surfaces.values()) if (surface.ready) void surface.webview.postMessage(message);
  }

  private get anyReady(): boolean {
    return [...this.surfaces.values()].some((s) => s.ready);
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
    if (!this.anyReady) return;
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

  private html(webview: vscode.Webview, dir: vscode.Uri, kind: SurfaceKind): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dir, 'main.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dir, 'report.css'));
    const csp = [
      `default-src 'none'`,
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>effopt efficiency report</title>
</head><body class="${kind}">
<div id="run" role="status" aria-live="polite"></div>
<main id="root" aria-label="effopt efficiency report"><p class="empty">No efficiency report yet. Click <strong>⚡ Optimize</strong> above a function, or run <em>effopt: Optimize Function at Cursor</em>.</p></main>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
  }

  dispose(): void {
    if (this.pendingState) clearTimeout(this.pendingState);
    if (this.followTimer) clearTimeout(this.followTimer);
    this.editor?.dispose();
    for (const sub of this.surfaceSubs.values()) sub.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.renderedEmitter.dispose();
  }
}
