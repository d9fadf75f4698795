import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, envName, resolveSettings, SETTING_NAMES, settingsFromEnv, SettingsError } from '../../src/core/config';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
// The configuration is contributed as titled sections (an array); a single object works too.
const sections = [manifest.contributes.configuration].flat() as Array<{ properties: Record<string, { default: unknown; description?: string }> }>;
const props = Object.assign({}, ...sections.map((s) => s.properties)) as Record<string, { default: unknown; description?: string }>;

test('every shared setting is contributed with the same default and a description', () => {
  for (const name of SETTING_NAMES) {
    const prop = props[`effopt.${name}`];
    assert.ok(prop, `effopt.${name} missing from package.json`);
    assert.deepEqual(prop.default, DEFAULT_SETTINGS[name], `default of effopt.${name}`);
    assert.ok(prop.description && prop.description.length > 10, `description of effopt.${name}`);
  }
});

test('the settings named in DESIGN §6 are all shared', () => {
  for (const name of ['provider', 'baseUrl', 'model', 'samples', 'alpha', 'levels', 'noiseFloor', 'timeoutMs', 'memoryMb']) {
    assert.ok((SETTING_NAMES as string[]).includes(name), name);
  }
});

test('env and flag strings convert to typed values, later layers win', () => {
  const env = settingsFromEnv({ EFFOPT_SAMPLES: '8', EFFOPT_LEVELS: '0,1,2', EFFOPT_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_API_KEY: 'x' });
  const s = resolveSettings(env, { samples: '3' });
  assert.equal(s.samples, 3);
  assert.deepEqual(s.levels, [0, 1, 2]);
  assert.equal(s.baseUrl, 'http://127.0.0.1:11434/v1');
  assert.equal(s.model, DEFAULT_SETTINGS.model);
  assert.equal(envName('noiseFloor'), 'EFFOPT_NOISE_FLOOR');
});

test('invalid values are rejected with the setting named', () => {
  assert.throws(() => resolveSettings({ samples: 'many' }), (e: unknown) => e instanceof SettingsError && /samples/.test((e as Error).message));
  assert.throws(() => resolveSettings({ provider: 'bard' }), /provider/);
  assert.throws(() => resolveSettings({ baseUrl: 'not a url' }), /baseUrl/);
});
