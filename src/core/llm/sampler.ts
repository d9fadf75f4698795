// n samples of one prompt: native `n` when the model offers it (one request, one prompt paid),
// otherwise bounded parallel single requests. Every request goes through the budget first; when
// the budget says no, generation stops cleanly with what it has and says why.
import type { Budget, BudgetReservation } from './budget';
import { LlmError, cancelledError, isLlmError } from './errors';
import { estimateUsage } from './openai';
import { estimateMessagesTokens, estimateTokens } from './tokens';
import type { ChatMessage, ChatModel, ChatOptions, ChatReply, TokenUsage } from './types';

/** Output cap assumed for budget reservations when the caller sets none. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export interface SampleOptions extends ChatOptions {
  /** Parallel requests when sampling one by one (default 4). */
  concurrency?: number;
  budget?: Budget;
  /** Use the model's `chatMany` when it has one (default true). */
  nativeN?: boolean;
  /** Extra attempts for a sample whose reply broke off mid-stream (default 1). */
  brokenReplyRetries?: number;
  /** Called as each reply arrives, in completion order. */
  onReply?: (reply: ChatReply, index: number) => void;
}

export interface SampleFailure {
  /** Which sample slot (0-based) failed. */
  index: number;
  error: LlmError;
}

export interface SampleRun {
  /** The replies, in slot order; usage always set (estimated when the model gave none). */
  replies: ChatReply[];
  /** The slot (0-based sample number) of each reply: gaps are failed or unrequested samples. */
  slots: number[];
  requested: number;
  failures: SampleFailure[];
  /** Set when fewer than `requested` replies came back because the run stopped early. */
  stopped?: { reason: 'budget'; message: string };
  /** Sum over all replies (and over broken attempts that consumed tokens). */
  usage: TokenUsage;
  /** How many HTTP-level requests were sent (a native-n request counts once). */
  requests: number;
}

/** Kinds after which further requests cannot succeed either: stop at once and report. */
const FATAL: ReadonlySet<LlmError['kind']> = new Set(['auth', 'model-not-found', 'unreachable', 'tls', 'bad-request', 'cancelled', 'budget']);

/**
 * Requests n replies to the same messages. Resolves with the replies obtained, failures per slot
 * and, when the budget stopped it, why. Rejects (after in-flight requests settle) when cancelled,
 * or when no reply at all was obtained and the cause was not the budget: the first failure's
 * LlmError then tells the user what to fix.
 */
