// The environment a sandboxed process gets: an allow-list of harmless variables from effopt's
// own environment, filtered again by a secret-name pattern, plus fixed values for determinism.
// API keys (OPENAI_API_KEY, EFFOPT_API_KEY, ...) and anything that looks like a credential never
// reach generated code.

/** Names that look like credentials: never passed, even when allow-listed. */
export const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE/i;
/** Prefixes of provider / tool variables that are never passed. */
const DENIED_PREFIX = /^(OPENAI_|EFFOPT_|ANTHROPIC_|AWS_|AZURE_|GOOGLE_|GCP_|GITHUB_|GH_|GITLAB_|HF_|HUGGING|NPM_CONFIG_|SSH_|GPG_|VSCODE_|ELECTRON_)/i;

/** Variables passed through from effopt's environment (when they pass the secret filter). */
const ALLOWED =
  /^(PATH|LANG|LANGUAGE|LC_[A-Z_]+|PYTHONPATH|VIRTUAL_ENV|CONDA_PREFIX|CONDA_DEFAULT_ENV|NODE_PATH|SYSTEMROOT|SYSTEMDRIVE|WINDIR|COMSPEC|PATHEXT|NUMBER_OF_PROCESSORS|PROCESSOR_ARCHITECTURE)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || DENIED_PREFIX.test(name);
}

export interface SandboxEnvOptions {
  /** The throw-away working directory: HOME and TMPDIR point there. */
  workDir: string;
  /** Extra variables (also filtered by the secret pattern). */
  extra?: Record<string, string>;
}

export function sandboxEnv(source: NodeJS.ProcessEnv, options: SandboxEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || !ALLOWED.test(name) || isSecretName(name)) continue;
    env[name] = value;
  }
  Object.assign(env, {
    HOME: options.workDir,
    USERPROFILE: options.workDir,
    TMPDIR: options.workDir,
    TMP: options.workDir,
    TEMP: options.workDir,
    // Determinism: the same hash seed in every process (set iteration order of str), one time zone.
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONIOENCODING: 'utf-8',
    PYTHONNOUSERSITE: '1',
    TZ: 'UTC',
    // One thread for numeric libraries: steadier timings, and no thread pools escaping the memory cap.
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
    NUMEXPR_NUM_THREADS: '1',
    UV_THREADPOOL_SIZE: '2',
  });
  if (!env.LANG) env.LANG = 'C.UTF-8';
  for (const [name, value] of Object.entries(options.extra ?? {})) {
    if (!isSecretName(name)) env[name] = value;
  }
  return env;
}
