// `effopt score effk|b4`: the scoring math of src/core/score on JSON from stdin (docs/CONTRACTS.md).
// Bad input (unparsable JSON, ragged matrices, values other than 0/1, k > n, empty input)
// throws BadInput, which main() turns into exit code 2 with the message on stderr.
import type { Command } from 'commander';
import { BadInput } from '../errors';
import { allBaselines, b4Rank, effAtKs, passAtK, type B4PriorInput, type Selection } from '../../core/score';

const DEFAULT_KS = [1, 5, 10];

async function readStdinJson(usage: string): Promise<unknown> {
  if (process.stdin.isTTY) throw new BadInput(`expects JSON on stdin, e.g. ${usage}`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') throw new BadInput(`no input on stdin; expected JSON, e.g. ${usage}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const hint = /\b(NaN|-?Infinity)\b/.test(text) ? ' (NaN and Infinity are not valid JSON numbers, nor valid scores)' : '';
    throw new BadInput(`stdin is not valid JSON${hint}: ${(err as Error).message}`);
  }
}

/** Core functions throw RangeError on invalid input; on the command line that is the user's input. */
function asBadInput<T>(compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof RangeError) throw new BadInput(err.message);
    throw err;
  }
}

function parseKs(text: string): number[] {
  const ks = text.split(',').map((part) => part.trim());
  for (const k of ks) if (!/^[1-9]\d*$/.test(k)) throw new BadInput(`--k expects positive integers separated by commas, got "${text}"`);
  return [...new Set(ks.map(Number))].sort((a, b) => a - b);
}

function checkScore(value: unknown, where: string, pass: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadInput(`${where} is not a finite number: ${JSON.stringify(value)}`);
  if (pass && value !== 0 && value !== 1) throw new BadInput(`${where} is ${value}; with --pass every score must be 0 or 1`);
  return value;
}

/** One problem (array of numbers) or several (array of arrays); returns the problems. */
function parseProblems(input: unknown, pass: boolean): { problems: number[][]; single: boolean } {
  if (!Array.isArray(input)) throw new BadInput('expected a JSON array of scores, or an array of arrays of scores (one per problem)');
  if (input.length === 0) throw new BadInput('no scores: the input array is empty');
  if (input.every((x) => !Array.isArray(x))) return { problems: [input.map((x, i) => checkScore(x, `score ${i}`, pass))], single: true };
  if (!input.every((x) => Array.isArray(x))) throw new BadInput('mixed input: use either an array of scores or an array of arrays of scores, not both');
  const problems = (input as unknown[][]).map((scores, p) => {
    if (scores.length === 0) throw new BadInput(`problem ${p} has no scores`);
    return scores.map((x, i) => checkScore(x, `problem ${p} score ${i}`, pass));
  });
  return { problems, single: false };
}

interface EffkOptions {
  k?: string;
  pass?: boolean;
}

