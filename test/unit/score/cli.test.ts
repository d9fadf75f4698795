// Runs the built `dist/cli.js score …` as a child process (build first: node esbuild.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadVectorFiles } from './vectors';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

function newestSource(): { path: string; mtime: number } {
  const sources = [
    join(root, 'src', 'cli', 'commands', 'score.ts'),
    ...readdirSync(join(root, 'src', 'core', 'score')).map((f) => join(root, 'src', 'core', 'score', f)),
  ];
  return sources.map((path) => ({ path, mtime: statSync(path).mtimeMs })).reduce((a, b) => (b.mtime > a.mtime ? b : a));
}

test('dist/cli.js is built from the current scoring sources', () => {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `node esbuild.mjs`');
  const newest = newestSource();
  assert.ok(statSync(cli).mtimeMs >= newest.mtime, `dist/cli.js is older than ${newest.path}: run \`node esbuild.mjs\``);
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input: string): Run {
  const r = spawnSync(process.execPath, [cli, 'score', ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runJson(args: string[], input: unknown): Record<string, unknown> {
  const r = run(args, JSON.stringify(input));
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1, 'one line of JSON');
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

function expectBadInput(args: string[], input: string, message: RegExp): void {
  const r = run(args, input);
  assert.equal(r.status, 2, `expected exit 2 for ${JSON.stringify(input)}, got ${r.status}; stderr: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.equal(r.stdout, '', 'nothing on stdout');
}

const near = (got: unknown, want: number, what: string) =>
  assert.ok(typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: got ${got}, expected ${want}`);

interface EffkFile {
  effk_vectors: Array<{
    name: string;
    scores: number[];
    expected_eff_at_k: Record<string, number>;
    passed?: boolean[];
    expected_pass_at_k?: Record<string, number>;
  }>;
}

test('score effk reproduces the eff@k and pass@k vectors', () => {
  for (const { data } of loadVectorFiles<EffkFile>('effk')) {
    for (const v of data.effk_vectors) {
      const ks = Object.keys(v.expected_eff_at_k);
      const out = runJson(['effk', '--k', ks.join(',')], v.scores);
      assert.equal(out.n, v.scores.length);
      for (const k of ks) near((out.effAtK as Record<string, number>)[k], v.expected_eff_at_k[k], `${v.name} eff@${k}`);
      if (v.passed && v.expected_pass_at_k) {
        const pass = runJson(['effk', '--pass', '--k', Object.keys(v.expected_pass_at_k).join(',')], v.passed.map(Number));
        for (const [k, want] of Object.entries(v.expected_pass_at_k)) near((pass.passAtK as Record<string, number>)[k], want, `${v.name} pass@${k}`);
      }
    }
  }
});

test('score effk: several problems give the mean; the default k list keeps the k ≤ n', () => {
  const out = runJson(
    ['effk', '--k', '1,2'],
    [
      [0, 1],
      [0.5, 0.5, 2],
    ],
  );
  // problem 1: eff@1 = 0.5, eff@2 = 1; problem 2: eff@1 = 1, eff@2 = (0.5 + 2 + 2)/3 = 1.5
  near((out.effAtK as Record<string, number>)['1'], 0.75, 'mean eff@1');
  near((out.effAtK as Record<string, number>)['2'], 1.25, 'mean eff@2');
  assert.deepEqual(out.n, [2, 3]);
  const defaults = runJson(['effk'], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  assert.deepEqual(Object.keys(defaults.effAtK as object), ['1', '5']);
});

interface B4File {
  vectors: Array<{
    name: string;
    E: number[][];
    hyper: Record<string, number>;
    strategies: Record<string, { ranking: Array<{ rows: number[]; score: number }>; top_group_rows: number[] }>;
  }>;
}

const CLI_KEY: Record<string, string> = { CodeT: 'codeT', CodeT_paper: 'codeTPaper', MaxPass: 'maxPass', MBR_exec: 'mbrExec', Random: 'random' };

test('score b4 --baselines reproduces the B4 vectors, with the prior passed on stdin', () => {
  for (const { data } of loadVectorFiles<B4File>('b4')) {
    for (const v of data.vectors) {
      const prior = {
        alphaXY: v.hyper.alpha_xy,
        beta0: v.hyper.beta_0,
        betaX: v.hyper.beta_x,
        betaY: v.hyper.beta_y,
        alpha1: v.hyper.alpha_1,
        beta1: v.hyper.beta_1,
        alpha0: v.hyper.alpha_0,
      };
      const out = runJson(['b4', '--baselines'], { matrix: v.E, prior });
      const baselines = out.baselines as Record<string, { ranking: Array<{ rows: number[]; score: number }>; top: number[] }>;
      for (const [strategy, expected] of Object.entries(v.strategies)) {
        const got = strategy === 'B4' ? (out as unknown as { ranking: Array<{ rows: number[]; score: number }>; top: number[] }) : baselines[CLI_KEY[strategy]];
        assert.ok(got, `${v.name}: no output for ${strategy}`);
        assert.deepEqual(
          got.ranking.map((g) => g.rows),
          expected.ranking.map((g) => g.rows),
          `${v.name} ${strategy}`,
        );
        got.ranking.forEach((g, i) => near(g.score, expected.ranking[i].score, `${v.name} ${strategy} group ${i}`));
        assert.deepEqual(got.top, expected.top_group_rows, `${v.name} ${strategy} top`);
      }
    }
  }
  // A bare matrix is accepted too, and without --baselines there are none.
  const bare = runJson(
    ['b4'],
    [
      [1, 0],
      [0, 1],
    ],
  );
  assert.deepEqual(bare.top, [0, 1]);
  assert.equal(bare.baselines, undefined);
});

test('score b4 ranks a passing matrix with no tests (no columns): every program in one consensus set', () => {
  const out = runJson(['b4', '--baselines'], { matrix: [[], [], []] }) as unknown as {
    ranking: Array<{ rows: number[]; tests: number[]; score: number; rank: number }>;
    top: number[];
    baselines: Record<string, { top: number[] }>;
  };
  assert.deepEqual(out.top, [0, 1, 2]);
  assert.equal(out.ranking.length, 1);
  assert.deepEqual(out.ranking[0].tests, []);
  // N = 3, M = 0, n_x = 3, n_y = 0: ln B(3 + α_x, β_x) + ln B(α_y, β_y) + ln B(α_1, β_1) + ln B(α_0, β_0) with the paper's prior.
  near(out.ranking[0].score, -Math.log(1003) - Math.log(1000) - Math.log(1e4), 'score with no tests');
  for (const name of ['codeT', 'codeTPaper', 'maxPass', 'mbrExec', 'random']) assert.deepEqual(out.baselines[name].top, [0, 1, 2], name);
  // Still ragged when rows differ in length.
  expectBadInput(['b4'], '{"matrix": [[], [1]]}', /ragged/);
});

test('score: bad input exits 2 with a clear message', () => {
  expectBadInput(['b4'], '{"matrix": [[1,0],[1]]}', /ragged: row 1 has 1 entries/);
  expectBadInput(['b4'], '{"matrix": [[1,0],[1,2]]}', /only 0 and 1: row 1 column 1 is 2/);
  expectBadInput(['b4'], '{"matrix": [[1,0],[true,0]]}', /only 0 and 1/);
  expectBadInput(['b4'], '{"matrix": []}', /empty/);
  expectBadInput(['b4'], '', /no input on stdin/);
  expectBadInput(['b4'], '{"matrix": [[1]], "prior": {"beta0": -1}}', /beta0/);
  expectBadInput(['b4'], '{"matrix": [[1]], "priors": {}}', /unknown input field "priors"/);
  expectBadInput(['b4', '--seed', 'x'], '[[1]]', /--seed/);
  expectBadInput(['effk', '--k', '1,11'], JSON.stringify(Array(10).fill(0.5)), /k = 11 exceeds the number of samples n = 10/);
  expectBadInput(['effk', '--k', '3'], '[[0.5, 1, 1], [0.5, 1]]', /n = 2 of problem 1/);
  expectBadInput(['effk', '--k', '1'], '[0.5, NaN]', /NaN/);
  expectBadInput(['effk', '--k', '1'], '[0.5, "NaN"]', /score 1 is not a finite number/);
  expectBadInput(['effk', '--k', '1'], '[]', /empty/);
  expectBadInput(['effk', '--k', '1'], '', /no input on stdin/);
  expectBadInput(['effk', '--k', '1'], '[[0.5], []]', /problem 1 has no scores/);
  expectBadInput(['effk', '--k', '1'], '[0.5, [1]]', /mixed input/);
  expectBadInput(['effk', '--k', '0'], '[0.5]', /--k expects positive integers/);
  expectBadInput(['effk', '--pass', '--k', '1'], '[1, 0, 0.5]', /score 2 is 0.5; with --pass every score must be 0 or 1/);
  expectBadInput(['effk', '--k', '1'], '{"scores": [1]}', /expected a JSON array/);
  expectBadInput(['nope'], '', /unknown command/);
});
