// Entry point: wires commands, lenses, the proposal documents and the report view to the editor,
// and returns a small API for the tests that run inside VS Code.
import * as vscode from 'vscode';
import { liveSandboxPids } from '../core/exec/sandbox/sandbox';
import { commands } from './commands';
import { readSettings } from './config';
import { Ctx } from './ctx';
import { DocumentFunctions } from './documents';
import { ReportViewProvider } from './reportView';

export interface EffoptApi {
  readonly ctx: Ctx;
  /** Pids of sandboxed child processes still alive (a cancelled run must leave none). */
  liveSandboxPids(): number[];
}

const SELECTOR: vscode.DocumentSelector = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'python'].map((language) => ({ language }));

export function activate(context: vscode.ExtensionContext): EffoptApi {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  for (const [id, factory] of Object.entries(commands)) {
    ctx.push(vscode.commands.registerCommand(id, factory(ctx)));
  }
  ctx.push(
    vscode.languages.registerCodeLensProvider(SELECTOR, ctx.lenses),
    // Kept alive while hidden: re-rendering the report's charts on every reveal would flicker and
    // lose scroll position; the state is small (a few reports).
    vscode.window.registerWebviewViewProvider(ReportViewProvider.viewId, ctx.report, { webviewOptions: { retainContextWhenHidden: true } }),
  );
  void vscode.commands.executeCommand('setContext', 'effopt.running', false);
  // The engine's one-time set-up, off the first run's path (see RunQueue.warm).
  const warm = (documents: readonly vscode.TextDocument[]): void => {
    if (!vscode.workspace.isTrusted) return;
    const languages = documents.map((d) => DocumentFunctions.languageOf(d)).filter((l) => l !== undefined);
    if (languages.length === 0) return;
    let pythonPath: string | undefined;
    try {
      pythonPath = readSettings().pythonPath;
    } catch {
      pythonPath = undefined;
    }
    setTimeout(() => void ctx.runs.warm(languages, pythonPath), 200);
  };
  warm(vscode.workspace.textDocuments);
  ctx.push(vscode.workspace.onDidOpenTextDocument((d) => warm([d])));
  try {
    const s = readSettings();
    ctx.log.info(
      `effopt activated (provider ${s.provider}, model ${s.model}, ${s.samples} samples, code lens ${s.codeLens}; workspace ${vscode.workspace.isTrusted ? 'trusted' : 'restricted: nothing runs'})`,
    );
  } catch (err) {
    ctx.log.error(`effopt settings are invalid: ${(err as Error).message}`);
  }
  return { ctx, liveSandboxPids };
}

export function deactivate(): void {}
