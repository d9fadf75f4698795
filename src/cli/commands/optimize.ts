// `effopt optimize` (rewrites and tests from the configured LLM) and `effopt evaluate` (rewrites
// supplied as files; tests supplied or from the LLM): the same pipeline, the same report.
// Exit codes (docs/CONTRACTS.md): 0 a completed run, improvement or not; 2 bad input; 1 internal error.
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import {
  DEFAULT_SETTINGS,
  envName,
  resolveSettings,
  SETTING_NAMES,
  settingsFromEnv,
  SettingsError,
  type EffoptSettings,
  type SettingName,
} from '../../core/config';
import { apiKeyFromEnv, createChatModel, type ChatModel } from '../../core/llm';
import { resolveRunSetup } from '../../core/setup';
import { installCliBackend } from '../../core/parse/native';
import { optimize, PipelineInputError, sha256, STAGES, type OptimizationReport, type PipelineProgress, type SuppliedCandidate } from '../../core/pipeline';
import { renderMarkdown, renderTerminal } from '../../core/pipeline/reportText';
import { parseSuppliedTests, SuppliedTestsError } from '../../core/testgen/supplied';
import type { TestSuite } from '../../core/testgen/types';
import type { LanguageId } from '../../core/languages/types';
import { BadInput, EXIT } from '../errors';
import { languageOf, readSourceFile } from './functions';
import { DEFAULT_REPEATS } from '../../core/defaults';

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** Every shared setting as a flag (`--base-url`, `--noise-floor`, …), env EFFOPT_* as fallback. */
function addSettingFlags(cmd: Command): Command {
  for (const name of SETTING_NAMES) {
    const fallback = DEFAULT_SETTINGS[name];
    const shown = typeof fallback === 'object' ? JSON.stringify(fallback) : String(fallback);
    cmd.addOption(
      new Option(`--${kebab(name)} <value>`, `setting ${name} (env ${envName(name)}; default ${shown || '""'})`).hideHelp(
        !['provider', 'baseUrl', 'model', 'samples', 'alpha', 'levels', 'noiseFloor', 'timeoutMs', 'memoryMb', 'pythonPath'].includes(name),
      ),
    );
  }
  return cmd;
}

function addRunFlags(cmd: Command): Command {
  return addSettingFlags(
    cmd
      .requiredOption('--function <name>', 'function name or qualified name (Class.method)')
      .option('--json <path>', 'write the report as JSON (- for stdout)')
      .option('--markdown <path>', 'write the report as Markdown (for a PR comment)')
      .option('--apply', 'write the winner into the file when it is verified and the file is unchanged since it was read')
      .option('--language <id>', 'language instead of the one the file extension says')
      .option(
        '--project <dir>',
        "the project's root (npm packages / Python modules resolve from it); default: nearest folder with package.json, pyproject.toml, setup.py or .git",
      )
      .option('--no-repair', 'skip the repair round for failing rewrites')
      .option('--repeats <n>', `benchmark rounds per case (default ${DEFAULT_REPEATS})`)
      .option('--measure-ms <ms>', 'measurement time per program and level (default 800)')
      .option('--rtol <x>', 'relative tolerance for float results (default 1e-9): for functions that return approximations')
      .option('--atol <x>', 'absolute tolerance for float results (default 1e-12)')
      .option('--quiet', 'no progress output'),
  );
}

interface RunFlags {
  function: string;
  json?: string;
  markdown?: string;
  apply?: boolean;
  language?: string;
  project?: string;
  repair: boolean;
  repeats?: string;
  measureMs?: string;
  rtol?: string;
  atol?: string;
  quiet?: boolean;
  candidates?: string;
  tests?: string;
  [setting: string]: unknown;
}

export function registerOptimize(program: Command): void {
  addRunFlags(
    program.command('optimize <file>').description('optimize a function with the configured LLM: rewrites, tests, verification, benchmark, report'),
  ).action(async (file: string, flags: RunFlags) => {
    process.exitCode = await runCommand('optimize', file, flags);
  });
}

