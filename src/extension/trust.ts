// Restricted mode: lenses and the report work, but nothing runs. Verifying and benchmarking a
// rewrite executes the user's code (and code an LLM wrote), which needs a trusted workspace.
import * as vscode from 'vscode';
import type { Ui } from './ui';

export const TRUST_MESSAGE =
  'optimizing runs your code and the rewrites in sandboxed processes to verify and time them, which needs a trusted workspace. This workspace is in restricted mode.';

/** True when code may run; otherwise explains why not and offers to manage trust. */
export function ensureTrusted(ui: Ui): boolean {
  if (vscode.workspace.isTrusted) return true;
  void ui.warn(TRUST_MESSAGE, { title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand('workbench.trust.manage') });
  return false;
}
