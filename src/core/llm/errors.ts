// The one error type the LLM layer throws. Every failure is classified into a `kind` the UI can act
// on (ask for a key, pick another model, start the server, back off, ...) and carries a message
// that says what to do. Messages never contain the API key: `redactSecrets` scrubs anything the
// server echoes back, and provider errors are rebuilt from their fields, never re-thrown raw.

export type LlmErrorKind =
  | 'auth' // 401/403: missing, wrong or unauthorised API key
  | 'model-not-found' // the server does not know the model (404 model_not_found, Ollama "not found, try pulling it")
  | 'unreachable' // connection refused, DNS failure, wrong base URL path
  | 'tls' // certificate checks failed (corporate CA, self-signed server)
  | 'rate-limited' // 429 that outlived the retries, or a Retry-After too long to wait for
  | 'server' // 5xx, or a stream that broke off mid-way
  | 'timeout' // no complete reply within the request timeout
  | 'bad-request' // 400: the server refused the request (context too long, unsupported parameter)
  | 'bad-reply' // the server answered something that is not a chat completion (malformed JSON)
  | 'cancelled' // the caller's AbortSignal fired
  | 'budget'; // the run's token or cost cap would be exceeded

export interface LlmErrorDetails {
  /** HTTP status, when there was a response. */
  status?: number;
  /** Provider error code (`model_not_found`, `context_length_exceeded`, ...). */
  code?: string;
  /** The request parameter the server objected to (`max_tokens`, `n`, ...). */
  param?: string;
  /** Whether trying the same request again may succeed. */
  retryable?: boolean;
  /** The wait the server asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** Provider request id, for support tickets. */
  requestId?: string;
}

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly kind: LlmErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly param?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly attempts?: number;
  readonly requestId?: string;

  constructor(kind: LlmErrorKind, message: string, details: LlmErrorDetails = {}) {
    super(message);
    this.kind = kind;
    this.status = details.status;
    this.code = details.code;
    this.param = details.param;
    this.retryable = details.retryable ?? false;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts;
    this.requestId = details.requestId;
  }

  /** A copy with more context in front of the message (and optionally other details). */
  withContext(prefix: string, details: LlmErrorDetails = {}): LlmError {
    return new LlmError(this.kind, `${prefix}: ${this.message}`, {
      status: this.status,
      code: this.code,
      param: this.param,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
      requestId: this.requestId,
      ...details,
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      code: this.code,
      retryable: this.retryable,
      attempts: this.attempts,
    };
  }
}

export const isLlmError = (e: unknown): e is LlmError => e instanceof LlmError;

export const cancelledError = (what = 'the request'): LlmError => new LlmError('cancelled', `Cancelled ${what}.`);

/**
 * Removes secrets from text that may have come from a server or a stack: the given keys
 * themselves (and any 8+ character chunk of them), bearer tokens and `sk-...` style keys.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join('***');
    // Servers sometimes echo a masked key ("sk-abc***xyz"); a long enough piece still identifies it.
    if (secret.length >= 16) {
      for (let i = 0; i + 12 <= secret.length; i += 4) out = out.split(secret.slice(i, i + 12)).join('***');
    }
  }
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***').replace(/\b(sk-[A-Za-z0-9_-]{3})[A-Za-z0-9_-]{12,}/g, '$1***');
}