export function registerEvaluate(program: Command): void {
  addRunFlags(
    program
      .command('evaluate <file>')
      .description('verify, benchmark and score supplied rewrites of a function (no LLM needed with --tests)')
      .requiredOption('--candidates <dir|jsonl>', 'rewrites: a folder with one file per rewrite, or a JSONL file of {"id"?, "code"}')
      .option(
        '--tests <json>',
        'test material: {"inputs": {"0": [...], "1": [...]}, "generators": [...], "assertions": [...]} (for an instance method each argument list starts with the instance\'s fields, e.g. [{"items": [1]}, 2]); without it the configured LLM writes tests',
      ),
  ).action(async (file: string, flags: RunFlags) => {
    process.exitCode = await runCommand('evaluate', file, flags);
  });
}

function settingsFrom(flags: RunFlags): EffoptSettings {
  const layer: Partial<Record<SettingName, unknown>> = {};
  for (const name of SETTING_NAMES) if (flags[name] !== undefined) layer[name] = flags[name];
  try {
    return resolveSettings(settingsFromEnv(process.env), layer);
  } catch (err) {
    if (err instanceof SettingsError) throw new BadInput(err.message);
    throw err;
  }
}

/** Rewrites from a folder (one file each, id = file name) or a JSONL file. */
function readCandidates(path: string): SuppliedCandidate[] {
  if (!existsSync(path)) throw new BadInput(`--candidates ${path} does not exist`);
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path)
      .filter((f) => !f.startsWith('.') && statSync(join(path, f)).isFile())
      .sort();
    if (files.length === 0) throw new BadInput(`--candidates ${path} holds no files`);
    return files.map((f) => ({ id: basename(f, extname(f)).replace(/[^\w.-]/g, '_'), code: readFileSync(join(path, f), 'utf8') }));
  }
  const out: SuppliedCandidate[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch (err) {
        throw new BadInput(`${path}:${i + 1}: not JSON (${(err as Error).message})`);
      }
      const e = entry as { id?: unknown; code?: unknown };
      if (typeof e?.code !== 'string' || (e.id !== undefined && typeof e.id !== 'string'))
        throw new BadInput(`${path}:${i + 1}: expected {"id"?: string, "code": string}`);
      out.push({ id: e.id as string | undefined, code: e.code });
    });
  if (out.length === 0) throw new BadInput(`${path} holds no rewrites`);
  return out;
}

