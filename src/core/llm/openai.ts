// ChatModel for any OpenAI-compatible server (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio,
// llama.cpp server), on the official `openai` SDK. The SDK does HTTP, SSE and request shapes;
// this file adds what a long unattended run needs: a whole-reply timeout (the SDK's stops at the
// headers), abortable retries that honour Retry-After, errors that say what to do, and quirk
// handling that adapts the request when a server refuses a parameter (see QUIRKS below).
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AzureOpenAI } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { LlmError, cancelledError, isLlmError, redactSecrets } from './errors';
import { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter, sleep, type RetryPolicy } from './retry';
import { createChatStream } from './stream';
import { estimateMessagesTokens, estimateTokens } from './tokens';
import type { ChatMessage, ChatModel, ChatModelInfo, ChatOptions, ChatReply, ChatStream, FinishReason, TokenUsage } from './types';

export interface AzureOptions {
  /** `api-version` query parameter, e.g. "2024-10-21". */
  apiVersion: string;
  /** Deployment name; defaults to the model name. */
  deployment?: string;
}

export interface RetryEvent {
  /** 1-based number of the retry about to happen. */
  retry: number;
  delayMs: number;
  error: LlmError;
}

export interface OpenAiCompatibleOptions {
  /** e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1; for Azure the resource endpoint. */
  baseUrl: string;
  model: string;
  /** Optional for local servers. Never logged, never part of an error message. */
  apiKey?: string;
  /** Set for Azure OpenAI (deployment-style URLs with api-version). */
  azure?: AzureOptions;
  /** Default temperature (per-call options override it). */
  temperature?: number;
  /** Default cap on output tokens per reply. */
  maxTokens?: number;
  /** Limit for one whole reply, headers to last token; default 120 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Try OpenAI's `n` for several samples in one request (default true; switched off when the server refuses or ignores it). */
  nativeN?: boolean;
  /** Extra HTTP headers (proxies, OpenRouter attribution, ...). */
  headers?: Record<string, string>;
  /** Shown in reports; guessed from the base URL when absent. */
  vendor?: string;
  /** Told about every retry before its wait (progress reporting). */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Server quirks, learnt from the first refusal and remembered for the model's lifetime:
 * - `max_tokens` refused (OpenAI o-series / gpt-5 reasoning models): send `max_completion_tokens`.
 * - `temperature` refused (same models accept only the default): omit it.
 * - `stream_options` refused (older vLLM / LM Studio / proxies): omit it; usage is then estimated.
 * - `response_format` refused (servers without JSON mode): omit it; the prompt still asks for JSON.
 * - `n` refused (llama.cpp: "Only one completion choice is allowed") or ignored (Ollama,
 *   LM Studio return one choice): stop asking; the sampler sends parallel single requests.
 */
interface Quirks {
  maxCompletionTokens: boolean;
  noTemperature: boolean;
  noStreamOptions: boolean;
  noResponseFormat: boolean;
  nativeN: 'untested' | 'yes' | 'no';
}

const NO_KEY = 'no-key-configured';
const DEFAULT_TIMEOUT_MS = 120_000;
/** Adapting to a refused parameter is not a retry, but bounded all the same. */
const MAX_ADAPTATIONS = 5;

export class OpenAiCompatibleModel implements ChatModel {
  readonly info: ChatModelInfo;
  // JS-private (#): never shown by console.log/util.inspect/JSON.stringify, as they hold the key.
  readonly #client: OpenAI;
  readonly #secrets: string[];
  private readonly options: Omit<OpenAiCompatibleOptions, 'apiKey'> & { hasKey: boolean };
  private readonly policy: RetryPolicy;
  private readonly quirks: Quirks;

