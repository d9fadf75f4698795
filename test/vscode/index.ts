// Runs inside the VS Code extension host (code-server or desktop VS Code): loads the bundled
// suites next to this file into mocha and resolves or rejects for the launcher.
// Output goes to the console and, when EFFOPT_TEST_LOG names a file, to that file too (the
// code-server launcher prints it: a remote extension host's console is not the launcher's).
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

function log(line: string): void {
  console.log(line);
  const file = process.env.EFFOPT_TEST_LOG;
  if (file) appendFileSync(file, line + '\n');
}

/** Reporter: one line a test, failures with their stack, and the plain `N passed, N failed` line. */
class LineReporter {
  constructor(runner: Mocha.Runner) {
    let passed = 0;
    let failed = 0;
    runner.on('pass', (t) => {
      passed++;
      log(`  ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t, err: Error) => {
      failed++;
      log(`  ✘ ${t.fullTitle()}\n${(err.stack ?? String(err)).replace(/^/gm, '      ')}`);
    });
    runner.on('end', () => log(`${passed} passed, ${failed} failed`));
  }
}

export function run(): Promise<void> {
  const grep = process.env.EFFOPT_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: LineReporter as unknown as typeof Mocha.reporters.Base,
    grep: grep ? new RegExp(grep) : undefined,
  });
  const dir = join(__dirname, 'suite');
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    } catch (err) {
      log(`could not run the suites: ${(err as Error).stack ?? err}`);
      reject(err);
    }
  });
}
