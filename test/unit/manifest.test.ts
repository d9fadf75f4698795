// package.json's contributions that people meet first: settings in titled sections with the
// model settings on top, a Get Started walkthrough whose media exist, menus that hide what does
// not apply, the icon and the categories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

interface Section {
  title: string;
  order: number;
  properties: Record<string, { order?: number; markdownDescription?: string }>;
}

test('settings come in titled, ordered sections: provider, base URL, model and key first', () => {
  const sections = contributes.configuration as Section[];
  assert.ok(Array.isArray(sections) && sections.length >= 3, 'an array of sections');
  assert.deepEqual(
    sections.map((s) => s.order),
    sections.map((_, i) => i),
  );
  for (const s of sections) assert.ok(s.title && Object.keys(s.properties).length > 0, `section ${s.title}`);
  const model = sections[0];
  assert.equal(model.title, 'Model');
  const byOrder = Object.entries(model.properties)
    .sort((a, b) => (a[1].order ?? 99) - (b[1].order ?? 99))
    .map(([k]) => k);
  assert.deepEqual(byOrder.slice(0, 4), ['effopt.provider', 'effopt.baseUrl', 'effopt.model', 'effopt.apiKey']);
  // The key is no setting: the entry points to the command that keeps it in secret storage.
  assert.match(model.properties['effopt.apiKey'].markdownDescription ?? '', /\(command:effopt\.setApiKey\)/);
  for (const s of sections) for (const [k, p] of Object.entries(s.properties)) assert.equal(typeof p.order, 'number', `${k} has an order`);
});

test('a Get Started walkthrough: pick a model, optimize a sample, read the report', () => {
  const [walk] = contributes.walkthroughs as Array<{
    id: string;
    steps: Array<{ id: string; title: string; description: string; media: { markdown?: string } }>;
  }>;
  assert.ok(walk);
  assert.deepEqual(
    walk.steps.map((s) => s.id),
    ['pickModel', 'optimizeSample', 'readReport'],
  );
  for (const s of walk.steps) {
    assert.ok(s.media.markdown && existsSync(join(root, s.media.markdown)), `${s.id} media ${s.media.markdown}`);
    assert.match(s.description, /\(command:effopt\.\w+\)/, `${s.id} has a button`);
  }
  const commands = (contributes.commands as Array<{ command: string }>).map((c) => c.command);
  for (const s of walk.steps)
    for (const [, id] of s.description.matchAll(/\(command:(effopt\.\w+)\)/g)) assert.ok(commands.includes(id), `${id} is contributed`);
  assert.ok(existsSync(join(root, 'media', 'walkthrough', 'dedupe.js')), 'the sample the step opens');
});

test('menus: Cancel only while running, Optimize only for supported languages, a settings gear', () => {
  const menus = contributes.menus as Record<string, Array<{ command: string; when?: string }>>;
  const when = (menu: string, command: string): string | undefined => menus[menu].find((m) => m.command === command)?.when;
  assert.match(when('view/title', 'effopt.cancelRun') ?? '', /effopt\.running/);
  assert.match(when('commandPalette', 'effopt.cancelRun') ?? '', /effopt\.running/);
  for (const c of ['effopt.optimizeFunction', 'effopt.optimizeFile']) {
    const w = when('commandPalette', c) ?? '';
    assert.match(w, /editorLangId/, c);
    const re = new RegExp(w.match(/=~ \/(.*)\/$/)![1]);
    for (const id of ['javascript', 'typescriptreact', 'python']) assert.ok(re.test(id), `${c} for ${id}`);
    for (const id of ['plaintext', 'markdown', 'rust']) assert.ok(!re.test(id), `${c} hidden for ${id}`);
  }
  assert.match(when('view/title', 'effopt.openSettings') ?? '', /view == effopt\.report/);
  const gear = (contributes.commands as Array<{ command: string; icon?: string }>).find((c) => c.command === 'effopt.openSettings');
  assert.equal(gear?.icon, '$(gear)');
});

test('command titles carry no "effopt" of their own (the category adds it once)', () => {
  for (const c of contributes.commands as Array<{ title: string; category: string }>) {
    assert.equal(c.category, 'effopt');
    assert.ok(!/\beffopt\b/i.test(c.title), c.title);
  }
});

test('a 128×128 PNG icon and categories that fit', () => {
  assert.equal(manifest.icon, 'media/icon.png');
  const png = readFileSync(join(root, manifest.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.readUInt32BE(16), 128);
  assert.equal(png.readUInt32BE(20), 128);
  // The image data inflates to 128 rows of 1 + 128×4 bytes (RGBA).
  const idat = png.indexOf('IDAT');
  assert.equal(inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4))).length, 128 * (1 + 128 * 4));
  assert.ok(!manifest.categories.includes('Linters'));
  assert.ok(manifest.categories.includes('Programming Languages'));
});
