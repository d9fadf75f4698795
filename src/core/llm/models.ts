// Which models an OpenAI-compatible server offers (GET /v1/models: OpenAI, Ollama, LM Studio,
// vLLM and llama.cpp answer it), as a typed result a model picker can show either way.
import type { EffoptSettings } from '../config';
import { isLlmError, LlmError } from './errors';
import { createChatModel } from './factory';

export type ServerModels = { ok: true; models: string[] } | { ok: false; error: LlmError };

/** Lists the server's model ids (sorted); a failure comes back as the classified LlmError. */
export async function listServerModels(settings: EffoptSettings, apiKey: string | undefined, timeoutMs = 8000): Promise<ServerModels> {
  if (settings.provider === 'vscode-lm') return { ok: false, error: new LlmError('bad-request', 'the vscode-lm provider has no server to ask') };
  if (settings.provider === 'azure' && !/\/openai\/v1\/?$/.test(settings.baseUrl)) {
    return {
      ok: false,
      error: new LlmError('bad-request', 'Azure OpenAI lists deployments in the Azure portal, not through this endpoint: type the deployment name'),
    };
  }
  const model = createChatModel({ ...settings, requestTimeoutMs: timeoutMs }, apiKey, { retry: { maxRetries: 0 } });
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const ids = await model.listModels(signal);
    return { ok: true, models: [...new Set(ids)].sort((a, b) => a.localeCompare(b)) };
  } catch (err) {
    if (signal.aborted) return { ok: false, error: new LlmError('timeout', `the server did not list its models within ${Math.round(timeoutMs / 1000)} s`) };
    return { ok: false, error: isLlmError(err) ? err : new LlmError('server', (err as Error)?.message ?? String(err)) };
  }
}
