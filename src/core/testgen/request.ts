// The LLM side of "generate tests" (docs/ARCHITECTURE.md): one request for generators and assertion tests
// as JSON, parsed into a TestSuite. A reply that yields nothing usable gets one more try.
import type { Budget } from '../llm/budget';
import type { ReplyInfo } from '../llm/requestCandidates';
import { PROMPT_VERSIONS, testsPrompt, type FunctionPromptInput } from '../llm/prompts';
import { generateSamples } from '../llm/sampler';
import type { ChatModel, TokenUsage } from '../llm/types';
import { parseTestSuiteReply } from './reply';
import type { TestSuite } from './types';

export interface TestSuiteRequestOptions {
  /** Size levels including level 0 (default 4). */
  levels?: number;
  /** Assertion tests to ask for (default 10). */
  assertions?: number;
  signal?: AbortSignal;
  budget?: Budget;
  /** Default 0.2: tests want accuracy, not variety. */
  temperature?: number;
  maxTokens?: number;
  /** Ask again once when the first reply yields neither generators nor assertions (default true). */
  retryUnusable?: boolean;
}

export interface TestSuiteRound {
  promptVersion: string;
  suite: TestSuite;
  /** The replies received (two when the first was unusable). */
  replies: ReplyInfo[];
  usage: TokenUsage;
  /** Set when the budget refused a request. */
  stopped?: { reason: 'budget'; message: string };
}

/** Target: the prompt input plus the parameter texts (to check argument counts). */
export type TestTarget = FunctionPromptInput & { params?: string[] };

export async function requestTestSuite(model: ChatModel, target: TestTarget, options: TestSuiteRequestOptions = {}): Promise<TestSuiteRound> {
  const levels = options.levels ?? 4;
  const messages = testsPrompt(target, { levels, assertions: options.assertions });
  const replies: ReplyInfo[] = [];
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, estimated: false };
  // Material dropped from unusable replies, labelled with the reply it came from.
  const earlier: TestSuite['dropped'] = [];
  const done = (suite: TestSuite | undefined, stopped?: TestSuiteRound['stopped']): TestSuiteRound => ({
    promptVersion: PROMPT_VERSIONS.tests,
    suite: suite ? { ...suite, dropped: [...earlier, ...suite.dropped] } : { generators: [], assertions: [], dropped: earlier },
    replies,
    usage,
    ...(stopped ? { stopped } : {}),
  });
  const attempts = options.retryUnusable === false ? 1 : 2;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const run = await generateSamples(model, messages, 1, {
      json: true,
      temperature: options.temperature ?? 0.2,
      maxTokens: options.maxTokens,
      signal: options.signal,
      budget: options.budget,
    });
    usage.inputTokens += run.usage.inputTokens;
    usage.outputTokens += run.usage.outputTokens;
    usage.estimated ||= run.usage.estimated;
    const reply = run.replies[0];
    if (!reply) return done(undefined, run.stopped);
    replies.push({ raw: reply.text, finishReason: reply.finishReason, usage: reply.usage });
    const suite = await parseTestSuiteReply(reply.text, {
      language: target.language,
      levels,
      params: target.params,
      receiver: !!target.instance,
      signal: options.signal,
    });
    if (reply.finishReason === 'length')
      suite.dropped.push({ what: 'reply', reason: 'the reply hit the token limit (effopt.maxTokens); entries after the cut are lost' });
    if (suite.generators.length > 0 || suite.assertions.length > 0 || attempt === attempts) return done(suite);
    earlier.push(...suite.dropped.map((d) => ({ what: `${d.what} (reply ${attempt}, nothing usable: asked again)`, reason: d.reason })));
  }
  return done(undefined);
}
