// Public API of the LLM layer (see README.md in this folder for usage and server quirks).
export type { ChatMessage, ChatRole, ChatModel, ChatModelInfo, ChatOptions, ChatReply, ChatStream, FinishReason, TokenUsage } from './types';
export { LlmError, isLlmError, redactSecrets, type LlmErrorKind } from './errors';
export { createChatStream, type ProducerResult } from './stream';
export { estimateTokens, estimateMessagesTokens } from './tokens';
export { OpenAiCompatibleModel, displayUrl, type OpenAiCompatibleOptions, type AzureOptions, type RetryEvent } from './openai';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export {
  Budget,
  DEFAULT_PRICES,
  lookupPrice,
  costOf,
  formatSpend,
  type BudgetLimits,
  type BudgetReport,
  type BudgetReservation,
  type ModelPrice,
  type ModelSpend,
  type PriceTable,
} from './budget';
export { generateSamples, DEFAULT_MAX_OUTPUT_TOKENS, type SampleOptions, type SampleRun, type SampleFailure } from './sampler';
export {
  PROMPT_VERSIONS,
  optimizePrompt,
  repairPrompt,
  testsPrompt,
  levelTargetMs,
  type FunctionPromptInput,
  type PromptKind,
  type RepairFailure,
  type TestsPromptOptions,
} from './prompts';
export {
  parseCandidateReply,
  markDuplicates,
  type AcceptedCandidate,
  type RejectedCandidate,
  type CandidateParse,
  type CandidateRejectReason,
  type HelperFunction,
  type OriginalFunction,
} from './replyParser';
export { compareSignatures, parseParam, type SignatureComparison } from './signature';
export {
  requestCandidates,
  requestRepair,
  targetFromContext,
  type TargetFunction,
  type CandidateRound,
  type CandidateResult,
  type AcceptedResult,
  type RejectedResult,
  type CandidateOptions,
  type ReplyInfo,
} from './requestCandidates';
export { apiKeyFromEnv, createChatModel, createBudget, samplingOptions, type ModelHooks } from './factory';
