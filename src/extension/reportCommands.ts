// The report's own commands: open it in an editor tab, export it as Markdown (the same text the
// CLI writes with --markdown, from the same renderer).
import { dirname, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { renderMarkdown } from '../core/pipeline/reportText';
import type { Ctx } from './ctx';
import type { ResultEntry } from './results';

/** The result a report command acts on: the one named, else the one the report shows. */
function entryFor(ctx: Ctx, key: unknown): ResultEntry | undefined {
  if (typeof key === 'string' && key) return ctx.results.get(key);
  const shown = ctx.report.shownKey;
  return (shown ? ctx.results.get(shown) : undefined) ?? ctx.results.all()[0];
}

/** `<function>.effopt.md` next to the file (or in the first workspace folder). */
function defaultTarget(entry: ResultEntry): vscode.Uri | undefined {
  const name = `${entry.qualifiedName.replace(/[^\w.-]+/g, '_')}.effopt.md`;
  if (entry.uri.scheme === 'file') return vscode.Uri.file(`${dirname(entry.uri.fsPath)}/${name}`);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

/** A path argument: absolute, or relative to the first workspace folder. */
function pathUri(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return isAbsolute(path) || !folder ? vscode.Uri.file(path) : vscode.Uri.joinPath(folder, path);
}

/**
 * Writes the Markdown report of a result to `target` (a path or URI) or, without one, to where
 * the user picks in a save dialog. Returns the written file, undefined when nothing was written.
 */
export async function exportMarkdown(ctx: Ctx, key?: unknown, target?: unknown): Promise<vscode.Uri | undefined> {
  const entry = entryFor(ctx, key);
  if (!entry) {
    void ctx.ui.info(
      typeof key === 'string' && key ? 'that result is gone; run Optimize again to export a report.' : 'no report to export yet: optimize a function first.',
    );
    return undefined;
  }
  const uri =
    target instanceof vscode.Uri
      ? target
      : typeof target === 'string' && target
        ? pathUri(target)
        : await ctx.ui.saveFile({
            defaultUri: defaultTarget(entry),
            filters: { Markdown: ['md'] },
            saveLabel: 'Export',
            title: `Export the effopt report of ${entry.qualifiedName}`,
          });
  if (!uri) return undefined;
  try {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(renderMarkdown(entry.report, entry.source)));
  } catch (err) {
    void ctx.ui.error(`could not write ${uri.fsPath}: ${(err as Error).message}`);
    return undefined;
  }
  ctx.log.info(`exported the report of ${entry.qualifiedName} to ${uri.toString()}`);
  void ctx.ui.info(`saved the report of ${entry.qualifiedName} to ${vscode.workspace.asRelativePath(uri)}.`, {
    title: 'Open',
    run: () => vscode.window.showTextDocument(uri),
  });
  return uri;
}

export async function openReportInEditor(ctx: Ctx, key?: unknown): Promise<boolean> {
  await ctx.report.openInEditor(typeof key === 'string' && key ? key : undefined);
  return true;
}
