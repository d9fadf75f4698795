// Foundation checks in a real extension host: the extension activates, every contributed
// command is registered, and settings read back with the manifest's defaults.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, SETTING_NAMES } from '../../../src/core/config';
import { readSettings } from '../../../src/extension/config';

const EXTENSION_ID = 'effopt.effopt';

describe('effopt activation', () => {
  it('is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.ok(contributed.length >= 7);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });

  it('reads every setting with its default', () => {
    const cfg = vscode.workspace.getConfiguration('effopt');
    for (const name of SETTING_NAMES) assert.deepEqual(cfg.get(name), DEFAULT_SETTINGS[name], `effopt.${name}`);
    assert.deepEqual(readSettings(), { ...DEFAULT_SETTINGS });
  });

  it('sees a settings change made through the configuration API', async () => {
    const cfg = vscode.workspace.getConfiguration('effopt');
    await cfg.update('samples', 3, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(readSettings().samples, 3);
    } finally {
      await cfg.update('samples', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(readSettings().samples, DEFAULT_SETTINGS.samples);
  });

  it('contributes the report view in its own activity-bar container', async () => {
    await vscode.commands.executeCommand('effopt.showReport');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const views = ext.packageJSON.contributes.views.effopt as Array<{ id: string; type: string }>;
    assert.deepEqual(
      views.map((v) => [v.id, v.type]),
      [['effopt.report', 'webview']],
    );
  });
});
