// Entry point: wires commands and views to the editor and returns a small API for tests.
import * as vscode from 'vscode';
import { commands } from './commands';
import { readSettings } from './config';
import { Ctx } from './ctx';
import { ReportViewProvider } from './reportView';

export interface EffoptApi {
  readonly ctx: Ctx;
}

export function activate(context: vscode.ExtensionContext): EffoptApi {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  for (const [id, factory] of Object.entries(commands)) {
    ctx.push(vscode.commands.registerCommand(id, factory(ctx)));
  }
  ctx.push(vscode.window.registerWebviewViewProvider(ReportViewProvider.viewId, new ReportViewProvider(context.extensionUri), { webviewOptions: { retainContextWhenHidden: true } }));
  try {
    const s = readSettings();
    ctx.output.info(`effopt activated (provider ${s.provider}, model ${s.model}, ${s.samples} samples)`);
  } catch (err) {
    ctx.output.error(`effopt settings are invalid: ${(err as Error).message}`);
  }
  return { ctx };
}

export function deactivate(): void {}
