// The contract between the engine and any chat model. Kept small on purpose: VS Code's
// language-model API (LanguageModelChat.sendRequest → async iterable of text, no `n`, no usage)
// implements it in the extension layer, the OpenAI-compatible client implements it here.

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** True when at least part of the count was estimated from text instead of reported by the server. */
  estimated: boolean;
}

export type FinishReason = 'stop' | 'length' | 'filtered' | 'unknown';

/** One finished reply. */
export interface ChatReply {
  text: string;
  finishReason: FinishReason;
  /** Undefined when the model does not report usage; the sampler then estimates it. */
  usage?: TokenUsage;
}

export interface ChatOptions {
  /** Aborting rejects the reply with an LlmError of kind `cancelled`. */
  signal?: AbortSignal;
  /** Overrides the model's default temperature. */
  temperature?: number;
  /** Cap on output tokens for this reply. */
  maxTokens?: number;
  /** Ask for a JSON object reply (OpenAI `response_format: json_object`); a hint, models may ignore it. */
  json?: boolean;
}

/**
 * A streamed reply: iterate it for text fragments as they arrive, and/or await `done` for the
 * whole reply. The fragments are buffered, so awaiting only `done` is fine. `done` rejects with
 * an LlmError (iteration then throws the same error).
 */
export interface ChatStream extends AsyncIterable<string> {
  readonly done: Promise<ChatReply>;
}

export interface ChatModelInfo {
  /** Model name as the provider knows it: the key of the price table and what reports show. */
  id: string;
  /** Who serves it: "openai", "azure", "ollama", "vscode-lm:copilot", ... (for reports). */
  vendor: string;
  /** Context window, when known: prompts are trimmed to fit. */
  maxInputTokens?: number;
}

export interface ChatModel {
  readonly info: ChatModelInfo;
  /** Sends one conversation and streams one reply. */
  chat(messages: readonly ChatMessage[], options?: ChatOptions): ChatStream;
  /**
   * Optional: n replies from one request (OpenAI `n`). Absent when the provider has no such thing.
   * May return fewer than n replies (servers that ignore `n`): the sampler fills the rest.
   * Usage, when present, is the request's total split over the replies.
   */
  chatMany?(messages: readonly ChatMessage[], n: number, options?: ChatOptions): Promise<ChatReply[]>;
}