export async function generateSamples(model: ChatModel, messages: readonly ChatMessage[], n: number, options: SampleOptions = {}): Promise<SampleRun> {
  const { budget, signal } = options;
  const maxOutput = options.maxTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const inputEstimate = estimateMessagesTokens(messages);
  const chatOptions: ChatOptions = { signal, temperature: options.temperature, maxTokens: options.maxTokens, json: options.json };
  const slots: Array<ChatReply | undefined> = new Array(n).fill(undefined);
  const failures: SampleFailure[] = [];
  const total: TokenUsage = { inputTokens: 0, outputTokens: 0, estimated: false };
  let stopped: SampleRun['stopped'];
  let fatal: LlmError | undefined;
  let requests = 0;

  const book = (usage: TokenUsage): void => {
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    total.estimated ||= usage.estimated;
  };
  /** A hold on the budget, or undefined when the budget refused (and `stopped` says why). */
  const reserve = (outputs: number): BudgetReservation | undefined => {
    if (!budget) return FREE;
    try {
      return budget.reserve(model.info.id, inputEstimate, maxOutput * outputs);
    } catch (e) {
      if (isLlmError(e) && e.kind === 'budget') {
        stopped ??= { reason: 'budget', message: e.message };
        return undefined;
      }
      throw e;
    }
  };
  const deliver = (index: number, reply: ChatReply): void => {
    const usage = reply.usage ?? estimateUsage(messages, reply.text);
    const full = { ...reply, usage };
    slots[index] = full;
    book(usage);
    options.onReply?.(full, index);
  };
  const noteFailure = (index: number, error: LlmError): void => {
    failures.push({ index, error });
    if (FATAL.has(error.kind)) fatal ??= error;
  };

  // 1. One request with native n, when offered: as many samples as the budget allows at once.
  let filled = 0;
  if (n > 1 && model.chatMany && options.nativeN !== false && !signal?.aborted) {
    let k = n;
    while (k >= 2 && budget && !budget.fits(model.info.id, inputEstimate, maxOutput * k)) k--;
    const hold = k >= 2 ? reserve(k) : undefined;
    if (hold) {
      requests++;
      try {
        const replies = (await model.chatMany(messages, k, chatOptions)).slice(0, k);
        // Without reported usage, the prompt (sent once) is spread over the replies.
        const share = Math.round(inputEstimate / Math.max(1, replies.length));
        const withUsage = replies.map((r) => ({ ...r, usage: r.usage ?? { inputTokens: share, outputTokens: estimateTokens(r.text), estimated: true } }));
        hold.settle(
          sumUsage(
            withUsage.map((r) => r.usage),
            inputEstimate,
            withUsage.length > 0 && withUsage.every((r) => r.usage.estimated),
          ),
        );
        withUsage.forEach((r, i) => deliver(i, r));
        filled = withUsage.length;
      } catch (e) {
        hold.release();
        // A transient failure of the batch is not a sample's failure: single requests follow.
        const error = toLlmError(e);
        if (FATAL.has(error.kind)) noteFailure(0, error);
      }
    }
  }

  // 2. The rest one by one, at most `concurrency` at a time.
  let next = filled;
  const worker = async (): Promise<void> => {
    while (next < n && !stopped && !fatal && !signal?.aborted) {
      const index = next++;
      let attemptsLeft = (options.brokenReplyRetries ?? 1) + 1;
      while (attemptsLeft-- > 0 && !signal?.aborted) {
        const hold = reserve(1);
        if (!hold) return;
        requests++;
        let partial = '';
        const stream = model.chat(messages, chatOptions);
        try {
          for await (const fragment of stream) partial += fragment;
          const reply = await stream.done;
          const usage = reply.usage ?? estimateUsage(messages, reply.text);
          hold.settle(usage);
          deliver(index, { ...reply, usage });
          break;
        } catch (e) {
          const error = toLlmError(e);
          // A broken stream still cost what was generated; a refused request cost nothing.
          if (partial !== '' || error.kind === 'timeout') {
            const usage = estimateUsage(messages, partial);
            hold.settle(usage);
            book(usage);
          } else {
            hold.release();
          }
          const again = error.retryable && partial !== '' && attemptsLeft > 0 && !FATAL.has(error.kind);
          if (!again) {
            noteFailure(index, error);
            break;
          }
        }
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, n - filled));
  if (filled < n && !fatal) await Promise.all(Array.from({ length: concurrency }, worker));

  if (signal?.aborted) throw cancelledError('generation');
  const filledSlots = slots.flatMap((r, i) => (r === undefined ? [] : [i]));
  const replies = filledSlots.map((i) => slots[i] as ChatReply);
  if (replies.length === 0 && !stopped) {
    const first = fatal ?? failures[0]?.error;
    if (first) throw first;
  }
  return { replies, slots: filledSlots, requested: n, failures, stopped, usage: total, requests };
}

const FREE: BudgetReservation = { settle: () => undefined, release: () => undefined };

function sumUsage(usages: TokenUsage[], inputEstimate: number, allEstimated: boolean): TokenUsage {
  if (usages.length === 0) return { inputTokens: inputEstimate, outputTokens: 0, estimated: true };
  return {
    inputTokens: usages.reduce((s, u) => s + u.inputTokens, 0),
    outputTokens: usages.reduce((s, u) => s + u.outputTokens, 0),
    estimated: allEstimated || usages.some((u) => u.estimated),
  };
}

function toLlmError(e: unknown): LlmError {
  return isLlmError(e) ? e : new LlmError('bad-reply', `Unexpected failure while reading a reply: ${e instanceof Error ? e.message : String(e)}`);
}
