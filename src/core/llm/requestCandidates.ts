// The LLM side of "generate candidates" and "repair" (docs/ARCHITECTURE.md): prompt, n samples within the
// budget, parse each reply, mark duplicates (the pipeline gives a duplicate the outcome of the code
// it repeats). Every sample obtained ends up either accepted or rejected with a reason, so the
// report can say what happened to each one.
import { markDuplicates, parseCandidateReply, type AcceptedCandidate, type CandidateParse, type OriginalFunction, type RejectedCandidate } from './replyParser';
import { PROMPT_VERSIONS, optimizePrompt, repairPrompt, type FunctionPromptInput, type RepairFailure } from './prompts';
import { generateSamples, type SampleFailure, type SampleOptions } from './sampler';
import { receiverOf, type FunctionContext } from '../parse';
import type { ChatModel, FinishReason, TokenUsage } from './types';

/** The function to rewrite: what the prompt shows and what the reply parser checks against. */
export type TargetFunction = FunctionPromptInput & OriginalFunction;

/**
 * The target from discovery's context (parse/extractContext): the function's text, and as
 * read-only context the imports, declarations and helpers it uses.
 */
export function targetFromContext(context: FunctionContext, path?: string): TargetFunction {
  const info = context.target;
  const receiver = receiverOf(context);
  const parts = [...context.imports, ...context.declarations, ...context.helpers].filter((t) => t.trim() !== '');
  return {
    language: info.language,
    name: info.name,
    qualifiedName: info.qualifiedName,
    kind: info.kind,
    params: info.params,
    async: info.async,
    generator: info.generator,
    code: context.targetText,
    context: parts.length > 0 ? parts.join('\n\n') : undefined,
    hotnessReasons: info.hotnessReasons,
    path,
    ...(receiver && info.className ? { instance: { receiver, className: info.className, classCode: context.container.text } } : {}),
  };
}

export interface ReplyInfo {
  /** The model's reply as received. */
  raw: string;
  finishReason: FinishReason;
  usage?: TokenUsage;
}

/** One sample's outcome; `index` is its slot (0-based) in the round. */
export type CandidateResult = CandidateParse & { index: number; reply: ReplyInfo };
export type AcceptedResult = AcceptedCandidate & { index: number; reply: ReplyInfo };
export type RejectedResult = RejectedCandidate & { index: number; reply: ReplyInfo };

export interface CandidateRound {
  kind: 'optimize' | 'repair';
  /** Version of the prompt that produced these replies (for the report). */
  promptVersion: string;
  requested: number;
  /** Every reply obtained, in slot order. */
  results: CandidateResult[];
  /** The accepted, de-duplicated candidates (a view of `results`). */
  accepted: AcceptedResult[];
  rejected: RejectedResult[];
  /** Samples that got no reply (server errors after retries). */
  failures: SampleFailure[];
  /** Set when the budget stopped the round before all samples were requested. */
  stopped?: { reason: 'budget'; message: string };
  usage: TokenUsage;
}

export interface CandidateOptions extends Omit<SampleOptions, 'json' | 'onReply'> {
  /** Candidates accepted in earlier rounds: a rewrite equal to one of them is a duplicate. */
  previous?: ReadonlyArray<Pick<AcceptedCandidate, 'normalized'>>;
  /** Called as each reply is parsed (before de-duplication). */
  onCandidate?: (result: CandidateResult) => void;
}

/** Asks for `n` faster rewrites of `target` (default temperature from the options/model). */
export function requestCandidates(model: ChatModel, target: TargetFunction, n: number, options: CandidateOptions = {}): Promise<CandidateRound> {
  return runRound('optimize', PROMPT_VERSIONS.optimize, model, target, optimizePrompt(target), n, options);
}

/** Asks for `n` (default 1) corrected versions of a candidate that failed, showing the failure. */
export function requestRepair(
  model: ChatModel,
  target: TargetFunction,
  failedCode: string,
  failure: RepairFailure,
  options: CandidateOptions & { n?: number } = {},
): Promise<CandidateRound> {
  return runRound('repair', PROMPT_VERSIONS.repair, model, target, repairPrompt(target, failedCode, failure), options.n ?? 1, options);
}

async function runRound(
  kind: CandidateRound['kind'],
  promptVersion: string,
  model: ChatModel,
  target: TargetFunction,
  messages: ReturnType<typeof optimizePrompt>,
  n: number,
  options: CandidateOptions,
): Promise<CandidateRound> {
  const { previous, onCandidate, ...sampling } = options;
  const run = await generateSamples(model, messages, n, sampling);
  const parsed: CandidateResult[] = [];
  for (const [i, reply] of run.replies.entries()) {
    const result = await parseCandidateReply(reply, target, { signal: options.signal });
    const entry = { ...result, index: run.slots[i], reply: { raw: reply.text, finishReason: reply.finishReason, usage: reply.usage } } as CandidateResult;
    onCandidate?.(entry);
    parsed.push(entry);
  }
  // Earlier rounds' candidates go first so that a repeat of one of them is the duplicate.
  const earlier: CandidateParse[] = (previous ?? []).map((p) => ({ ok: true, normalized: p.normalized }) as AcceptedCandidate);
  const marked = markDuplicates([...earlier, ...parsed]).slice(earlier.length);
  const results = marked.map((m, i) => {
    const base = parsed[i];
    if (m.ok || base.ok === m.ok) return base;
    const detail = m.detail.replace(/candidate (\d+)/, (_, k: string) =>
      Number(k) <= earlier.length ? 'a candidate from an earlier round' : `candidate ${parsed[Number(k) - 1 - earlier.length].index + 1}`,
    );
    return { ...m, detail, index: base.index, reply: base.reply } as CandidateResult;
  });
  return {
    kind,
    promptVersion,
    requested: n,
    results,
    accepted: results.filter((r): r is AcceptedResult => r.ok),
    rejected: results.filter((r): r is RejectedResult => !r.ok),
    failures: run.failures,
    stopped: run.stopped,
    usage: run.usage,
  };
}