async function runEffk(options: EffkOptions): Promise<void> {
  const pass = options.pass === true;
  const { problems, single } = parseProblems(await readStdinJson(`echo '[0.9, 1.2, 0]' | effopt score effk --k 1,2`), pass);
  const ns = problems.map((p) => p.length);
  const smallest = Math.min(...ns);
  let ks: number[];
  if (options.k === undefined) {
    ks = DEFAULT_KS.filter((k) => k <= smallest);
  } else {
    ks = parseKs(options.k);
    const tooLarge = ks.find((k) => k > smallest);
    if (tooLarge !== undefined) {
      const p = ns.indexOf(smallest);
      throw new BadInput(`k = ${tooLarge} exceeds the number of samples n = ${smallest}${single ? '' : ` of problem ${p}`}`);
    }
  }
  const perProblem = problems.map((scores) =>
    asBadInput(() => {
      if (!pass) return effAtKs(scores, ks);
      const correct = scores.filter((s) => s === 1).length;
      return ks.map((k) => passAtK(scores.length, correct, k));
    }),
  );
  const metric: Record<string, number> = {};
  ks.forEach((k, i) => {
    metric[String(k)] = perProblem.reduce((sum, values) => sum + values[i], 0) / problems.length;
  });
  const out = single ? { [pass ? 'passAtK' : 'effAtK']: metric, n: ns[0] } : { [pass ? 'passAtK' : 'effAtK']: metric, n: ns, problems: problems.length };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

interface B4Options {
  baselines?: boolean;
  seed: string;
}

function parseB4Input(input: unknown): { matrix: number[][]; prior?: B4PriorInput } {
  if (Array.isArray(input)) return { matrix: input as number[][] };
  if (input === null || typeof input !== 'object') throw new BadInput('expected {"matrix": [[0,1,…],…], "prior": {…}} on stdin');
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (key !== 'matrix' && key !== 'prior') throw new BadInput(`unknown input field "${key}" (expected "matrix" and optionally "prior")`);
  const { matrix, prior } = record;
  if (!Array.isArray(matrix)) throw new BadInput('"matrix" must be an array of rows (one per solution) of 0/1 test results');
  if (matrix.length === 0) throw new BadInput('the passing matrix is empty: no solutions');
  matrix.forEach((row, i) => {
    if (!Array.isArray(row)) throw new BadInput(`matrix row ${i} is not an array`);
  });
  // No columns (no tests) is a matrix B4 defines: every solution is in one consensus set with S_y = ∅.
  if (prior !== undefined && (prior === null || typeof prior !== 'object' || Array.isArray(prior)))
    throw new BadInput('"prior" must be an object such as {"alphaXY": 1000, "beta0": 10000}');
  return { matrix: matrix as number[][], prior: prior as B4PriorInput | undefined };
}

const shape = (s: Selection) => ({ ranking: s.ranking, top: s.top });

async function runB4(options: B4Options): Promise<void> {
  if (!/^-?\d+$/.test(options.seed)) throw new BadInput(`--seed expects an integer, got "${options.seed}"`);
  const seed = Number(options.seed);
  const { matrix, prior } = parseB4Input(await readStdinJson(`echo '{"matrix": [[1,0],[1,1]]}' | effopt score b4`));
  const out = asBadInput(() => {
    const b4 = b4Rank(matrix, prior);
    if (!options.baselines) return shape(b4);
    const baselines = allBaselines(matrix, seed);
    return {
      ...shape(b4),
      baselines: {
        codeT: shape(baselines.codeT),
        codeTPaper: shape(baselines.codeTPaper),
        maxPass: shape(baselines.maxPass),
        mbrExec: shape(baselines.mbrExec),
        random: { ...shape(baselines.random), pick: baselines.random.pick },
      },
    };
  });
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

export function registerScore(program: Command): void {
  const score = program.command('score').description('scoring math on JSON from stdin: eff@k / pass@k (effk) or a B4 ranking (b4)');
  score
    .command('effk')
    .description(
      'eff@k (ENAMEL) of a JSON array of per-sample scores on stdin, or of an array of arrays (one per problem; the result is the mean). ' +
        'Prints {"effAtK": {"1": …}, "n": …}.',
    )
    .option('--k <list>', 'comma-separated k values; each must be ≤ n (default: 1,5,10, those ≤ n)')
    .option('--pass', 'scores are 0/1 pass flags: print pass@k as "passAtK" instead')
    .action((options: EffkOptions) => runEffk(options));
  score
    .command('b4')
    .description(
      'B4 ranking of the consensus sets of a passing matrix: {"matrix": [[0,1,…],…], "prior": {"alphaXY": 1e3, "beta0": 1e4}} on stdin ' +
        '(prior optional; also alphaX, alphaY, betaX, betaY, alpha1, beta1, alpha0). Prints {"ranking": [{rows, tests, score, rank}], "top": [rows]}.',
    )
    .option('--baselines', 'add CodeT (both variants), MaxPass, MBR-exec and a seeded Random pick in the same shape')
    .option('--seed <n>', 'seed of the Random baseline', '0')
    .action((options: B4Options) => runB4(options));
}
