// Which chat model a run uses: the OpenAI-compatible (or Azure) client built by the engine's
// factory with the key from SecretStorage, or a VS Code language model. Also turns the LLM
// failures a run meets into messages with the button that fixes them.
import * as vscode from 'vscode';
import type { EffoptSettings } from '../core/config';
import { createChatModel, displayUrl, LlmError, type ChatMessage, type ChatModel, type ChatOptions, type ChatReply, type ChatStream } from '../core/llm';
import { listServerModels } from '../core/llm/models';
import { modelSetup } from '../core/setup';
import { SECTION } from './config';
import { LmChatModel } from './lmModel';
import type { Log } from './log';
import type { ApiKeyStore } from './secrets';
import type { Action, Ui } from './ui';

/** Why no model could be built, with the buttons that fix it. */
export class ModelProblem extends Error {
  override readonly name = 'ModelProblem';
  constructor(
    message: string,
    readonly actions: Action[],
  ) {
    super(message);
  }
}

const setKeyAction: Action = { title: 'Set API Key', run: () => vscode.commands.executeCommand('effopt.setApiKey') };
const selectModelAction: Action = { title: 'Select Model', run: () => vscode.commands.executeCommand('effopt.selectModel') };
const openSettingsAction = (setting: string): Action => ({
  title: 'Open Settings',
  run: () => vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${setting}`),
});

/**
 * Wraps a model and remembers the first LLM error it threw: the pipeline turns failures into a
 * report, and the error's kind decides which button the message offers.
 */
class ObservedModel implements ChatModel {
  firstError: LlmError | undefined;

  constructor(readonly inner: ChatModel) {}

  get info() {
    return this.inner.info;
  }

  private note(err: unknown): void {
    if (err instanceof LlmError && err.kind !== 'cancelled' && !this.firstError) this.firstError = err;
  }

  chat(messages: readonly ChatMessage[], options?: ChatOptions): ChatStream {
    const stream = this.inner.chat(messages, options);
    stream.done.catch((err: unknown) => this.note(err));
    return stream;
  }

  get chatMany(): ((messages: readonly ChatMessage[], n: number, options?: ChatOptions) => Promise<ChatReply[]>) | undefined {
    const many = this.inner.chatMany?.bind(this.inner);
    if (!many) return undefined;
    return (messages, n, options) =>
      many(messages, n, options).catch((err: unknown) => {
        this.note(err);
        throw err;
      });
  }
}

export interface ResolvedModel {
  model: ObservedModel;
  /** For the log and messages: provider, model, server (no secrets). */
  description: string;
}

/** Builds the model the settings describe; throws ModelProblem when it cannot. */
export async function resolveModel(settings: EffoptSettings, keys: ApiKeyStore, log: Log): Promise<ResolvedModel> {
  const setup = modelSetup(settings, settings.provider === 'vscode-lm' ? undefined : await keys.get());
  if (setup.provider === 'vscode-lm') {
    const lm = await pickLanguageModel(setup.model);
    return { model: new ObservedModel(new LmChatModel(lm)), description: `VS Code language model ${lm.name} (${lm.vendor}/${lm.id})` };
  }
  if (setup.missingKey) {
    throw new ModelProblem(
      `no API key is set for ${displayUrl(settings.baseUrl)}. Set one with "effopt: Set API Key" (it is kept in VS Code's secret storage), or point effopt.baseUrl at a local server that needs none.`,
      [setKeyAction, openSettingsAction('baseUrl')],
    );
  }
  const model = createChatModel(settings, setup.apiKey, {
    onRetry: (e) => log.warn(`LLM request retry ${e.retry} in ${Math.round(e.delayMs)} ms: ${e.error.message}`),
  });
  return { model: new ObservedModel(model), description: setup.description };
}

async function pickLanguageModel(wanted: string): Promise<vscode.LanguageModelChat> {
  const all = await vscode.lm.selectChatModels();
  if (all.length === 0) {
    throw new ModelProblem(
      'no VS Code language model is available (GitHub Copilot Chat, for example, provides them once you are signed in). Install or sign in to a model provider, or use an OpenAI-compatible server.',
      [selectModelAction, { title: 'Use an OpenAI-compatible Server', run: () => useOpenAiProvider() }],
    );
  }
  if (!wanted) return all[0];
  const match = all.find((m) => m.id === wanted) ?? all.find((m) => m.family === wanted) ?? all.find((m) => m.name === wanted);
  if (match) return match;
  throw new ModelProblem(`VS Code has no language model "${wanted}" (available: ${all.map((m) => m.id).join(', ')}). Pick one with "effopt: Select Model".`, [
    selectModelAction,
  ]);
}

