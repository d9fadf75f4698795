// Turning request material into what the harness runs: programs (transpiled module + entry +
// a filename that makes imports resolve from the user's project), generator and assertion code,
// and the session options shared by verification and benchmarking.
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { runtimeOf, type LanguageId, type RuntimeId } from '../../languages/types';
import type { InputGenerator } from '../../testgen/types';
import type { HarnessConfig } from './protocol';
import { DEFAULT_FIXED_CLOCK_MS, DEFAULT_SEED, generatorSeed } from './seeds';
import { checkPython, harnessFile } from './runtimes';
import type { SessionOptions } from './session';
import { transpileForRuntime, TranspileError } from './transpile';
import type { DeterminismOptions, ExecEnvironment, ExecLimits, ProgramSource } from '../types';

export class ExecRequestError extends Error {
  override readonly name = 'ExecRequestError';
}

export class ExecCancelled extends Error {
  override readonly name = 'ExecCancelled';
  constructor() {
    super('cancelled');
  }
}

export interface PreparedProgram {
  key: string;
  source: string;
  entry: string;
  filename: string;
  transpileMs: number;
  /** Set when the program cannot even be transpiled. */
  error?: string;
}

export interface PreparedGenerator {
  set: string;
  index: number;
  level: number;
  code: string;
  seed: number;
  error?: string;
}

const ENTRY_JS = /^[A-Za-z_$][\w$]*((\.prototype)?\.[A-Za-z_$][\w$]*)?$/;
const ENTRY_PY = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/;

function checkEntry(language: LanguageId, entry: string): void {
  const ok = language === 'python' ? ENTRY_PY.test(entry) : ENTRY_JS.test(entry);
  if (!ok)
    throw new ExecRequestError(`entry "${entry}" must be a top-level function name, Class.method${language === 'python' ? '' : ' or Class.prototype.method'}`);
}

function moduleFilename(language: LanguageId, env: ExecEnvironment): string {
  if (env.filePath) return isAbsolute(env.filePath) ? env.filePath : resolve(env.projectDir ?? process.cwd(), env.filePath);
  const base = env.projectDir ? resolve(env.projectDir) : tmpdir();
  return join(base, language === 'python' ? '__effopt_module__.py' : '__effopt_module__.js');
}

export function prepareProgram(language: LanguageId, key: string, src: ProgramSource, env: ExecEnvironment): PreparedProgram {
  checkEntry(language, src.entry);
  const filename = moduleFilename(language, env);
  try {
    const t = transpileForRuntime(language, src.moduleText, filename);
    return { key, source: t.code, entry: src.entry, filename, transpileMs: t.ms };
  } catch (err) {
    const message = err instanceof TranspileError ? err.message : String(err);
    return { key, source: '', entry: src.entry, filename, transpileMs: 0, error: message };
  }
}

/** Generator code made runnable (TypeScript types removed) with its set name and seed. */
export function prepareGenerators(language: LanguageId, generators: readonly InputGenerator[], seed: number): PreparedGenerator[] {
  return generators.map((g, index) => {
    const set = `g${index}`;
    const base = { set, index, level: g.level, seed: generatorSeed(seed, g.level, index) };
    try {
      return { ...base, code: transpileForRuntime(language, g.code, language === 'tsx' ? 'generator.tsx' : 'generator.ts').code };
    } catch (err) {
      return { ...base, code: '', error: (err as Error).message };
    }
  });
}

/** A TypeScript expression without its types (`[[1, 2]] as number[][]` → `[[1, 2]]`). */
export function prepareExpression(language: LanguageId, expr: string): string {
  if (language === 'python' || language === 'javascript') return expr;
  const out = transpileForRuntime(language, `(${expr}\n);`, language === 'tsx' ? 'expr.tsx' : 'expr.ts').code.trim();
  return out.replace(/;$/, '');
}

function readPathsFor(env: ExecEnvironment, filename: string): string[] {
  const paths = new Set<string>();
  if (env.projectDir) paths.add(resolve(env.projectDir));
  if (env.filePath) paths.add(dirname(filename));
  for (const p of env.readPaths ?? []) paths.add(resolve(p));
  return [...paths];
}

export interface ResolvedDeterminism {
  seed: number;
  fixedClockMs: number | null;
}

export function resolveDeterminism(d: DeterminismOptions): ResolvedDeterminism {
  return { seed: d.seed ?? DEFAULT_SEED, fixedClockMs: d.fixedClockMs === undefined ? DEFAULT_FIXED_CLOCK_MS : d.fixedClockMs };
}

function harnessConfig(language: LanguageId, limits: ExecLimits, det: ResolvedDeterminism, env: ExecEnvironment, filename: string): HarnessConfig {
  return {
    seed: det.seed,
    fixedClockMs: det.fixedClockMs,
    stdoutLimit: limits.stdoutLimitBytes ?? 1024 * 1024,
    maxNodes: 2_000_000,
    iterCap: 10_000,
    maxCasesPerGenerator: 64,
    memoryMb: runtimeOf(language) === 'python' ? limits.memoryMb : 0,
    importPaths: runtimeOf(language) === 'python' ? readPathsFor(env, filename) : [],
  };
}

export function sessionOptions(
  language: LanguageId,
  limits: ExecLimits,
  det: ResolvedDeterminism,
  env: ExecEnvironment,
  filename: string,
  extra: { signal?: AbortSignal; exposeGc?: boolean } = {},
): SessionOptions {
  const runtime: RuntimeId = runtimeOf(language);
  return {
    runtime,
    memoryMb: limits.memoryMb,
    processTimeoutMs: limits.processTimeoutMs ?? 20 * 60_000,
    outputLimitBytes: Math.max(4 * 1024 * 1024, 2 * (limits.stdoutLimitBytes ?? 1024 * 1024)),
    readPaths: readPathsFor(env, filename),
    // Every Node sandbox gets the same flags (the harness hides gc from code under test): a
    // verification process and a timing process must look the same from inside.
    exposeGc: true,
    config: harnessConfig(language, limits, det, env, filename),
    signal: extra.signal,
    pythonPath: env.pythonPath,
    nodePath: env.nodePath,
    noNamespaces: env.noNamespaces,
  };
}

/**
 * The parent's hard limit for running code under test: the harness's own (soft) limit plus a
 * grace period. Capturing the result afterwards has its own limit (session CAPTURE_LIMIT_MS).
 */
export function hardCallLimitMs(timeoutMs: number): number {
  return Math.round(timeoutMs * 1.2 + 1500);
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ExecCancelled();
}

/** Clear errors before any process starts: the interpreter exists, the harness is built. */
export function preflight(language: LanguageId, env: ExecEnvironment): void {
  const runtime = runtimeOf(language);
  harnessFile(runtime);
  if (runtime === 'python') checkPython(env.pythonPath ?? 'python3');
}

/** An AbortController that follows `outer` and can also be aborted on its own (first failure of a pool). */
export function linkedAbort(outer: AbortSignal | undefined): AbortController {
  const ac = new AbortController();
  if (outer?.aborted) ac.abort(outer.reason);
  else outer?.addEventListener('abort', () => ac.abort(outer.reason), { once: true });
  return ac;
}
