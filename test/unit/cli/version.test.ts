// `effopt --version` through the built CLI (dist/cli.js): package.json's version, injected at
// build time, and written nowhere else in the source.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|mjs|js)$/.test(name)) yield path;
  }
}

test("effopt --version prints package.json's version", () => {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), '--version'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), version);
});

test('no source file spells the version out (it comes from package.json at build time)', () => {
  const literal = new RegExp(`['"\`]${version.replace(/\./g, '\\.')}['"\`]`);
  const offenders = [...sources(join(root, 'src'))].filter((f) => literal.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