function readTests(path: string, language: LanguageId): TestSuite {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BadInput(`cannot read --tests ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return parseSuppliedTests(text, language);
  } catch (err) {
    if (err instanceof SuppliedTestsError) throw new BadInput(`${path}: ${err.message}`);
    throw err;
  }
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new BadInput(`--${flag} must be a positive whole number, got "${value}"`);
  return n;
}

function toleranceFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new BadInput(`--${flag} must be a non-negative number, got "${value}"`);
  return n;
}

/** Progress on stderr: a bar on a terminal, one line per stage otherwise. */
function progressReporter(quiet: boolean): { onProgress: (e: PipelineProgress) => void; stop: () => void } {
  if (quiet) return { onProgress: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: ' {stage} [{bar}] {value}/{total} {message}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    });
    let started = false;
    return {
      onProgress: (e) => {
        const payload = { stage: `${STAGES.indexOf(e.stage) + 1}/${STAGES.length} ${e.stage.padEnd(10)}`, message: (e.message ?? '').slice(0, 60) };
        if (!started) {
          bar.start(Math.max(1, e.total), e.done, payload);
          started = true;
        } else {
          bar.setTotal(Math.max(1, e.total));
          bar.update(e.done, payload);
        }
      },
      stop: () => started && bar.stop(),
    };
  }
  let last: string | undefined;
  return {
    onProgress: (e) => {
      if (e.stage === last) return;
      last = e.stage;
      process.stderr.write(`effopt: ${e.stage}…\n`);
    },
    stop: () => {},
  };
}

function writeOutput(path: string, text: string): void {
  if (path === '-') process.stdout.write(text);
  else writeFileSync(path, text);
}

/** Writes the proposal if it may be applied and the file still holds the text the run read. */
function applyProposal(file: string, report: OptimizationReport): number {
  const p = report.proposal;
  if (!p) {
    process.stderr.write(`effopt: nothing applied: ${report.summary}\n`);
    return EXIT.ok;
  }
  if (!p.autoApply) {
    process.stderr.write(
      `effopt: not applied: ${p.confirm?.text ?? 'the generated tests disagree with your function'}; review the diff and apply it by hand if it is right\n`,
    );
    return EXIT.ok;
  }
  const raw = readFileSync(file);
  const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  const current = raw.toString('utf8').slice(bom ? 1 : 0);
  if (sha256(current) !== p.baseSha256) throw new BadInput(`not applied: ${file} changed while effopt was running; run it again on the new version`);
  const tmp = join(dirname(file), `.${basename(file)}.effopt-${process.pid}.tmp`);
  writeFileSync(tmp, (bom ? '\ufeff' : '') + p.newText, { mode: statSync(file).mode });
  renameSync(tmp, file);
  process.stderr.write(`effopt: applied candidate ${p.candidateId} to ${file}\n`);
  return EXIT.ok;
}

async function runCommand(mode: 'optimize' | 'evaluate', file: string, flags: RunFlags): Promise<number> {
  const source = readSourceFile(file);
  const language = languageOf(file, flags.language);
  const settings = settingsFrom(flags);
  const candidates = mode === 'evaluate' ? readCandidates(flags.candidates!) : undefined;
  const tests = flags.tests ? readTests(flags.tests, language) : undefined;
  const bench = { repeats: positiveInt('repeats', flags.repeats), budgetMsPerLevel: positiveInt('measure-ms', flags.measureMs) };
  // Fewer than three rounds give no interval: refuse it up front, not after verification.
  if (bench.repeats !== undefined && bench.repeats < 3)
    throw new BadInput(`--repeats must be at least 3 (rounds per case for the confidence interval), got ${bench.repeats}`);
  const tolerance = { rtol: toleranceFlag('rtol', flags.rtol), atol: toleranceFlag('atol', flags.atol) };
  const setup = resolveRunSetup({ filePath: file, settings, apiKey: apiKeyFromEnv(process.env, settings.provider), projectDir: flags.project });
  let model: ChatModel | undefined;
  if (mode === 'optimize' || !tests) {
    if (setup.model.provider === 'vscode-lm')
      throw new BadInput('the vscode-lm provider exists only inside VS Code; use --provider openai (or azure) with --base-url and --model');
    if (setup.model.missingKey) {
      throw new BadInput(
        mode === 'evaluate'
          ? `no --tests given and no LLM configured to write tests: pass --tests <json>, or set OPENAI_API_KEY (or EFFOPT_API_KEY) for ${settings.baseUrl}`
          : `no API key for ${settings.baseUrl}: set OPENAI_API_KEY or EFFOPT_API_KEY, or point --base-url at a local server (Ollama, vLLM, LM Studio)`,
      );
    }
    model = createChatModel(settings, setup.model.apiKey);
  }
  await installCliBackend();

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    if (++interrupts > 1) process.exit(EXIT.cancelled);
    process.stderr.write('\neffopt: cancelling (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = progressReporter(!!flags.quiet || flags.json === '-');
  let report: OptimizationReport;
  try {
    report = await optimize({
      filePath: setup.filePath,
      source,
      language,
      functionName: flags.function,
      settings,
      model,
      candidates,
      tests,
      projectDir: setup.projectDir,
      repair: flags.repair,
      bench,
      ...(tolerance.rtol !== undefined || tolerance.atol !== undefined ? { tolerance } : {}),
      signal: controller.signal,
      onProgress: progress.onProgress,
      version: setup.version,
    });
  } catch (err) {
    if (err instanceof PipelineInputError) throw new BadInput(err.message);
    throw err;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }

  if (flags.json) writeOutput(flags.json, JSON.stringify(report, null, 2) + '\n');
  if (flags.markdown) writeOutput(flags.markdown, renderMarkdown(report, source));
  if (flags.json !== '-' && flags.markdown !== '-') {
    process.stdout.write(renderTerminal(report, { color: !!process.stdout.isTTY && !process.env.NO_COLOR, original: source, width: process.stdout.columns }));
  }
  if (report.status === 'cancelled') return EXIT.cancelled;
  if (report.status === 'failed') {
    if (report.error?.kind === 'input') process.stderr.write(`effopt: ${report.error.message}\n`);
    return report.error?.kind === 'input' ? EXIT.badInput : EXIT.internal;
  }
  return flags.apply ? applyProposal(file, report) : EXIT.ok;
}
