// Shared by the suites that run inside VS Code (bundled into each suite by esbuild).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EffoptApi } from '../../src/extension/extension';
import type { Shown } from '../../src/extension/ui';
import { startScriptedServer, type ScriptedServer } from '../fixtures/llm-server/server';
import { TEST_KEY } from './scripts';

export const EXTENSION_ID = 'effopt.effopt';

export async function effopt(): Promise<EffoptApi> {
  const ext = vscode.extensions.getExtension<EffoptApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not found`);
  return ext.activate();
}

export function workspaceUri(name: string): vscode.Uri {
  const dir = process.env.EFFOPT_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(dir, 'no test workspace (EFFOPT_TEST_WORKSPACE)');
  return vscode.Uri.file(join(dir, name));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Sets effopt settings (user level) and returns a function that restores the previous values. */
export async function configure(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const cfg = vscode.workspace.getConfiguration('effopt');
  const previous = Object.keys(values).map((k) => [k, cfg.inspect(k)?.globalValue] as const);
  for (const [k, v] of Object.entries(values)) await cfg.update(k, v, vscode.ConfigurationTarget.Global);
  return async () => {
    for (const [k, v] of previous) await vscode.workspace.getConfiguration('effopt').update(k, v, vscode.ConfigurationTarget.Global);
  };
}

/** The effopt code lenses of a document, resolved, as [line, title] pairs in provider order. */
export async function lenses(uri: vscode.Uri): Promise<Array<{ line: number; title: string; command: string; args: unknown[] }>> {
  const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return all
    .filter((l) => l.command?.command.startsWith('effopt.'))
    .map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command!.command, args: l.command!.arguments ?? [] }));
}

/** Records the notifications effopt shows while `fn` runs (and after, until stopped). */
export function recordMessages(api: EffoptApi): { shown: Shown[]; stop: () => void } {
  const shown: Shown[] = [];
  const sub = api.ctx.ui.onDidShow((m) => shown.push(m));
  return { shown, stop: () => sub.dispose() };
}

/** Restores a document to its text on disk (tests edit documents without saving). */
export async function revert(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!doc.isDirty) return;
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

/** Replaces a document's whole text (one edit). */
export async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * effopt pointed at a scripted OpenAI-compatible server for `script`, with the test key in
 * SecretStorage. `close` clears results, reverts `file`, restores the settings, forgets the key
 * and stops the server.
 */
export async function scriptedProvider(
  api: EffoptApi,
  script: Parameters<typeof startScriptedServer>[0],
  settings: Record<string, unknown>,
  file: vscode.Uri,
): Promise<{ server: ScriptedServer; close: () => Promise<void> }> {
  const server = await startScriptedServer(script);
  const restore = await configure({ provider: 'openai', baseUrl: server.url, model: 'gpt-4o-mini', ...settings });
  await api.ctx.extension.secrets.store('effopt.apiKey', TEST_KEY);
  return {
    server,
    close: async () => {
      await vscode.commands.executeCommand('effopt.clearResults', { confirm: false });
      await revert(file);
      await restore();
      await api.ctx.extension.secrets.delete('effopt.apiKey');
      await server.close();
    },
  };
}
