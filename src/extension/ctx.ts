// What commands and views share: the extension context, the output channel, the stores.
import * as vscode from 'vscode';
import { ApiKeyStore } from './secrets';

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly apiKeys: ApiKeyStore;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('effopt', { log: true });
    this.apiKeys = new ApiKeyStore(extension.secrets);
    this.push(this.output);
  }

  push(...items: vscode.Disposable[]): void {
    this.disposables.push(...items);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
