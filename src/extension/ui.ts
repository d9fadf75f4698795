// Every message effopt shows goes through here: one place that words them, logs them, and lets
// the tests inside VS Code observe them (a notification's buttons cannot be clicked from the
// extension host). Notifications never block the caller: button choices run as follow-ups.
import * as vscode from 'vscode';
import type { Log } from './log';

export type Level = 'info' | 'warning' | 'error';

export interface Action {
  title: string;
  run: () => unknown;
}

export interface Shown {
  level: Level;
  message: string;
  /** The text as shown, with effopt's prefix. */
  text: string;
  actions: string[];
}

/** "effopt: …" once: a message that already starts with effopt's name gets no second prefix. */
function withPrefix(message: string): string {
  return /^effopt\b/i.test(message) ? message : `effopt: ${message}`;
}

export class Ui implements vscode.Disposable {
  private readonly shown = new vscode.EventEmitter<Shown>();
  /** Fires for every notification (tests listen to it). */
  readonly onDidShow = this.shown.event;

  constructor(private readonly log: Log) {}

  /**
   * Shows a notification and returns at once; the chosen action runs when the user clicks it.
   * The returned promise resolves to the chosen action's title (or undefined) when the
   * notification closes — callers other than tests should not wait for it.
   */
  notify(level: Level, message: string, ...actions: Action[]): Promise<string | undefined> {
    const text = withPrefix(message);
    this.log[level === 'warning' ? 'warn' : level](text);
    this.shown.fire({ level, message, text, actions: actions.map((a) => a.title) });
    const show =
      level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = Promise.resolve(show(text, ...actions.map((a) => a.title))).then(async (title) => {
      const action = actions.find((a) => a.title === title);
      if (action) await action.run();
      return title;
    });
    choice.catch((err: unknown) => this.log.error(`action failed: ${(err as Error)?.message ?? err}`));
    return choice;
  }

  info(message: string, ...actions: Action[]): Promise<string | undefined> {
    return this.notify('info', message, ...actions);
  }

  warn(message: string, ...actions: Action[]): Promise<string | undefined> {
    return this.notify('warning', message, ...actions);
  }

  error(message: string, ...actions: Action[]): Promise<string | undefined> {
    return this.notify('error', message, ...actions);
  }

  /**
   * A modal yes/no question; true only when the user picks `confirm`. Replaceable in tests
   * (a modal dialog cannot be answered from the extension host).
   */
  confirm: (message: string, detail: string, confirm: string) => Promise<boolean> = async (message, detail, confirm) => {
    this.log.info(`asking: ${message}`);
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, confirm);
    return choice === confirm;
  };

  /** A save dialog; undefined when cancelled. Replaceable in tests (the dialog cannot be answered from the extension host). */
  saveFile: (options: vscode.SaveDialogOptions) => Promise<vscode.Uri | undefined> = async (options) => vscode.window.showSaveDialog(options);
  /** A quick pick; replaceable in tests (like `confirm`) to see the items and choose one. */
  pick: <T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions) => Promise<T | undefined> = async (items, options) =>
    vscode.window.showQuickPick(items, options);

  /** A one-line text input; replaceable in tests. */
  input: (options: vscode.InputBoxOptions) => Promise<string | undefined> = async (options) => vscode.window.showInputBox(options);

  dispose(): void {
    this.shown.dispose();
  }
}
