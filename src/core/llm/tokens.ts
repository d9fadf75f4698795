// Token estimates for replies whose server reports no usage (VS Code's LM API, some local
// servers, a stream cut before its usage chunk). Mimics the shape of BPE pre-tokenisation:
// words, numbers in groups of up to three digits, punctuation runs, whitespace runs. A rough
// estimate, marked as such in usage and reports; the exact count comes from the server whenever
// it reports one.
import type { ChatMessage } from './types';

const PIECE = /\s?[A-Za-z]+|\s?\d{1,3}|\s?[!-/:-@[-`{-~]+|\s+/g;

export function estimateTokens(text: string): number {
  if (text === '') return 0;
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) {
    const piece = match[0];
    const core = piece.trim();
    // A whitespace run (indentation, blank lines) or a common word is one token; long identifiers
    // split every ~6 letters, punctuation runs every ~2 characters.
    if (core === '') tokens += 1;
    else if (/^[A-Za-z]/.test(core)) tokens += Math.ceil(core.length / 6);
    else if (/^\d/.test(core)) tokens += 1;
    else tokens += Math.ceil(core.length / 2);
  }
  // Characters outside ASCII (CJK, emoji) take one or two per token.
  const other = text.replace(/[\x00-\x7f]/g, '').length;
  return tokens + Math.ceil(other / 2);
}

/** Per-message framing overhead in the chat format (role markers, separators). */
const MESSAGE_OVERHEAD = 4;

export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + MESSAGE_OVERHEAD + estimateTokens(m.content), 3);
}
