// The pipeline end to end in-process, against the scripted OpenAI-compatible server over real HTTP
// and the real sandbox: improvement found, wrong rewrite rejected and repaired, spend reported,
// cancellation keeps partial results and leaves no sandbox behind, bad requests are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSettings } from '../../../src/core/config';
import { liveSandboxPids } from '../../../src/core/exec';
import { createChatModel } from '../../../src/core/llm';
import { optimize, PipelineInputError, type OptimizeOptions } from '../../../src/core/pipeline';
import { parseSuppliedTests } from '../../../src/core/testgen/supplied';
import { startScriptedServer } from '../../fixtures/llm-server/server';

const DEDUPE = `// keeps the first occurrence of each item
function dedupe(xs) {
  const out = [];
  for (const x of xs) {
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

class Box {
  size() { return 1; }
}

module.exports = { dedupe, Box };
`;
const FAST = { repeats: 4, budgetMsPerLevel: 150, warmupMs: 20 };

let server: Awaited<ReturnType<typeof startScriptedServer>>;
before(async () => {
  server = await startScriptedServer(JSON.parse(readFileSync(join(__dirname, '../../fixtures/llm-server/scripts/dedupe.json'), 'utf8')));
});
after(() => server.close());

function options(extra: Partial<OptimizeOptions> = {}): OptimizeOptions {
  const settings = resolveSettings({ baseUrl: server.url, model: 'gpt-4o-mini', samples: 6 });
  return {
    filePath: '/tmp/effopt-test/dedupe.js',
    source: DEDUPE,
    functionName: 'dedupe',
    settings,
    model: createChatModel(settings, 'sk-test'),
    bench: FAST,
    ...extra,
  };
}

test('optimize: LLM tests and rewrites, the wrong one rejected with its case and repaired, a verified winner, spend reported', async () => {
  const stages: string[] = [];
  const report = await optimize(options({ onProgress: (e) => stages.at(-1) !== e.stage && stages.push(e.stage) }));
  assert.equal(report.status, 'improved', report.summary);
  assert.equal(report.tests.source, 'llm');
  assert.ok(report.tests.generators >= 4 && report.tests.assertions >= 1);
  const byStatus = (s: string) => report.candidates.filter((c) => c.status === s);
  assert.equal(byStatus('winner').length, 1);
  const wrong = byStatus('wrong');
  assert.ok(wrong.length >= 1, 'the sorting rewrite is rejected');
  assert.ok(wrong[0].verification?.firstFailure?.diffText?.includes('expected'), 'with a readable diff of its failing case');
  assert.ok(
    byStatus('rejected').some((c) => /duplicate|signature|code/i.test(c.reason)),
    'parse rejections are reported with reasons',
  );
  const repair = report.candidates.find((c) => c.origin === 'repair');
  assert.ok(repair, 'the failing rewrite got a repair round');
  assert.equal(repair.verification?.status, 'verified');
  assert.ok(report.winner && report.winner.speedup.low > 1.05);
  assert.equal(report.proposal?.autoApply, true);
  assert.ok(report.proposal!.newText.includes('module.exports = { dedupe, Box };'), 'the rest of the file is kept');
  assert.equal(report.effAtK.length, 6);
  assert.ok(
    report.effAtK.every((e, i) => i === 0 || e.eff >= report.effAtK[i - 1].eff - 1e-12),
    'eff@k is non-decreasing',
  );
  assert.ok(report.llm && report.llm.inputTokens > 0 && report.llm.outputTokens > 0);
  assert.equal(typeof report.llm.costUsd, 'number');
  assert.ok(report.selection?.b4.top.includes('original'));
  assert.deepEqual(stages, ['discover', 'tests', 'candidates', 'verify', 'repair', 'fuzz', 'benchmark', 'score', 'select']);
  // One input size per timed level of the original, largest case first measured in the harness.
  const sizes = report.benchmark?.inputSizes ?? [];
  assert.equal(sizes.length, report.benchmark?.original.length);
  for (const s of sizes) assert.ok(s && s.n > 0 && s.text === `n = ${s.n.toLocaleString('en-US')}`, JSON.stringify(sizes));
  assert.deepEqual(liveSandboxPids(), []);
});

test('cancelling during the benchmark keeps the verified results and leaves no sandbox process', async () => {
  const controller = new AbortController();
  const report = await optimize(
    options({ repair: false, signal: controller.signal, onProgress: (e) => e.stage === 'benchmark' && e.total > 0 && controller.abort() }),
  );
  assert.equal(report.status, 'cancelled');
  assert.ok(
    report.candidates.some((c) => c.verification?.status === 'verified'),
    'verification results are kept',
  );
  assert.equal(report.proposal, undefined);
  assert.deepEqual(liveSandboxPids(), []);
});

test('evaluate without an LLM: supplied rewrites and tests', async () => {
  const tests = parseSuppliedTests(
    JSON.stringify({ inputs: { '0': [[[1, 1, 2]], [[]]], '1': ['[Array.from({length: 800}, (_, i) => i % 300)]'] } }),
    'javascript',
  );
  const report = await optimize(
    options({
      model: undefined,
      tests,
      candidates: [{ id: 'set', code: 'function dedupe(xs) { return [...new Set(xs)]; }' }],
      settings: resolveSettings({ levels: [0, 1] }),
    }),
  );
  assert.equal(report.mode, 'evaluate');
  assert.equal(report.status, 'improved', report.summary);
  assert.equal(report.llm, undefined);
});

test('requests that cannot run are refused with a clear reason', async () => {
  await assert.rejects(optimize(options({ functionName: 'nope' })), (e: unknown) => e instanceof PipelineInputError && /nope/.test((e as Error).message));
  await assert.rejects(
    optimize(options({ source: 'class Counter {\n  #n = 0;\n  hit() { return ++this.#n; }\n}\n', functionName: 'Counter.hit' })),
    (e: unknown) => e instanceof PipelineInputError && /Counter\.hit is an instance method of a class with #private members \(#n\)/.test((e as Error).message),
  );
  await assert.rejects(optimize(options({ model: undefined })), /no LLM is configured/);
});
