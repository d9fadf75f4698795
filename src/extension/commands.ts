// One factory per command: each takes the extension context it needs and returns the handler.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';

export type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

const notYet = (what: string): CommandFactory => () => () =>
  vscode.window.showInformationMessage(`effopt: ${what} is not available in this build yet.`);

export const commands: Record<string, CommandFactory> = {
  'effopt.optimizeFunction': notYet('Optimize Function at Cursor'),
  'effopt.optimizeFile': notYet('Optimize File'),
  'effopt.showReport': () => () => vscode.commands.executeCommand('effopt.report.focus'),
  'effopt.setApiKey': (ctx) => () => ctx.apiKeys.promptAndStore(),
  'effopt.selectModel': notYet('Select Model'),
  'effopt.cancelRun': notYet('Cancel Run'),
  'effopt.clearResults': notYet('Clear Results'),
};
