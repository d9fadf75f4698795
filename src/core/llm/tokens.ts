// Token estimates for replies whose server reports no usage (VS Code's LM API, some local
// servers, a stream cut before its usage chunk). Mimics the shape of BPE pre-tokenisation:
// words, numbers in groups of up to three digits, punctuation runs, whitespace runs; long pieces
// count one token per ~4 characters. A rough estimate, marked as such in usage and reports; the
// exact count comes from the server whenever it reports one.
import type { ChatMessage } from './types';

const PIECE = /\s?[A-Za-z]+|\s?\d{1,3}|\s?[!-/:-@[-`{-~]+|\s+/g;

export function estimateTokens(text: string): number {
  if (text === '') return 0;
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) {
    const piece = match[0];
    // A whitespace run (indentation, blank lines) is about one token; long words split every ~4 chars.
    tokens += /^\s+$/.test(piece) ? 1 : Math.max(1, Math.ceil(piece.trim().length / 4));
  }
  // Characters outside the ASCII classes above (CJK, emoji) are each about one token.
  const other = text.replace(/[\x00-\x7f]/g, '').length;
  return tokens + Math.ceil(other / 2);
}

/** Per-message framing overhead in the chat format (role markers, separators). */
const MESSAGE_OVERHEAD = 4;

export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + MESSAGE_OVERHEAD + estimateTokens(m.content), 3);
}
