// --apply: writes the verified winner only onto the file as it was read. If the user edits the
// file during the run, nothing is written (exit 2) and the edit is kept; otherwise the rewritten
// file still loads and gives the original's results (JavaScript, TypeScript, Python).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { examplesScript, loadExamples, SCRIPTED_MODEL } from './examples';
import { copyExample, parseReport, QUICK, runCli, scratchDir, startCli, startServer } from './helpers';

const examples = new Map(loadExamples().map((e) => [e.id, e]));

/** `evaluate --apply` on a scratch copy of an example; returns the copy's paths and the report. */
async function evaluateAndApply(id: string, into: string) {
  const e = examples.get(id)!;
  const dir = copyExample(id, into);
  const file = join(dir, e.file.split(/[\\/]/).pop()!);
  const json = join(dir, 'report.json');
  const before = readFileSync(file, 'utf8');
  const r = await runCli([
    'evaluate',
    file,
    '--function',
    e.function,
    '--candidates',
    join(dir, 'candidates'),
    '--tests',
    join(dir, 'tests.json'),
    '--apply',
    '--json',
    json,
    '--quiet',
    ...QUICK,
  ]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const report = parseReport(readFileSync(json, 'utf8'));
  assert.equal(report.status, 'improved', report.summary);
  assert.match(r.stderr, new RegExp(`applied candidate ${report.winner!.id} to `));
  const after = readFileSync(file, 'utf8');
  assert.notEqual(after, before);
  assert.equal(after, report.proposal!.newText);
  assert.ok(after.includes(report.candidates.find((c) => c.id === report.winner!.id)!.functionCode!.split('\n')[0]), 'the winner’s code is in the file');
  return { dir, file, before, after, report };
}

describe('effopt --apply', () => {
  const scratch = scratchDir();
  after(() => scratch.remove());

  it('refuses (exit 2) when the file changes during the run, and keeps the user’s edit', async () => {
    const e = examples.get('js/dedupe')!;
    const dir = copyExample('js/dedupe', scratch.dir);
    const file = join(dir, 'tags.js');
    const script = examplesScript([e]);
    // The rewrites arrive after 4 s; the "user" edits the file meanwhile.
    for (const rule of script.rules) if (rule.when?.kind === 'optimize') rule.delayMs = 4000;
    const server = await startServer(script, scratch.dir);
    try {
      const cli = startCli([
        'optimize',
        file,
        '--function',
        e.function,
        '--base-url',
        server.url,
        '--model',
        SCRIPTED_MODEL,
        '--samples',
        String(e.candidates.length),
        '--no-repair',
        '--apply',
        ...QUICK,
      ]);
      await cli.waitForStderr(/effopt: candidates…/);
      const edited = readFileSync(file, 'utf8').replace('const MAX_TAG_LENGTH = 40;', 'const MAX_TAG_LENGTH = 64; // the user’s edit');
      writeFileSync(file, edited);
      const r = await cli.done;
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /not applied: .*tags\.js changed while effopt was running/);
      assert.match(r.stdout, /✔ uniqueTags: [\d.]+× faster/, 'the report is still printed');
      assert.equal(readFileSync(file, 'utf8'), edited, 'the file keeps the user’s edit');
      assert.ok(server.requests().some((q) => q.kind === 'optimize'));
    } finally {
      await server.close();
    }
  });

  it('JavaScript: writes the winner; the module still loads and returns what the original returned', async () => {
    const { file, before } = await evaluateAndApply('js/dedupe', scratch.dir);
    const originalFile = join(scratch.dir, 'tags-original.js');
    writeFileSync(originalFile, before);
    const load = createRequire(__filename);
    const rewritten = load(file) as { uniqueTags: (xs: unknown[]) => string[]; normalizeTag: (s: string) => string };
    const original = load(originalFile) as typeof rewritten;
    const inputs: unknown[][] = [
      [],
      ['Constructor', 'html', '__proto__', 'html'],
      ['  ', '', 'css'],
      [1, '1', null, 'null'],
      Array.from({ length: 3000 }, (_, i) => (i % 3 ? 'tag ' : ' Tag ') + (i % 700)),
    ];
    for (const xs of inputs) assert.deepEqual(rewritten.uniqueTags(xs), original.uniqueTags(xs));
    assert.equal(rewritten.normalizeTag('  Node JS '), 'node-js', 'the rest of the module is intact');
  });

  it('TypeScript: the rewritten module still imports and agrees with the original', async () => {
    const { file, before } = await evaluateAndApply('ts/leaderboard', scratch.dir);
    const originalFile = join(scratch.dir, 'ranks-original.ts');
    writeFileSync(originalFile, before);
    type Ranks = { liveRanks: (s: { user: string; score: number }[]) => number[] };
    const rewritten = (await import(pathToFileURL(file).href)) as Ranks;
    const original = (await import(pathToFileURL(originalFile).href)) as Ranks;
    const subs = Array.from({ length: 400 }, (_, i) => ({ user: `u${i % 13}`, score: (i * 37) % 101 }));
    for (const s of [[], subs.slice(0, 1), subs]) assert.deepEqual(rewritten.liveRanks(s), original.liveRanks(s));
  });

  it('JavaScript instance method: only the method is replaced inside its class; instances made by the constructor agree with the original', async () => {
    const { file, before, after, report } = await evaluateAndApply('js/stock', scratch.dir);
    const edit = report.proposal!.edits;
    assert.equal(edit.length, 1);
    assert.ok(
      edit[0].startOffset >= before.indexOf('  reserve(order) {') && edit[0].endOffset <= before.indexOf('  available() {'),
      'the edit stays inside reserve()',
    );
    assert.ok(after.includes('  available() {\n    return this.skus.filter((sku) => !this.reserved.includes(sku));\n  }'), 'the rest of the class is intact');
    const originalFile = join(scratch.dir, 'stock-original.js');
    writeFileSync(originalFile, before);
    const load = createRequire(__filename);
    type StockClass = new (skus: string[]) => { reserve: (order: string[]) => string[]; reserved: string[]; available: () => string[] };
    const Rewritten = (load(file) as { Stock: StockClass }).Stock;
    const Original = (load(originalFile) as { Stock: StockClass }).Stock;
    const skus = Array.from({ length: 300 }, (_, i) => `S${i}`);
    const orders = [[], ['S1', 'S1', 'S2'], ['S9', 'nope', 'S9'], Array.from({ length: 500 }, (_, i) => `S${(i * 7) % 400}`)];
    const a = new Rewritten(skus);
    const b = new Original(skus);
    for (const order of orders) assert.deepEqual(a.reserve(order), b.reserve(order));
    assert.deepEqual(a.reserved, b.reserved);
    assert.deepEqual(a.available(), b.available());
  });

  it('Python instance method: only the method is replaced; instances made by the constructor agree with the original', async () => {
    const { dir, before, after } = await evaluateAndApply('python/waitlist', scratch.dir);
    assert.ok(after.includes('    def seats_left(self):\n        return max(0, self.capacity - len(self.enrolled))\n'), 'the rest of the class is intact');
    assert.equal(after.slice(0, before.indexOf('    def admit(self, applicants):')), before.slice(0, before.indexOf('    def admit(self, applicants):')));
    writeFileSync(join(dir, 'waitlist_original.py'), before);
    const check = [
      'import json, waitlist, waitlist_original',
      'runs = [[], ["a", "b", "a", "c"], ["c", "d", "e", "f", "d"], ["s%d" % (i % 70) for i in range(200)]]',
      'new, old = waitlist.Waitlist(3), waitlist_original.Waitlist(3)',
      'out = [new.admit(r) == old.admit(r) for r in runs]',
      'print(json.dumps(out + [new.enrolled == old.enrolled, new.waiting == old.waiting, new.seats_left() == old.seats_left()]))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', check], { cwd: dir, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), [true, true, true, true, true, true, true]);
  });

  it('Python: the rewritten module still imports and agrees with the original', async () => {
    const { dir, file, before } = await evaluateAndApply('python/orders', scratch.dir);
    writeFileSync(join(dir, 'screening_original.py'), before);
    const check = [
      'import json, screening, screening_original',
      "orders = [{'id': i, 'customer': 'CU' if i % 17 == 0 else 'c%d' % (i % 40), 'region': ('DE', 'IR', 'US', 'CU')[i % 4]} for i in range(500)]",
      "blocked = ['c%d' % j for j in range(0, 40, 3)]",
      'cases = [([], []), (orders, []), (orders, blocked), (orders[:3], blocked)]',
      'print(json.dumps([screening.screen_orders(o, b) == screening_original.screen_orders(o, b) for o, b in cases]))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', check], { cwd: dir, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), [true, true, true, true]);
    assert.ok(readFileSync(file, 'utf8').includes('EMBARGOED_REGIONS = ["CU", "IR", "KP", "SY"]'), 'the rest of the module is intact');
  });
});
