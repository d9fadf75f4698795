// From shared settings to a ready ChatModel and Budget, so the CLI and the extension build them
// the same way. The VS Code LM provider is built in the extension layer (it needs `vscode`).
import type { EffoptSettings } from '../config';
import { Budget, DEFAULT_PRICES } from './budget';
import { LlmError } from './errors';
import { OpenAiCompatibleModel, type RetryEvent } from './openai';
import type { RetryPolicy } from './retry';
import type { SampleOptions } from './sampler';

/**
 * The API key for the CLI: EFFOPT_API_KEY, else OPENAI_API_KEY (for Azure also
 * AZURE_OPENAI_API_KEY). Undefined when none is set: fine for local servers.
 */
export function apiKeyFromEnv(env: NodeJS.ProcessEnv, provider: EffoptSettings['provider'] = 'openai'): string | undefined {
  const names = ['EFFOPT_API_KEY', 'OPENAI_API_KEY', ...(provider === 'azure' ? ['AZURE_OPENAI_API_KEY'] : [])];
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

export interface ModelHooks {
  onRetry?: (event: RetryEvent) => void;
  headers?: Record<string, string>;
  /** Override the retry policy (tests, or a UI that wants fewer retries). */
  retry?: Partial<RetryPolicy>;
}

/** The OpenAI-compatible model the settings describe (provider `openai` or `azure`). */
export function createChatModel(settings: EffoptSettings, apiKey: string | undefined, hooks: ModelHooks = {}): OpenAiCompatibleModel {
  if (settings.provider === 'vscode-lm') {
    throw new LlmError(
      'bad-request',
      'The vscode-lm provider is only available inside VS Code; the CLI needs effopt.provider "openai" or "azure" (with --base-url and --model).',
    );
  }
  return new OpenAiCompatibleModel({
    baseUrl: settings.baseUrl,
    model: settings.model,
    apiKey,
    azure: settings.provider === 'azure' ? { apiVersion: settings.azureApiVersion, deployment: settings.azureDeployment || undefined } : undefined,
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
    timeoutMs: settings.requestTimeoutMs,
    onRetry: hooks.onRetry,
    headers: hooks.headers,
    retry: hooks.retry,
  });
}

/** A fresh budget for one run: the settings' caps, built-in prices overridden by `prices`. */
export function createBudget(settings: EffoptSettings): Budget {
  return new Budget({ maxTokens: settings.budgetTokens || undefined, maxCostUsd: settings.budgetUsd || undefined }, { ...DEFAULT_PRICES, ...settings.prices });
}

/** Sampling options from the settings (add `signal`, `budget` per run). */
export function samplingOptions(settings: EffoptSettings): Pick<SampleOptions, 'temperature' | 'maxTokens' | 'concurrency'> {
  return { temperature: settings.temperature, maxTokens: settings.maxTokens, concurrency: settings.parallelRequests };
}
