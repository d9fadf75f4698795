// The API key lives in VS Code's SecretStorage, never in settings.json.
import * as vscode from 'vscode';

const KEY = 'effopt.apiKey';

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(KEY);
  }

  async promptAndStore(): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      title: 'effopt: API key',
      prompt: 'API key for the OpenAI-compatible server (stored in VS Code secret storage). Leave empty to remove it.',
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return false;
    if (value.trim() === '') {
      await this.secrets.delete(KEY);
      void vscode.window.showInformationMessage('effopt: API key removed.');
    } else {
      await this.secrets.store(KEY, value.trim());
      void vscode.window.showInformationMessage('effopt: API key saved in secret storage.');
    }
    return true;
  }
}
