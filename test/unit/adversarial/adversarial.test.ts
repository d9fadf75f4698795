// The adversarial corpus (test/adversarial/README.md): rewrites written the way an optimiser
// rewarded only for measured speed would write them, plus honest controls. One `effopt evaluate`
// run per problem with all its candidates (the built CLI, quick benchmark settings), then one
// case per candidate file: the honest fast control wins, the honest slower one is not faster,
// and no gaming rewrite wins or is accepted as faster unless the report flags it for
// confirmation (`integrity.needsConfirmation`). The fair set checks the other direction: a
// rewrite that works where the original overflows its stack is not called wrong.
//
// ADVERSARIAL_CLI=<path to cli.js> runs the corpus against another build (the "before" table in
// the README came from the build of 1da161f's parent); ADVERSARIAL_REPORTS=<dir> keeps the JSON reports.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CLI, ROOT } from '../e2e/examples';
import { cleanEnv, QUICK } from '../e2e/helpers';

const CORPUS = join(ROOT, 'test', 'adversarial');
/** The e2e tests' quick benchmark settings (1 s per call, 200 ms per level, 4 rounds): gaming speedups are far above the noise. */
const SETTINGS = QUICK;
const CAUGHT = new Set(['wrong', 'rejected', 'crashed', 'not-faster']);
const HONEST_FAST = 'honest-fast';
const HONEST_SLOWER = 'honest-slower';

interface Problem {
  id: string;
  file: string;
  function: string;
  tests: string;
  candidates: string;
}

interface Case {
  id: string;
  family: string;
  file: string;
}

/** The slice of the report this test reads (the integrity object is being added to the report). */
interface CandidateRow {
  id: string;
  status: string;
  reason: string;
  timing?: { overall?: { estimate?: number } };
  integrity?: { needsConfirmation?: boolean; reasons?: unknown; [k: string]: unknown };
}
interface Report {
  status: string;
  summary: string;
  winner?: { id: string };
  candidates: CandidateRow[];
}

const manifest = JSON.parse(readFileSync(join(CORPUS, 'problems.json'), 'utf8')) as { problems: Problem[]; fair: Problem[] };

/** The candidate files of a problem with the family their header comment declares. */
function casesOf(p: Problem): Case[] {
  const dir = join(CORPUS, p.candidates);
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const family = /^(?:\/\/|#)\s*family:\s*([\w-]+)/m.exec(text)?.[1];
      if (!family) throw new Error(`${p.candidates}/${f}: the header comment must start with "family: <name>"`);
      // The id effopt gives a file of a --candidates folder (src/cli/commands/optimize.ts).
      return { id: basename(f, extname(f)).replace(/[^\w.-]/g, '_'), family, file: f };
    });
}

function evaluate(p: Problem): Promise<{ report?: Report; log: string; seconds: number }> {
  const cli = process.env.ADVERSARIAL_CLI ?? CLI;
  const args = [
    cli,
    'evaluate',
    join(CORPUS, p.file),
    '--function',
    p.function,
    '--candidates',
    join(CORPUS, p.candidates),
    '--tests',
    join(CORPUS, p.tests),
    '--json',
    '-',
    ...SETTINGS,
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => {
      const seconds = (Date.now() - started) / 1000;
      const log = `exit ${code} after ${seconds.toFixed(1)} s\n${stderr.slice(-4000)}`;
      try {
        const report = JSON.parse(stdout) as Report;
        if (process.env.ADVERSARIAL_REPORTS) {
          mkdirSync(process.env.ADVERSARIAL_REPORTS, { recursive: true });
          writeFileSync(join(process.env.ADVERSARIAL_REPORTS, `${p.id.replace(/\W/g, '-')}.json`), stdout);
        }
        resolve({ report, log, seconds });
      } catch {
        resolve({ log: `${log}\nstdout: ${stdout.slice(0, 2000)}`, seconds });
      }
    });
  });
}

const speedupOf = (c: CandidateRow | undefined): string => {
  const x = c?.timing?.overall?.estimate;
  return typeof x === 'number' ? `${x >= 100 ? x.toFixed(0) : x.toPrecision(3)}×` : '—';
};

function table(report: Report, cases: Case[]): string {
  const by = new Map(report.candidates.map((c) => [c.id, c]));
  const rows = cases.map((k) => {
    const c = by.get(k.id);
    const flag = c?.integrity?.needsConfirmation ? 'needs confirmation' : '';
    return [k.id, k.family, c?.status ?? '(missing)', speedupOf(c), flag, (c?.reason ?? '').replace(/\s+/g, ' ').slice(0, 110)];
  });
  const head = ['candidate', 'family', 'status', 'speedup', 'integrity', 'reason'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((x, i) => (i === r.length - 1 ? x : x.padEnd(widths[i]))).join('  ');
  return [`${report.status}: ${report.summary}`, line(head), ...rows.map(line)].join('\n');
}

function suite(p: Problem, fair: boolean): void {
  const cases = casesOf(p);
  describe(`adversarial ${p.id}: ${p.function}`, () => {
    let run: { report?: Report; log: string; seconds: number } = { log: 'not run', seconds: 0 };
    before(
      async () => {
        run = await evaluate(p);
        // Always in the output: the evidence per candidate, and how long the run took.
        console.log(`\n[adversarial ${p.id}] ${run.seconds.toFixed(1)} s\n${run.report ? table(run.report, cases) : run.log}\n`);
      },
      { timeout: 300_000 },
    );

    const row = (id: string): { c: CandidateRow; context: string } => {
      assert.ok(run.report, `evaluate produced no report:\n${run.log}`);
      const c = run.report.candidates.find((x) => x.id === id);
      const context = `\n${table(run.report, cases)}`;
      assert.ok(c, `candidate ${id} is not in the report${context}`);
      return { c, context };
    };

    for (const k of cases) {
      if (fair) {
        it(`${k.id} (${k.family}): works where the original overflows, so it is not called wrong`, () => {
          const { c, context } = row(k.id);
          assert.ok(['winner', 'faster', 'not-faster'].includes(c.status), `${k.id} is ${c.status}: ${c.reason}${context}`);
        });
      } else if (k.family === HONEST_FAST) {
        it(`${k.id} (honest fast control) wins, unflagged`, () => {
          const { c, context } = row(k.id);
          assert.equal(c.status, 'winner', `the honest control ${k.id} is ${c.status}: ${c.reason}${context}`);
          assert.ok(!c.integrity?.needsConfirmation, `the honest control ${k.id} is flagged: ${JSON.stringify(c.integrity)}${context}`);
        });
      } else if (k.family === HONEST_SLOWER) {
        it(`${k.id} (honest slower control) is verified and not faster`, () => {
          const { c, context } = row(k.id);
          assert.equal(c.status, 'not-faster', `the honest slower control ${k.id} is ${c.status}: ${c.reason}${context}`);
        });
      } else {
        it(`${k.id} (${k.family}) does not win and is caught or flagged`, () => {
          const { c, context } = row(k.id);
          assert.notEqual(c.status, 'winner', `gaming rewrite ${k.id} won: ${c.reason}${context}`);
          assert.ok(
            CAUGHT.has(c.status) || !!c.integrity?.needsConfirmation,
            `gaming rewrite ${k.id} is ${c.status} (${speedupOf(c)}) and not flagged: ${c.reason}${context}`,
          );
        });
      }
    }
  });
}

for (const p of manifest.problems) suite(p, false);
for (const p of manifest.fair) suite(p, true);
