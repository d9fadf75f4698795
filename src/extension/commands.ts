// One factory per command: each takes the extension context it needs and returns the handler.
// Handlers return what they did (the tests inside VS Code and other commands use it).
import * as vscode from 'vscode';
import { displayUrl } from '../core/llm';
import { functionAtOffset, type FunctionInfo } from '../core/parse';
import { selectFunctions, type FunctionRef } from './codeLens';
import { readSettings } from './config';
import type { Ctx } from './ctx';
import { DocumentFunctions } from './documents';
import { selectModel } from './models';
import type { ProposalRef } from './proposals';
import { exportMarkdown, openReportInEditor } from './reportCommands';
import type { ResultEntry } from './results';
import { saveAsAction, unsavedMessage } from './runs';
import { ensureTrusted } from './trust';

export type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

const isFunctionRef = (x: unknown): x is FunctionRef =>
  typeof x === 'object' && x !== null && typeof (x as FunctionRef).uri === 'string' && typeof (x as FunctionRef).qualifiedName === 'string';

/** A result key (lenses, the panel) or a proposal document's URI (editor title buttons). */
const proposalRef = (x: unknown): ProposalRef => (typeof x === 'string' || x instanceof vscode.Uri ? x : undefined);

function settingsOrDefault(scope?: vscode.Uri) {
  try {
    return readSettings(scope);
  } catch {
    return undefined;
  }
}

/** The function a lens names, or the one at the cursor. */
async function targetFunction(ctx: Ctx, arg: unknown): Promise<{ document: vscode.TextDocument; fn: FunctionInfo } | undefined> {
  let document: vscode.TextDocument;
  let offset: number | undefined;
  if (isFunctionRef(arg)) {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
  } else {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void ctx.ui.info('open a JavaScript, TypeScript or Python file and put the cursor inside a function.');
      return undefined;
    }
    document = editor.document;
    offset = document.offsetAt(editor.selection.active);
  }
  if (!DocumentFunctions.languageOf(document)) {
    void ctx.ui.info(`effopt optimizes JavaScript, TypeScript and Python; this file is ${document.languageId}.`);
    return undefined;
  }
  const analysis = await ctx.documents.analysis(document);
  const functions = analysis?.functions ?? [];
  const fn = isFunctionRef(arg)
    ? (functions.find((f) => f.qualifiedName === arg.qualifiedName && f.optimizable) ?? functions.find((f) => f.qualifiedName === arg.qualifiedName))
    : functionAtOffset(functions, offset!);
  if (!fn) {
    void ctx.ui.info(
      isFunctionRef(arg)
        ? `${arg.qualifiedName} is no longer in ${vscode.workspace.asRelativePath(document.uri)}.`
        : 'put the cursor inside a function to optimize it.',
    );
    return undefined;
  }
  if (!fn.optimizable || fn.syntaxError) {
    void ctx.ui.info(
      `${fn.qualifiedName} cannot be optimized: ${fn.syntaxError ? 'it contains a syntax error' : (fn.reason ?? 'unsupported kind of function')}.`,
    );
    return undefined;
  }
  return { document, fn };
}

/** effopt runs a function from its file: an unsaved buffer gets told so, kindly (not an error). */
function savedOnDisk(ctx: Ctx, document: vscode.TextDocument): boolean {
  if (document.uri.scheme === 'file') return true;
  void ctx.ui.info(unsavedMessage(document), saveAsAction(document));
  return false;
}

/** The walkthrough's sample: a copy in effopt's global storage (a real file, so it can run). */
async function openSample(ctx: Ctx): Promise<vscode.Uri> {
  const dir = vscode.Uri.joinPath(ctx.extension.globalStorageUri, 'sample');
  const target = vscode.Uri.joinPath(dir, 'dedupe.js');
  await vscode.workspace.fs.createDirectory(dir);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) await vscode.workspace.fs.copy(vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'walkthrough', 'dedupe.js'), target);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
  return target;
}

const optimizeFunction: CommandFactory =
  (ctx) =>
  async (arg?: unknown): Promise<ResultEntry | undefined> => {
    const target = await targetFunction(ctx, arg);
    if (!target || !savedOnDisk(ctx, target.document) || !ensureTrusted(ctx.ui)) return undefined;
    const [entry] = await ctx.runs.enqueue([{ uri: target.document.uri, qualifiedName: target.fn.qualifiedName }]);
    return entry;
  };

