// The settings that VS Code (effopt.<name>) and the CLI (--<name> flags, EFFOPT_<NAME> env)
// share, with one schema and one set of defaults. package.json's contributes.configuration
// must agree with DEFAULT_SETTINGS; a unit test holds them together.
import { z } from 'zod';
import { DEFAULT_LEVELS } from './defaults';

export const settingsSchema = z.object({
  provider: z.enum(['openai', 'azure', 'vscode-lm']),
  baseUrl: z.string().url(),
  model: z.string(),
  samples: z.number().int().min(1).max(64),
  alpha: z.number().min(1),
  levels: z.array(z.number().min(0)).min(2),
  noiseFloor: z.number().min(0).max(1),
  timeoutMs: z.number().int().min(100),
  memoryMb: z.number().int().min(32),
  pythonPath: z.string().min(1),
  codeLens: z.enum(['all', 'hot', 'off']),
  // LLM requests (src/core/llm).
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().min(64),
  requestTimeoutMs: z.number().int().min(1000),
  parallelRequests: z.number().int().min(1).max(32),
  budgetTokens: z.number().int().min(0),
  budgetUsd: z.number().min(0),
  prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }).strict()),
  azureApiVersion: z.string(),
  azureDeployment: z.string(),
});

export type EffoptSettings = z.infer<typeof settingsSchema>;
export type SettingName = keyof EffoptSettings;

export const DEFAULT_SETTINGS: Readonly<EffoptSettings> = Object.freeze({
  provider: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  model: 'gpt-4o-mini',
  samples: 6,
  alpha: 2,
  levels: [...DEFAULT_LEVELS],
  noiseFloor: 0.05,
  timeoutMs: 10_000,
  memoryMb: 512,
  pythonPath: 'python3',
  codeLens: 'hot',
  temperature: 0.8,
  maxTokens: 4096,
  requestTimeoutMs: 120_000,
  parallelRequests: 4,
  budgetTokens: 0,
  budgetUsd: 0,
  prices: {},
  azureApiVersion: '2024-10-21',
  azureDeployment: '',
});

export const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as SettingName[];

/** `baseUrl` → `EFFOPT_BASE_URL`. */
export function envName(name: SettingName): string {
  return 'EFFOPT_' + name.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Turns a raw string (a flag or an environment variable) into the setting's type. */
function fromString(name: SettingName, raw: string): unknown {
  const fallback = DEFAULT_SETTINGS[name];
  if (Array.isArray(fallback)) return raw.split(',').map((s) => Number(s.trim()));
  if (typeof fallback === 'number') return raw.trim() === '' ? NaN : Number(raw);
  if (typeof fallback === 'object' && fallback !== null) {
    try {
      return JSON.parse(raw); // e.g. EFFOPT_PRICES='{"my-model": {"input": 0.5, "output": 1.5}}'
    } catch {
      return raw; // the schema then names the setting
    }
  }
  return raw;
}

/**
 * Merges layers of raw values (later layers win) over the defaults and validates the result.
 * Strings are converted (numbers, comma-separated lists), so env and flags can be passed as is.
 * Throws SettingsError naming every bad setting.
 */
export function resolveSettings(...layers: Array<Partial<Record<SettingName, unknown>> | undefined>): EffoptSettings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const layer of layers) {
    for (const name of SETTING_NAMES) {
      const value = layer?.[name];
      if (value === undefined || value === null) continue;
      merged[name] = typeof value === 'string' ? fromString(name, value) : value;
    }
  }
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`);
    throw new SettingsError(`invalid settings — ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The EFFOPT_* variables of an environment, as a settings layer. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Partial<Record<SettingName, string>> {
  const layer: Partial<Record<SettingName, string>> = {};
  for (const name of SETTING_NAMES) {
    const value = env[envName(name)];
    if (value !== undefined && value !== '') layer[name] = value;
  }
  return layer;
}
