// Builds a ChatStream from a producer that pushes text fragments. Used by the OpenAI-compatible
// client and meant for the VS Code adapter too, so every model buffers and fails the same way.
import { LlmError, cancelledError, isLlmError } from './errors';
import type { ChatReply, ChatStream, FinishReason, TokenUsage } from './types';

export interface ProducerResult {
  finishReason?: FinishReason;
  usage?: TokenUsage;
}

/**
 * `produce` receives `emit` and resolves when the reply is complete (with the finish reason and
 * usage if it knows them) or rejects. Non-LlmError rejections become `bad-reply` errors, or
 * `cancelled` when `signal` fired. The producer starts at once; fragments are kept, so every
 * iteration replays the reply from its start.
 */
export function createChatStream(produce: (emit: (fragment: string) => void) => Promise<ProducerResult | void>, signal?: AbortSignal): ChatStream {
  const fragments: string[] = [];
  let finished = false;
  let failure: LlmError | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const emit = (fragment: string): void => {
    if (finished || fragment === '') return;
    fragments.push(fragment);
    notify();
  };

  const done: Promise<ChatReply> = (async () => {
    try {
      if (signal?.aborted) throw cancelledError();
      const result = (await produce(emit)) ?? {};
      return { text: fragments.join(''), finishReason: result.finishReason ?? 'unknown', usage: result.usage };
    } catch (e) {
      failure = isLlmError(e)
        ? e
        : signal?.aborted
          ? cancelledError()
          : new LlmError('bad-reply', `The model's reply could not be read: ${e instanceof Error ? e.message : String(e)}`);
      throw failure;
    } finally {
      finished = true;
      notify();
    }
  })();
  // Callers that only iterate must not trigger an unhandled rejection; awaiting `done` still throws.
  done.catch(() => undefined);

  return {
    done,
    async *[Symbol.asyncIterator]() {
      let index = 0;
      for (;;) {
        while (index < fragments.length) yield fragments[index++];
        if (finished) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}
