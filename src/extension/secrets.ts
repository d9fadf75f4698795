// The API key lives in VS Code's SecretStorage, never in settings.json. The last value seen is
// kept in memory only so the log can scrub it from anything it writes.
import * as vscode from 'vscode';

const KEY = 'effopt.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private known: string | undefined;
  private readonly subscription: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== KEY) return;
      void this.get().then(() => this.changed.fire());
    });
  }

  async get(): Promise<string | undefined> {
    const value = await this.secrets.get(KEY);
    if (value) this.known = value;
    return value || undefined;
  }

  /** Values the log must never show (the current key, and the last one seen). */
  secretsToRedact(): string[] {
    return this.known ? [this.known] : [];
  }

  async store(value: string): Promise<void> {
    this.known = value;
    await this.secrets.store(KEY, value);
  }

  async delete(): Promise<void> {
    await this.secrets.delete(KEY);
  }

  /** Asks for the key (masked input) and stores it; an empty answer removes the stored key. */
  async promptAndStore(forWhat?: string): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      title: 'effopt: API key',
      prompt: `API key${forWhat ? ` for ${forWhat}` : ' for the OpenAI-compatible server'} (kept in VS Code's secret storage, never in settings). Leave empty to remove the stored key.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (/\s/.test(v.trim()) ? 'An API key has no spaces or line breaks.' : undefined),
    });
    if (value === undefined) return false;
    if (value.trim() === '') {
      await this.delete();
      void vscode.window.showInformationMessage('effopt: API key removed.');
    } else {
      await this.store(value.trim());
      void vscode.window.showInformationMessage('effopt: API key saved in secret storage.');
    }
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