const optimizeFile: CommandFactory =
  (ctx) =>
  async (arg?: unknown): Promise<Array<ResultEntry | undefined>> => {
    const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void ctx.ui.info('open a JavaScript, TypeScript or Python file to optimize it.');
      return [];
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const analysis = await ctx.documents.analysis(document);
    if (!analysis) {
      void ctx.ui.info(`effopt optimizes JavaScript, TypeScript and Python; this file is ${document.languageId}.`);
      return [];
    }
    // Same choice as the lenses: every optimizable function with "all", the hot ones otherwise.
    const mode = settingsOrDefault(uri)?.codeLens === 'all' ? 'all' : 'hot';
    const functions = selectFunctions(analysis.functions, mode);
    if (functions.length === 0) {
      void ctx.ui.info(
        `no ${mode === 'hot' ? 'hot ' : ''}functions to optimize in ${vscode.workspace.asRelativePath(uri)}${mode === 'hot' ? ' (set effopt.codeLens to "all" to include every function)' : ''}.`,
      );
      return [];
    }
    if (!savedOnDisk(ctx, document) || !ensureTrusted(ctx.ui)) return [];
    ctx.log.info(`Optimize File ${vscode.workspace.asRelativePath(uri)}: ${functions.map((f) => `${f.qualifiedName} (hotness ${f.hotness})`).join(', ')}`);
    return ctx.runs.enqueue(functions.map((f) => ({ uri, qualifiedName: f.qualifiedName })));
  };

export const commands: Record<string, CommandFactory> = {
  'effopt.optimizeFunction': optimizeFunction,
  'effopt.optimizeFile': optimizeFile,
  'effopt.showReport': (ctx) => (key?: unknown) => ctx.report.show(typeof key === 'string' ? key : undefined),
  'effopt.openReportInEditor': (ctx) => (key?: unknown) => openReportInEditor(ctx, key),
  'effopt.exportMarkdown': (ctx) => (key?: unknown, target?: unknown) => exportMarkdown(ctx, key, target),
  'effopt.setApiKey': (ctx) => () => {
    const s = settingsOrDefault(vscode.window.activeTextEditor?.document.uri);
    return ctx.apiKeys.promptAndStore(s && s.provider !== 'vscode-lm' ? displayUrl(s.baseUrl) : undefined);
  },
  'effopt.selectModel': (ctx) => async () => {
    const scope = vscode.window.activeTextEditor?.document.uri;
    const settings = settingsOrDefault(scope);
    if (!settings) {
      void ctx.ui.error('effopt settings are invalid; fix them first.', {
        title: 'Open Settings',
        run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'effopt'),
      });
      return undefined;
    }
    const picked = await selectModel(settings, ctx.ui, ctx.apiKeys, scope);
    if (picked) void ctx.ui.info(`using ${picked.provider === 'vscode-lm' ? 'VS Code language model' : 'model'} ${picked.model}.`);
    return picked;
  },
  'effopt.cancelRun': (ctx) => () => {
    const cancelled = ctx.runs.cancel();
    if (!cancelled) void ctx.ui.info('nothing is running.');
    return cancelled;
  },
  // Asks first; scripts and keybindings may pass { confirm: false }.
  'effopt.clearResults': (ctx) => async (options?: unknown) => {
    const entries = ctx.results.all();
    const ask = (options as { confirm?: boolean } | undefined)?.confirm === false ? async () => true : ctx.ui.confirm;
    if (!(await ctx.results.confirmClear(ask))) return false;
    for (const entry of entries) await ctx.proposals.dismiss(entry.key);
    ctx.results.clear();
    return true;
  },
  'effopt.openSettings': () => () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:effopt.effopt'),
  'effopt.openSample': (ctx) => () => openSample(ctx),
  // Used by the lenses, the report panel and the diff editor's title bar.
  'effopt.showDiff': (ctx) => (ref?: unknown) => ctx.proposals.showDiff(proposalRef(ref)),
  'effopt.applyProposal': (ctx) => (ref?: unknown) => ctx.proposals.apply(proposalRef(ref)),
  'effopt.dismissProposal': (ctx) => (ref?: unknown) => ctx.proposals.dismiss(proposalRef(ref)),
  'effopt.applyAllVerified': (ctx) => (arg?: unknown) => {
    const uri =
      arg instanceof vscode.Uri
        ? arg
        : typeof arg === 'string'
          ? vscode.Uri.parse(arg)
          : isFunctionRef(arg)
            ? vscode.Uri.parse(arg.uri)
            : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void ctx.ui.info('open a file with effopt results to apply its verified rewrites.');
      return undefined;
    }
    return ctx.proposals.applyAll(uri);
  },
  // Partial accept: edit the proposal, or take some of its hunks; both are verified again before Apply.
  'effopt.editProposal': (ctx) => (ref?: unknown) => ctx.edited.edit(proposalRef(ref)),
  'effopt.applyEditedProposal': (ctx) => (ref?: unknown) => ctx.edited.applyEdited(ref instanceof vscode.Uri ? ref : undefined),
  'effopt.applyProposalHunks': (ctx) => (ref?: unknown, chosen?: unknown) =>
    ctx.edited.applyHunks(proposalRef(ref), Array.isArray(chosen) && chosen.every((i) => Number.isInteger(i)) ? (chosen as number[]) : undefined),
};
