// Typed settings, read per resource (a multi-root workspace may configure folders differently).
import * as vscode from 'vscode';
import { resolveSettings, SETTING_NAMES, type EffoptSettings, type SettingName } from '../core/config';
import { findProjectDir } from '../core/setup';

export const SECTION = 'effopt';

export function readSettings(scope?: vscode.ConfigurationScope): EffoptSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const layer: Partial<Record<SettingName, unknown>> = {};
  for (const name of SETTING_NAMES) layer[name] = cfg.get(name);
  return resolveSettings(layer);
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}

/** The project folder of a file, by the engine's rule, bounded by the file's workspace folder. */
export function projectDirOf(uri: vscode.Uri): string {
  return findProjectDir(uri.fsPath, vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath);
}