  constructor(options: OpenAiCompatibleOptions) {
    const { apiKey, ...rest } = options;
    this.options = { ...rest, hasKey: Boolean(apiKey) };
    const url = safeUrl(options.baseUrl);
    this.info = { id: options.model, vendor: options.vendor ?? guessVendor(url, options.azure !== undefined) };
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.quirks = {
      maxCompletionTokens: false,
      noTemperature: false,
      noStreamOptions: false,
      noResponseFormat: false,
      nativeN: options.nativeN === false ? 'no' : 'untested',
    };
    this.#secrets = [apiKey ?? ''];
    const common = {
      apiKey: options.apiKey || NO_KEY,
      maxRetries: 0, // our own loop: abortable, observable, and it covers broken streams
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      defaultHeaders: options.headers,
      logLevel: 'off' as const, // the SDK would print raw server bodies to the console
    };
    if (options.azure) {
      // Azure's v1 API (…/openai/v1) is plain OpenAI with an `api-key` header; the classic API
      // needs deployment URLs and api-version, which AzureOpenAI builds.
      if (/\/openai\/v1\/?$/.test(url.pathname)) {
        this.#client = new OpenAI({ ...common, baseURL: options.baseUrl, defaultHeaders: { ...options.headers, 'api-key': options.apiKey ?? '' } });
      } else {
        const endpoint = /\/openai\/?$/.test(url.pathname) ? undefined : options.baseUrl;
        this.#client = new AzureOpenAI({
          ...common,
          ...(endpoint ? { endpoint } : { baseURL: options.baseUrl }),
          apiVersion: options.azure.apiVersion,
          deployment: options.azure.deployment || options.model,
        });
      }
    } else {
      this.#client = new OpenAI({ ...common, baseURL: options.baseUrl });
    }
  }

  /** Whether the last requests showed that the server honours `n`. */
  get nativeN(): 'untested' | 'yes' | 'no' {
    return this.quirks.nativeN;
  }

  chat(messages: readonly ChatMessage[], options: ChatOptions = {}): ChatStream {
    return createChatStream(async (emit) => {
      let emitted = false;
      return this.withRetries(
        options,
        () => emitted,
        async (signal) => {
          const body: ChatCompletionCreateParamsStreaming = { ...this.baseBody(messages, options), stream: true };
          if (!this.quirks.noStreamOptions) body.stream_options = { include_usage: true };
          const stream = await this.#client.chat.completions.create(body, { signal });
          let finish: FinishReason | undefined;
          let usage: TokenUsage | undefined;
          let received = 0;
          for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
            const choice = chunk.choices?.[0];
            const text = choice?.delta?.content;
            if (typeof text === 'string' && text !== '') {
              emitted = true;
              received += text.length;
              emit(text);
            }
            if (choice?.finish_reason) finish = mapFinish(choice.finish_reason);
            if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0, estimated: false };
          }
          // The SDK ends the iteration quietly on abort; a reply without a finish reason broke off.
          if (signal.aborted) throw signal.reason;
          if (finish === undefined) {
            throw new LlmError(
              'server',
              `The reply stream from ${this.where()} ended before the model finished (after ${received} characters); the connection may have been cut.`,
              { retryable: true },
            );
          }
          return { finishReason: finish, usage };
        },
      );
    }, options.signal);
  }

  async chatMany(messages: readonly ChatMessage[], n: number, options: ChatOptions = {}): Promise<ChatReply[]> {
    if (n <= 1 || this.quirks.nativeN === 'no') return [await this.chat(messages, options).done];
    const asked = n;
    const completion = await this.withRetries(
      options,
      () => false,
      async (signal) => {
        if (this.quirks.nativeN === 'no') return undefined; // learnt from a refusal during this call
        const body: ChatCompletionCreateParamsNonStreaming = { ...this.baseBody(messages, options), n: asked, stream: false };
        const reply: unknown = await this.#client.chat.completions.create(body, { signal });
        return checkCompletion(reply, this.where());
      },
    );
    if (completion === undefined) return [await this.chat(messages, options).done];
    const choices = [...completion.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    this.quirks.nativeN = choices.length >= 2 ? 'yes' : 'no';
    return splitUsage(
      choices.map((c) => ({ text: c.message?.content ?? '', finishReason: mapFinish(c.finish_reason) })),
      completion.usage
        ? { inputTokens: completion.usage.prompt_tokens ?? 0, outputTokens: completion.usage.completion_tokens ?? 0, estimated: false }
        : undefined,
    );
  }

  /** Model ids the server offers (GET /models); used to suggest a name after `model-not-found`. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    return this.withRetries(
      { signal },
      () => false,
      async (s) => {
        const ids: string[] = [];
        for await (const model of this.#client.models.list({ signal: s })) ids.push(model.id);
        return ids;
      },
    );
  }

  private baseBody(messages: readonly ChatMessage[], options: ChatOptions): Omit<ChatCompletionCreateParamsNonStreaming, 'stream'> {
    const body: Omit<ChatCompletionCreateParamsNonStreaming, 'stream'> = {
      model: this.options.model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
    };
    const temperature = options.temperature ?? this.options.temperature;
    if (temperature !== undefined && !this.quirks.noTemperature) body.temperature = temperature;
    const maxTokens = options.maxTokens ?? this.options.maxTokens;
    if (maxTokens !== undefined) {
      if (this.quirks.maxCompletionTokens) body.max_completion_tokens = maxTokens;
      else body.max_tokens = maxTokens;
    }
    if (options.json && !this.quirks.noResponseFormat) body.response_format = { type: 'json_object' };
    return body;
  }

  /**
   * Runs one request with the whole-reply timeout, adapting to refused parameters and retrying
   * transient failures (never after text was streamed to the caller: that is the sampler's call).
   */
  private async withRetries<T>(options: ChatOptions, streamedAnything: () => boolean, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let retries = 0;
    let adaptations = 0;
    for (;;) {
      if (options.signal?.aborted) throw cancelledError();
      const controller = new AbortController();
      const timer = setTimeout(
        () =>
          controller.abort(
            new LlmError(
              'timeout',
              `No complete reply from ${this.where()} within ${fmtSeconds(timeoutMs)}. The server may be overloaded or the model slow to load; raise effopt.requestTimeoutMs or lower effopt.maxTokens.`,
              { retryable: true },
            ),
          ),
        timeoutMs,
      );
      const onAbort = (): void => controller.abort(cancelledError());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let error: LlmError;
      try {
        return await attempt(controller.signal);
      } catch (raw) {
        error = this.classify(raw, controller.signal);
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
      if (error.kind === 'cancelled') throw error;
      if (error.kind === 'bad-request' && adaptations < MAX_ADAPTATIONS && this.adapt(error)) {
        adaptations++;
        continue;
      }
      if (error.kind === 'model-not-found') throw await this.withOfferedModels(error);
      if (!error.retryable || streamedAnything() || retries >= this.policy.maxRetries) {
        throw retries > 0 ? error.withContext(`Gave up after ${retries + 1} attempts`, { attempts: retries + 1 }) : error;
      }
      const delayMs = Math.max(0, error.retryAfterMs ?? backoffDelay(retries, this.policy));
      if (delayMs > this.policy.maxDelayMs) {
        throw new LlmError(
          error.kind,
          `${error.message} The server asks to wait ${fmtSeconds(delayMs)}, longer than the ${fmtSeconds(this.policy.maxDelayMs)} effopt waits; try again later.`,
          { status: error.status, code: error.code, retryAfterMs: error.retryAfterMs, attempts: retries + 1 },
        );
      }
      retries++;
      this.options.onRetry?.({ retry: retries, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }

  /** Adds the server's model list to a model-not-found error (best effort, a few seconds at most). */
  private async withOfferedModels(error: LlmError): Promise<LlmError> {
    if (this.options.azure) return error;
    try {
      const ids: string[] = [];
      for await (const model of this.#client.models.list({ signal: AbortSignal.timeout(5000) })) {
        ids.push(model.id);
        if (ids.length >= 50) break;
      }
      if (ids.length === 0) return error;
      const shown = ids.slice(0, 12).join(', ') + (ids.length > 12 ? ', …' : '');
      return new LlmError(error.kind, `${error.message} The server offers: ${shown}.`, { status: error.status, code: error.code, requestId: error.requestId });
    } catch {
      return error;
    }
  }

  /** Switches a quirk on when a 400 names a parameter the server refuses; true if anything changed. */
  private adapt(error: LlmError): boolean {
    const text = `${error.code ?? ''} ${error.message}`;
    const param = paramOf(error);
    const q = this.quirks;
    if (!q.maxCompletionTokens && (param === 'max_tokens' || /max_completion_tokens/.test(text))) return (q.maxCompletionTokens = true);
    if (!q.noTemperature && (param === 'temperature' || /\btemperature\b/i.test(text))) return (q.noTemperature = true);
    if (!q.noStreamOptions && (param?.startsWith('stream_options') || /stream_options|include_usage/i.test(text))) return (q.noStreamOptions = true);
    if (!q.noResponseFormat && (param?.startsWith('response_format') || /response_format|json_object/i.test(text))) return (q.noResponseFormat = true);
    if (q.nativeN !== 'no' && (param === 'n' || /completion choice|\bn\b\s*(>|must|should|can ?not|is not|not supported|=)|["'`]n["'`]/i.test(text))) {
      q.nativeN = 'no';
      return true;
    }
    return false;
  }

  private where(): string {
    return `${this.info.vendor} at ${displayUrl(this.options.baseUrl)}`;
  }

  /** Turns whatever the SDK or fetch threw into an LlmError with an actionable, key-free message. */
  private classify(raw: unknown, signal: AbortSignal): LlmError {
    if (signal.aborted && isLlmError(signal.reason)) return signal.reason;
    if (isLlmError(raw)) return raw;
    const model = this.options.model;
    const where = this.where();
    const clean = (s: string): string => redactSecrets(s, this.#secrets);
    if (raw instanceof APIUserAbortError) return cancelledError();
    if (raw instanceof APIConnectionTimeoutError) {
      return new LlmError(
        'timeout',
        `No reply from ${where} within ${fmtSeconds(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS)}; raise effopt.requestTimeoutMs or check the server.`,
        { retryable: true },
      );
    }
    if (raw instanceof APIConnectionError) return this.connectionError(raw);
    if (raw instanceof APIError) {
      const status = raw.status;
      const serverMessage = clean(serverMessageOf(raw));
      const details = { status, code: raw.code ?? undefined, param: raw.param ?? undefined, requestId: raw.requestID ?? undefined };
      const said = serverMessage ? ` The server said: "${serverMessage}"` : '';
      if (status === undefined) {
        // An error event inside an SSE stream (Ollama, vLLM report load failures this way).
        return new LlmError('server', `${where} reported an error in the middle of the reply.${said}`, { ...details, retryable: true });
      }
      if (status === 401 || status === 403) {
        const keyHint = this.options.hasKey
          ? 'Check that the API key belongs to this server and is still valid'
          : 'No API key is configured: set one with "effopt: Set API Key" (VS Code) or OPENAI_API_KEY / EFFOPT_API_KEY (CLI)';
        // Said as what it is (the server refused the key), not as bad input: the fix is the key.
        const refused = this.options.hasKey ? 'refused the API key' : 'requires an API key';
        return new LlmError('auth', `${where} ${refused} (HTTP ${status}). ${keyHint}.${said}`, details);
      }
      if (status === 404) {
        if (raw.code === 'model_not_found' || raw.code === 'DeploymentNotFound' || /model|deployment/i.test(serverMessage)) {
          const hint =
            this.info.vendor === 'ollama'
              ? ` For Ollama, run \`ollama pull ${model}\` first.`
              : this.options.azure
                ? ' For Azure, the model name must be a deployment name (or set effopt.azureDeployment).'
                : '';
          return new LlmError(
            'model-not-found',
            `Model "${model}" is not available at ${where}. Pick one the server offers (effopt: Select Model, or GET ${displayUrl(this.options.baseUrl)}/models).${hint}${said}`,
            details,
          );
        }
        return new LlmError(
          'unreachable',
          `${where} answered 404 Not Found for the chat endpoint: the base URL is probably wrong (OpenAI-compatible servers usually end in /v1).${said}`,
          details,
        );
      }
      if (status === 429) {
        const retryAfterMs = parseRetryAfter(raw.headers);
        if (raw.code === 'insufficient_quota' || /quota|billing/i.test(serverMessage)) {
          return new LlmError(
            'rate-limited',
            `${where} says the account's quota is exhausted (HTTP 429 insufficient_quota); retrying will not help. Check the plan and billing.${said}`,
            details,
          );
        }
        return new LlmError('rate-limited', `${where} is rate-limiting requests (HTTP 429). Lower effopt.parallelRequests or effopt.samples, or wait.${said}`, {
          ...details,
          retryable: true,
          retryAfterMs,
        });
      }
      if (status === 408) return new LlmError('timeout', `${where} timed out the request (HTTP 408).${said}`, { ...details, retryable: true });
      if (status === 400 || status === 422 || status === 413) {
        const tooLong = raw.code === 'context_length_exceeded' || /context length|maximum context|too many tokens|too long/i.test(serverMessage);
        return new LlmError(
          'bad-request',
          tooLong
            ? `The prompt is too long for model "${model}" at ${where}; the function or its context is too large for this model.${said}`
            : `${where} refused the request (HTTP ${status}).${said}`,
          details,
        );
      }
      if (status >= 500 || status === 409) {
        return new LlmError('server', `${where} failed with HTTP ${status}.${said}`, {
          ...details,
          retryable: true,
          retryAfterMs: parseRetryAfter(raw.headers),
        });
      }
      return new LlmError('server', `${where} answered HTTP ${status}.${said}`, details);
    }
    if (raw instanceof SyntaxError) {
      return new LlmError('bad-reply', `${where} sent a reply that is not valid JSON (${clean(raw.message)}); a proxy may be mangling responses.`, {
        retryable: true,
      });
    }
    const message = raw instanceof Error ? raw.message : String(raw);
    const code = errorCode(raw);
    if (code && TLS_CODES.has(code)) return this.connectionError(raw);
    // undici: "terminated" / "other side closed" when the socket dies mid-body.
    return new LlmError('server', `The connection to ${where} broke during the reply (${clean(code ?? message)}).`, { retryable: true });
  }

  private connectionError(raw: unknown): LlmError {
    const where = this.where();
    const code = errorCode(raw);
    const causeText = redactSecrets(deepestMessage(raw), this.#secrets);
    if (code && TLS_CODES.has(code)) {
      if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
        return new LlmError('tls', `TLS handshake with ${where} failed (${code}): the server probably speaks plain HTTP; use an http:// base URL.`, { code });
      }
      return new LlmError(
        'tls',
        `The TLS certificate of ${where} was not accepted (${code}). Behind a corporate proxy or with a private CA, export its certificate as PEM and start VS Code or the CLI with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`,
        { code },
      );
    }
    if (code === 'ECONNREFUSED') {
      const hint = this.info.vendor === 'ollama' ? ' Start it with `ollama serve`.' : ' Is the server running, and is the port right?';
      return new LlmError('unreachable', `Could not connect to ${where}: connection refused.${hint}`, { code });
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new LlmError('unreachable', `Could not resolve the host of ${where} (${code}). Check effopt.baseUrl and the network or proxy settings.`, {
        code,
        retryable: code === 'EAI_AGAIN',
      });
    }
    if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new LlmError('timeout', `Connecting to ${where} timed out (${code}); check the network, a firewall or a proxy.`, { code, retryable: true });
    }
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
      return new LlmError('server', `${where} closed the connection before answering (${code}).`, { code, retryable: true });
    }
    return new LlmError('unreachable', `Could not reach ${where} (${code ?? causeText}).`, { code });
  }
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_VERIFY_FIRST_CERTIFICATE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** The first `code` along an error's cause chain (undici wraps the socket error twice). */
function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 6; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function deepestMessage(e: unknown): string {
  let message = e instanceof Error ? e.message : String(e);
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 6; depth++) {
    if (cur instanceof Error && cur.message) message = cur.message;
    cur = (cur as { cause?: unknown }).cause;
  }
  return message;
}

function serverMessageOf(e: APIError): string {
  const body = e.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message;
  if (typeof body === 'string') return body;
  return e.message
    .replace(/^\d{3}\s*/, '')
    .replace(/status code \(no body\)/, '')
    .trim();
}

function paramOf(e: LlmError): string | undefined {
  if (e.param) return e.param;
  // Servers without OpenAI's `param` field name it in prose: "Unsupported parameter: 'max_tokens'".
  const m = /\bparam(?:eter)?s?[:= ]+['"`]?([a-z_.]+)/i.exec(e.message);
  return m?.[1];
}

/** Checks the shape of a non-streaming reply: a proxy's HTML page or an error object is not one. */
function checkCompletion(reply: unknown, where: string): ChatCompletion {
  if (typeof reply === 'string') {
    throw new LlmError('bad-reply', `${where} answered with text instead of JSON (${JSON.stringify(reply.slice(0, 80))}…); check the base URL.`, {
      retryable: false,
    });
  }
  const choices = (reply as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    throw new LlmError('bad-reply', `${where} answered without any completion choice; the server may not implement /chat/completions.`, { retryable: true });
  }
  return reply as ChatCompletion;
}

function mapFinish(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'eos':
    case 'end_turn':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'content_filter':
      return 'filtered';
    default:
      return 'unknown';
  }
}

/**
 * One request's usage over its n replies: the prompt is paid once, so input tokens are spread
 * evenly; output tokens in proportion to each reply's estimated size. Sums stay exact.
 */
function splitUsage(replies: Array<Omit<ChatReply, 'usage'>>, total: TokenUsage | undefined): ChatReply[] {
  if (!total) return replies.map((r) => ({ ...r }));
  const weights = replies.map((r) => Math.max(1, estimateTokens(r.text)));
  const sum = weights.reduce((a, b) => a + b, 0);
  let inLeft = total.inputTokens;
  let outLeft = total.outputTokens;
  return replies.map((r, i) => {
    const last = i === replies.length - 1;
    const input = last ? inLeft : Math.floor(total.inputTokens / replies.length);
    const output = last ? outLeft : Math.round((total.outputTokens * weights[i]) / sum);
    inLeft -= input;
    outLeft -= output;
    return { ...r, usage: { inputTokens: input, outputTokens: output, estimated: total.estimated } };
  });
}

/** Usage of a reply that came without it. */
export function estimateUsage(messages: readonly ChatMessage[], text: string): TokenUsage {
  return { inputTokens: estimateMessagesTokens(messages), outputTokens: estimateTokens(text), estimated: true };
}

function safeUrl(raw: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    /* reported below */
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
  throw new LlmError(
    'unreachable',
    `The base URL ${JSON.stringify(raw)} is not an http(s) URL; set effopt.baseUrl to something like https://api.openai.com/v1 or http://127.0.0.1:11434/v1.`,
  );
}

/** The base URL without user:password or query (never shown with credentials). */
export function displayUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

function guessVendor(url: URL, azure: boolean): string {
  if (azure || url.hostname.endsWith('.azure.com')) return 'azure';
  if (url.hostname === 'api.openai.com') return 'openai';
  if (url.port === '11434') return 'ollama';
  if (url.port === '1234') return 'lmstudio';
  return 'openai-compatible server';
}

const fmtSeconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`);
