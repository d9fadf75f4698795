// VS Code's language-model API (vscode.lm, e.g. GitHub Copilot) behind the engine's ChatModel
// contract. There is no system role, no `n` and no usage report: the system prompt goes first as
// a user message, the sampler sends parallel single requests and estimates tokens.
import * as vscode from 'vscode';
import { createChatStream, LlmError, type ChatMessage, type ChatModel, type ChatModelInfo, type ChatOptions, type ChatStream } from '../core/llm';

const JUSTIFICATION = 'effopt asks the model for faster rewrites of the function you chose, and for tests that check them.';

export class LmChatModel implements ChatModel {
  readonly info: ChatModelInfo;

  constructor(private readonly lm: vscode.LanguageModelChat) {
    this.info = { id: lm.id, vendor: `vscode-lm:${lm.vendor}`, maxInputTokens: lm.maxInputTokens };
  }

  chat(messages: readonly ChatMessage[], options: ChatOptions = {}): ChatStream {
    return createChatStream(async (emit) => {
      const cts = new vscode.CancellationTokenSource();
      const onAbort = (): void => cts.cancel();
      options.signal?.addEventListener('abort', onAbort);
      try {
        const modelOptions: Record<string, unknown> = {};
        if (options.temperature !== undefined) modelOptions.temperature = options.temperature;
        const response = await this.lm.sendRequest(toLmMessages(messages), { justification: JUSTIFICATION, modelOptions }, cts.token);
        for await (const fragment of response.text) emit(fragment);
        return { finishReason: 'stop' };
      } catch (err) {
        throw toLlmError(err, this.lm, options.signal);
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
        cts.dispose();
      }
    }, options.signal);
  }
}

/** The system prompt becomes the first user message (the API has no system role). */
function toLmMessages(messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'assistant') out.push(vscode.LanguageModelChatMessage.Assistant(m.content));
    else if (m.role === 'system') out.push(vscode.LanguageModelChatMessage.User(`Instructions:\n${m.content}`));
    else out.push(vscode.LanguageModelChatMessage.User(m.content));
  }
  return out;
}

/** vscode.LanguageModelError (and cancellation) as the engine's LlmError, with what to do. */
export function toLlmError(err: unknown, lm: Pick<vscode.LanguageModelChat, 'name' | 'id'>, signal?: AbortSignal): LlmError {
  if (err instanceof LlmError) return err;
  const name = lm.name || lm.id;
  if (signal?.aborted || err instanceof vscode.CancellationError) return new LlmError('cancelled', 'Cancelled the request.');
  if (err instanceof vscode.LanguageModelError) {
    const code = err.code;
    if (code === vscode.LanguageModelError.NoPermissions().code) {
      return new LlmError(
        'auth',
        `effopt may not use ${name}: access was refused or not yet granted. Run the optimization again and allow effopt when VS Code asks, or pick another model with "effopt: Select Model".`,
        { code },
      );
    }
    if (code === vscode.LanguageModelError.Blocked().code) {
      return new LlmError(
        'rate-limited',
        `${name} refused the request: the quota or rate limit of your language-model subscription is exhausted. Try again later or pick another model with "effopt: Select Model".`,
        { code },
      );
    }
    if (code === vscode.LanguageModelError.NotFound().code) {
      return new LlmError('model-not-found', `${name} is no longer available in VS Code. Pick another model with "effopt: Select Model".`, { code });
    }
    return new LlmError('server', `${name} failed: ${err.message}`, { code });
  }
  return new LlmError('server', `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
}
