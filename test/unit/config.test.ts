import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  envName,
  resolveSettings,
  SETTING_NAMES,
  settingsFromEnv,
  SettingsError,
  settingsSchema,
  type SettingName,
} from '../../src/core/config';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
// The configuration is contributed as titled sections (an array); a single object works too.
const sections = [manifest.contributes.configuration].flat() as Array<{ properties: Record<string, { default: unknown; description?: string }> }>;
const props = Object.assign({}, ...sections.map((s) => s.properties)) as Record<string, { default: unknown; description?: string }>;

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  items?: JsonSchema;
  additionalProperties?: unknown;
  properties?: unknown;
  required?: unknown;
};
type Contributed = JsonSchema & { default: unknown; description?: string };

/** What a setting's schema allows, in the terms package.json uses (no maximum: unbounded). */
function constraints(s: JsonSchema | undefined): JsonSchema {
  if (!s) return {};
  const out: JsonSchema = {};
  if (s.type !== undefined) out.type = s.type;
  if (s.enum !== undefined) out.enum = s.enum;
  if (s.minimum !== undefined) out.minimum = s.minimum;
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) out.maximum = s.maximum;
  if (s.minItems !== undefined) out.minItems = s.minItems;
  if (s.items !== undefined) out.items = constraints(s.items);
  if (s.additionalProperties !== undefined && typeof s.additionalProperties === 'object') {
    const a = s.additionalProperties as JsonSchema;
    out.additionalProperties = {
      ...constraints(a),
      properties: Object.fromEntries(Object.entries((a.properties ?? {}) as Record<string, JsonSchema>).map(([k, v]) => [k, constraints(v)])),
      required: a.required,
    };
  }
  return out;
}

const schema = z.toJSONSchema(settingsSchema) as { properties: Record<string, JsonSchema> };
const contributed = Object.entries(props as Record<string, Contributed>).filter(([k, p]) => k.startsWith('effopt.') && p.type !== 'null'); // effopt.apiKey only points to secret storage

test('package.json declares each setting as the zod schema does: default, type, minimum/maximum, enum, items', () => {
  for (const name of SETTING_NAMES) {
    const prop = props[`effopt.${name}`] as Contributed | undefined;
    assert.ok(prop, `effopt.${name} missing from package.json`);
    assert.deepEqual(prop.default, DEFAULT_SETTINGS[name], `default of effopt.${name}`);
    assert.deepEqual(constraints(prop), constraints(schema.properties[name]), `constraints of effopt.${name}`);
    assert.ok(prop.description && prop.description.length > 10, `description of effopt.${name}`);
  }
  // The defaults are valid settings.
  assert.deepEqual(resolveSettings(Object.fromEntries(contributed.map(([k, p]) => [k.slice('effopt.'.length), p.default]))), DEFAULT_SETTINGS);
});

test('and the other way round: every setting package.json contributes is in the schema', () => {
  const names = new Set<string>(SETTING_NAMES);
  for (const [key] of contributed) assert.ok(names.has(key.slice('effopt.'.length)), `${key} is contributed but not in src/core/config.ts`);
  assert.deepEqual(Object.keys(schema.properties).sort(), [...SETTING_NAMES].sort());
});

test('a value package.json allows, the schema allows, and a value out of range is refused by both', () => {
  for (const [key, p] of contributed) {
    const name = key.slice('effopt.'.length);
    if (p.minimum !== undefined) assert.throws(() => resolveSettings({ [name]: p.minimum! - 1 }), new RegExp(name), `${name} below its minimum`);
    if (p.maximum !== undefined) assert.throws(() => resolveSettings({ [name]: p.maximum! + 1 }), new RegExp(name), `${name} above its maximum`);
    if (p.enum) {
      for (const v of p.enum) assert.equal(resolveSettings({ [name]: v })[name as SettingName], v);
      assert.throws(() => resolveSettings({ [name]: 'not-an-option' }), new RegExp(name));
    }
  }
});

test('the settings named in docs/CONTRACTS.md are all shared', () => {
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
  assert.throws(
    () => resolveSettings({ samples: 'many' }),
    (e: unknown) => e instanceof SettingsError && /samples/.test((e as Error).message),
  );
  assert.throws(() => resolveSettings({ provider: 'bard' }), /provider/);
  assert.throws(() => resolveSettings({ baseUrl: 'not a url' }), /baseUrl/);
});
