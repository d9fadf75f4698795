// The "effopt" output channel. Every line passes the secret scrubber: the stored API key (and
// anything that looks like a bearer token or an OpenAI key) never reaches the log.
import * as vscode from 'vscode';
import { redactSecrets } from '../core/llm/errors';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(private readonly secrets: () => readonly string[]) {
    this.channel = vscode.window.createOutputChannel('effopt', { log: true });
  }

  private clean(message: string): string {
    return redactSecrets(message, [...this.secrets()]);
  }

  trace(message: string): void {
    this.channel.trace(this.clean(message));
  }

  info(message: string): void {
    this.channel.info(this.clean(message));
  }

  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }

  error(message: string): void {
    this.channel.error(this.clean(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
