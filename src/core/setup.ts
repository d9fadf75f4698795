// One run setup for the CLI and the extension: which folder is the project (it decides what the
// sandbox may read and where imports resolve from), which model the settings describe and whether
// it lacks a key, and effopt's version. The callers bring what only they can read: the settings
// (flags/env or VS Code's configuration), the API key (env or SecretStorage), the workspace folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import type { EffoptSettings } from './config';
import { displayUrl } from './llm';

// Replaced by esbuild (`define`) with package.json's version; absent when run from source (tsx).
declare const __EFFOPT_VERSION__: string | undefined;

/** package.json's version read from the source tree, for runs that are not bundled (tests, bench). */
function versionFromSource(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** effopt's version (package.json's, injected at build time): `--version`, reports' tool.version. */
export const EFFOPT_VERSION: string = typeof __EFFOPT_VERSION__ === 'string' ? __EFFOPT_VERSION__ : versionFromSource();

/** Files that mark a project's root folder. */
const PROJECT_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', '.git'] as const;

const isInside = (dir: string, root: string): boolean => {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * The project folder of a file: the nearest folder, from the file's own upwards, that holds
 * package.json, pyproject.toml, setup.py or .git. With a workspace folder that contains the
 * file, the search stops there and the workspace folder is the answer when nothing nearer
 * marks a project. Without one (or for a file outside it) the search goes up to the
 * filesystem root and falls back to the file's folder.
 */
export function findProjectDir(filePath: string, workspaceFolder?: string): string {
  const start = dirname(resolve(filePath));
  const bound = workspaceFolder !== undefined && isInside(start, resolve(workspaceFolder)) ? resolve(workspaceFolder) : undefined;
  for (let dir = start; ;) {
    if (PROJECT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (dir === bound) return bound;
    const up = dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

/**
 * Whether the settings' server cannot work without an API key: Azure, and OpenAI's own API.
 * Other servers (Ollama, vLLM, LM Studio, proxies, on this machine or another) may need none;
 * one that does refuses the request, and the run reports an authentication error.
 */
export function requiresApiKey(settings: Pick<EffoptSettings, 'provider' | 'baseUrl'>): boolean {
  if (settings.provider === 'azure') return true;
  if (settings.provider === 'vscode-lm') return false;
  try {
    const host = new URL(settings.baseUrl).hostname;
    return host === 'api.openai.com' || host.endsWith('.openai.azure.com');
  } catch {
    return false;
  }
}

/** The model a run uses, as far as the engine can say without the editor. */
export type ModelSetup =
  | { provider: 'vscode-lm'; model: string }
  | {
      provider: 'openai' | 'azure';
      model: string;
      baseUrl: string;
      apiKey: string | undefined;
      /** The server needs a key and none was given: the caller refuses the run with its own advice. */
      missingKey: boolean;
      /** For logs and messages (no secrets). */
      description: string;
    };

export interface RunSetupInput {
  /** The function's file (absolute, or relative to the working directory). */
  filePath: string;
  settings: EffoptSettings;
  /** From the caller's store: env for the CLI, SecretStorage for the extension. */
  apiKey?: string;
  /** An explicit project folder (the CLI's --project); otherwise findProjectDir decides. */
  projectDir?: string;
  /** The editor's workspace folder holding the file, which bounds the project search. */
  workspaceFolder?: string;
}

export interface RunSetup {
  filePath: string;
  projectDir: string;
  settings: EffoptSettings;
  model: ModelSetup;
  version: string;
}

export function modelSetup(settings: EffoptSettings, apiKey: string | undefined): ModelSetup {
  if (settings.provider === 'vscode-lm') return { provider: 'vscode-lm', model: settings.model };
  const key = apiKey?.trim() || undefined;
  const server = settings.provider === 'azure' ? 'Azure OpenAI' : 'OpenAI-compatible server';
  return {
    provider: settings.provider,
    model: settings.model,
    baseUrl: settings.baseUrl,
    apiKey: key,
    missingKey: !key && requiresApiKey(settings),
    description: `${server} ${displayUrl(settings.baseUrl)}, model ${settings.model}${key ? '' : ', no API key'}`,
  };
}

/** Everything a run needs that both front ends must agree on. */
export function resolveRunSetup(input: RunSetupInput): RunSetup {
  const filePath = resolve(input.filePath);
  return {
    filePath,
    projectDir: input.projectDir !== undefined ? resolve(input.projectDir) : findProjectDir(filePath, input.workspaceFolder),
    settings: input.settings,
    model: modelSetup(input.settings, input.apiKey),
    version: EFFOPT_VERSION,
  };
}
