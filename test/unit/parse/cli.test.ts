// `effopt functions` through the built CLI (dist/cli.js), as users and other tools run it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FIXTURES, fixture } from './fixtures';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'functions', ...args], { encoding: 'utf8', timeout: 60_000 });

const CONTRACT_KEYS = [
  'name',
  'qualifiedName',
  'kind',
  'language',
  'startLine',
  'endLine',
  'startOffset',
  'endOffset',
  'params',
  'async',
  'generator',
  'optimizable',
  'reason',
  'hotness',
  'hotnessReasons',
];

describe('effopt functions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'effopt-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints exactly the docs/CONTRACTS.md records with --json', () => {
    const r = run(join(FIXTURES, 'library.js'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const records = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(records.length, 17);
    const src = fixture('library.js');
    for (const rec of records) {
      assert.deepEqual(
        Object.keys(rec),
        CONTRACT_KEYS.filter((k) => k !== 'reason' || 'reason' in rec),
      );
      assert.equal(rec.optimizable, !('reason' in rec));
      assert.equal(typeof rec.hotness, 'number');
    }
    const unique = records.find((r) => r.name === 'unique')!;
    assert.equal(src.slice(unique.startOffset as number, unique.endOffset as number).split('\n')[0], 'function unique(items) {');
  });

  it('prints a table without --json, for every language', () => {
    for (const file of ['library.js', 'service.ts', 'component.tsx', 'shapes.py']) {
      const r = run(join(FIXTURES, file));
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^LINES\s+KIND\s+FUNCTION\s+FLAGS\s+HOT\s+NOTES\n/);
      assert.match(r.stdout, /\d+ functions \(\d+ optimizable\) in .* \[(javascript|typescript|tsx|python)\]\n$/);
    }
    assert.match(
      run(join(FIXTURES, 'shapes.py')).stdout,
      /\n31-32\s+constructor\s+Circle\.__init__\(self, radius: float = 1\.0\)\s+0\.0\s+not optimizable: constructor/,
    );
  });

  it('warns about syntax errors on stderr and still lists the functions', () => {
    const r = run(join(FIXTURES, 'broken.ts'), '--json');
    assert.equal(r.status, 0);
    assert.match(r.stderr, /warning: .*broken\.ts has syntax errors/);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { name: string }[]).map((f) => f.name),
      ['ok', 'broken', 'later'],
    );
  });

  it('exits 2 with a clear message on bad input', () => {
    const binary = join(dir, 'blob.js');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    const latin1 = join(dir, 'old.py');
    writeFileSync(latin1, Buffer.from('x = "caf\xe9"\n', 'latin1'));
    const unknown = join(dir, 'notes.txt');
    writeFileSync(unknown, 'hello');
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing.py')], /cannot read .*missing\.py: ENOENT/],
      [[dir], /is a directory/],
      [[binary], /looks binary/],
      [[latin1], /not UTF-8/],
      [[unknown], /cannot tell the language of .*notes\.txt .*pass --language/],
      [[unknown, '--language', 'cobol'], /unknown language "cobol"/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    const asPython = run(unknown, '--language', 'python', '--json');
    assert.equal(asPython.status, 0);
    assert.deepEqual(JSON.parse(asPython.stdout), []);
  });

  it('reads an empty file and a UTF-8 BOM file (offsets without the BOM, as VS Code)', () => {
    const empty = join(dir, 'empty.ts');
    writeFileSync(empty, '');
    assert.deepEqual(JSON.parse(run(empty, '--json').stdout), []);
    const bom = join(dir, 'bom.js');
    writeFileSync(bom, '\ufefffunction f() {}\n');
    const [f] = JSON.parse(run(bom, '--json').stdout) as { startOffset: number }[];
    assert.equal(f.startOffset, 0);
  });
});
