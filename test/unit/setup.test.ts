// The run setup both front ends share (src/core/setup.ts): which folder is the project, whether
// the model lacks a key, and the version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type EffoptSettings } from '../../src/core/config';
import { EFFOPT_VERSION, findProjectDir, modelSetup, requiresApiKey, resolveRunSetup } from '../../src/core/setup';

const root = join(__dirname, '..', '..');
const settings = (over: Partial<EffoptSettings> = {}): EffoptSettings => ({ ...DEFAULT_SETTINGS, ...over });

/** outer/.git, outer/ws/{pkg/package.json, pkg/src/a.js, py/pyproject.toml, py/m/b.py, loose/c.js} */
function tree(): { outer: string; ws: string; done: () => void } {
  const outer = mkdtempSync(join(tmpdir(), 'effopt-setup-'));
  const ws = join(outer, 'ws');
  const touch = (rel: string, text = ''): void => {
    mkdirSync(join(outer, rel, '..'), { recursive: true });
    writeFileSync(join(outer, rel), text);
  };
  mkdirSync(join(outer, '.git'));
  touch('ws/pkg/package.json', '{}');
  touch('ws/pkg/src/a.js', 'function a() {}');
  touch('ws/py/pyproject.toml');
  touch('ws/py/m/b.py', 'def b(): pass');
  touch('ws/loose/c.js', 'function c() {}');
  return { outer, ws, done: () => rmSync(outer, { recursive: true, force: true }) };
}

test('the project is the nearest folder with package.json, pyproject.toml, setup.py or .git', () => {
  const t = tree();
  try {
    assert.equal(findProjectDir(join(t.ws, 'pkg/src/a.js')), join(t.ws, 'pkg'));
    assert.equal(findProjectDir(join(t.ws, 'py/m/b.py')), join(t.ws, 'py'));
    // Inside a workspace folder the nearer marker still wins: CLI and editor agree.
    assert.equal(findProjectDir(join(t.ws, 'pkg/src/a.js'), t.ws), join(t.ws, 'pkg'));
    assert.equal(findProjectDir(join(t.ws, 'pkg/src/a.js'), t.ws), findProjectDir(join(t.ws, 'pkg/src/a.js')));
    // Without a workspace folder the search goes past ws to outer/.git.
    assert.equal(findProjectDir(join(t.ws, 'loose/c.js')), t.outer);
  } finally {
    t.done();
  }
});

test('a workspace folder bounds the search: nothing nearer marks a project, the workspace folder is it', () => {
  const t = tree();
  try {
    assert.equal(findProjectDir(join(t.ws, 'loose/c.js'), t.ws), t.ws);
    // A file outside the workspace folder is not bounded by it.
    assert.equal(findProjectDir(join(t.ws, 'loose/c.js'), join(t.ws, 'pkg')), t.outer);
    // Relative paths resolve from the working directory.
    assert.equal(findProjectDir(join(t.ws, 'pkg/src/../src/a.js')), join(t.ws, 'pkg'));
  } finally {
    t.done();
  }
});

test("no marker anywhere up to the root: the file's own folder", () => {
  const dir = mkdtempSync(join(tmpdir(), 'effopt-nomarker-'));
  try {
    const file = join(dir, 'deep', 'f.py');
    // Only meaningful when nothing above the temp folder marks a project.
    const above = findProjectDir(join(dir, 'x.py'));
    if (above !== dir) return;
    assert.equal(findProjectDir(file), join(dir, 'deep'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a key is required by Azure and OpenAI's API, not by other servers (local or on the network)", () => {
  assert.equal(requiresApiKey(settings()), true);
  assert.equal(requiresApiKey(settings({ provider: 'azure', baseUrl: 'https://x.openai.azure.com' })), true);
  assert.equal(requiresApiKey(settings({ baseUrl: 'https://me.openai.azure.com/openai/v1' })), true);
  assert.equal(requiresApiKey(settings({ baseUrl: 'http://127.0.0.1:11434/v1' })), false);
  assert.equal(requiresApiKey(settings({ baseUrl: 'http://192.168.1.5:8000/v1' })), false);
  assert.equal(requiresApiKey(settings({ provider: 'vscode-lm' })), false);
});

test('the model setup says when the key is missing and never shows the key', () => {
  const missing = modelSetup(settings(), undefined);
  assert.ok(missing.provider === 'openai' && missing.missingKey);
  const blank = modelSetup(settings(), '   ');
  assert.ok(blank.provider === 'openai' && blank.missingKey && blank.apiKey === undefined);
  const ok = modelSetup(settings(), 'sk-secret-123');
  assert.ok(ok.provider === 'openai' && !ok.missingKey && ok.apiKey === 'sk-secret-123');
  assert.ok(!ok.description.includes('sk-secret'), ok.description);
  assert.match(ok.description, /gpt-4o-mini/);
  const local = modelSetup(settings({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen' }), undefined);
  assert.ok(local.provider === 'openai' && !local.missingKey);
  assert.match(local.description, /no API key/);
  assert.deepEqual(modelSetup(settings({ provider: 'vscode-lm', model: 'gpt-4o' }), 'k'), { provider: 'vscode-lm', model: 'gpt-4o' });
});

test("resolveRunSetup: an explicit project folder wins; the version is package.json's", () => {
  const t = tree();
  try {
    const file = join(t.ws, 'pkg/src/a.js');
    assert.equal(resolveRunSetup({ filePath: file, settings: settings() }).projectDir, join(t.ws, 'pkg'));
    assert.equal(resolveRunSetup({ filePath: file, settings: settings(), projectDir: t.outer }).projectDir, t.outer);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(resolveRunSetup({ filePath: file, settings: settings() }).version, pkg.version);
    assert.equal(EFFOPT_VERSION, pkg.version);
  } finally {
    t.done();
  }
});