async function useOpenAiProvider(): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('provider', 'openai', vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.baseUrl`);
}

/** The buttons that fix a failed run's LLM error. */
export function actionsForLlmError(err: LlmError | undefined, settings: EffoptSettings): Action[] {
  switch (err?.kind) {
    case 'auth':
      return settings.provider === 'vscode-lm' ? [selectModelAction] : [setKeyAction];
    case 'model-not-found':
      return [selectModelAction, openSettingsAction('model')];
    case 'unreachable':
    case 'tls':
      return [openSettingsAction('baseUrl')];
    case 'rate-limited':
      return settings.provider === 'vscode-lm' ? [selectModelAction] : [openSettingsAction('parallelRequests')];
    case 'budget':
      return [openSettingsAction('budgetTokens')];
    default:
      return [];
  }
}

/** Settings that pick a model: where the user set them last (workspace folder, workspace, user). */
function targetOf(name: string, scope?: vscode.ConfigurationScope): vscode.ConfigurationTarget {
  const i = vscode.workspace.getConfiguration(SECTION, scope).inspect(name);
  if (i?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (i?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

interface ModelPick extends vscode.QuickPickItem {
  provider?: EffoptSettings['provider'];
  model?: string;
}

/**
 * Quick pick over the models the configured server lists (GET /v1/models), a typed model name,
 * and VS Code's language models. A server that refuses the key or cannot be reached says so in
 * the list, and typing a name still works.
 */
export async function selectModel(
  settings: EffoptSettings,
  ui: Ui,
  keys: ApiKeyStore,
  scope?: vscode.ConfigurationScope,
): Promise<{ provider: EffoptSettings['provider']; model: string } | undefined> {
  const compatible = settings.provider === 'vscode-lm' ? 'openai' : settings.provider;
  const server = displayUrl(settings.baseUrl);
  const [models, listed] = await Promise.all([
    vscode.lm.selectChatModels().then(
      (m) => m,
      () => [] as vscode.LanguageModelChat[],
    ),
    listServerModels({ ...settings, provider: compatible }, await keys.get()),
  ]);
  const current = (p: string, m: string): boolean => settings.provider === p && settings.model === m;
  const items: ModelPick[] = [];
  items.push({ label: `Models on ${server}`, kind: vscode.QuickPickItemKind.Separator });
  if (listed.ok) {
    if (listed.models.length === 0) items.push({ label: '$(info) The server lists no models', description: 'type a name below' });
    for (const id of listed.models)
      items.push({ label: `$(server) ${id}`, description: `${server}${current(compatible, id) ? ' · current' : ''}`, provider: compatible, model: id });
  } else {
    items.push({ label: `$(error) ${listError(listed.error)}`, detail: listed.error.message, alwaysShow: true });
  }
  items.push({ label: '$(edit) Type a model name…', description: `for ${server}`, provider: compatible, alwaysShow: true });
  items.push({ label: 'VS Code language models', kind: vscode.QuickPickItemKind.Separator });
  if (models.length === 0)
    items.push({
      label: '$(info) No VS Code language models available',
      description: 'GitHub Copilot Chat, for example, provides them once you are signed in',
    });
  for (const m of models)
    items.push({
      label: `$(sparkle) ${m.name}`,
      description: `${m.vendor} · ${m.id}`,
      detail: current('vscode-lm', m.id) ? 'current' : undefined,
      provider: 'vscode-lm',
      model: m.id,
    });
  const pick = await ui.pick(items, {
    title: 'effopt: Select Model',
    placeHolder: `Current: ${settings.provider} · ${settings.model}`,
    matchOnDescription: true,
  });
  if (!pick?.provider) return undefined;
  let model = pick.model;
  if (model === undefined) {
    model = await ui.input({
      title: 'effopt: model name',
      prompt: `Model name on ${server}`,
      value: settings.provider === 'vscode-lm' ? '' : settings.model,
      ignoreFocusOut: true,
    });
    if (!model?.trim()) return undefined;
    model = model.trim();
  }
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  await cfg.update('provider', pick.provider, targetOf('provider', scope));
  await cfg.update('model', model, targetOf('model', scope));
  return { provider: pick.provider, model };
}

/** One line for the pick list: why the server's models could not be listed. */
function listError(err: LlmError): string {
  switch (err.kind) {
    case 'auth':
      return 'The server refused the API key: set it with "effopt: Set API Key"';
    case 'unreachable':
    case 'tls':
    case 'timeout':
      return 'The server could not be reached: check effopt.baseUrl';
    default:
      return 'The server did not list its models';
  }
}
