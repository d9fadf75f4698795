// Instance methods through the whole pipeline, in-process, against the scripted OpenAI-compatible
// server over real HTTP and the real sandboxes: the prompts say that the first input element is
// the instance's state, the faster correct rewrite wins with a verified speedup, the rewrite that
// changes `this`/`self` differently is rejected with its case, and the proposal replaces only the
// method inside its class. Also evaluate mode with supplied tests and rewrites.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../../src/core/config';
import { liveSandboxPids } from '../../../src/core/exec';
import { createChatModel } from '../../../src/core/llm';
import { optimize, type OptimizeOptions } from '../../../src/core/pipeline';
import { parseSuppliedTests } from '../../../src/core/testgen/supplied';
import { startScriptedServer, type Script } from '../../fixtures/llm-server/server';

const FAST = { repeats: 4, budgetMsPerLevel: 150, warmupMs: 20 };

const TALLY_JS = `// Counts words across calls.
class Tally {
  constructor() {
    this.seen = []; // distinct words, in order of first sight
    this.repeats = 0; // words seen again
  }

  record(words) {
    let fresh = 0;
    for (const w of words) {
      if (this.seen.includes(w)) this.repeats++;
      else {
        this.seen.push(w);
        fresh++;
      }
    }
    return fresh;
  }

  reset() {
    this.seen = [];
    this.repeats = 0;
  }
}

module.exports = { Tally };
`;

const TALLY_PY = `class Tally:
    """Counts words across calls."""

    def __init__(self):
        self.seen = []
        self.repeats = 0

    def record(self, words):
        fresh = 0
        for w in words:
            if w in self.seen:
                self.repeats += 1
            else:
                self.seen.append(w)
                fresh += 1
        return fresh

    def reset(self):
        self.seen = []
        self.repeats = 0
`;

const JS_FAST =
  'record(words) {\n  const known = new Set(this.seen);\n  let fresh = 0;\n  for (const w of words) {\n    if (known.has(w)) this.repeats++;\n    else {\n      known.add(w);\n      this.seen.push(w);\n      fresh++;\n    }\n  }\n  return fresh;\n}';
// Same return value, but this.repeats is never counted: only the instance's state differs.
const JS_NO_REPEATS =
  'record(words) {\n  const known = new Set(this.seen);\n  let fresh = 0;\n  for (const w of words) {\n    if (!known.has(w)) {\n      known.add(w);\n      this.seen.push(w);\n      fresh++;\n    }\n  }\n  return fresh;\n}';
const PY_FAST =
  'def record(self, words):\n    known = set(self.seen)\n    fresh = 0\n    for w in words:\n        if w in known:\n            self.repeats += 1\n        else:\n            known.add(w)\n            self.seen.append(w)\n            fresh += 1\n    return fresh';
const PY_NO_REPEATS =
  'def record(self, words):\n    known = set(self.seen)\n    fresh = 0\n    for w in words:\n        if w not in known:\n            known.add(w)\n            self.seen.append(w)\n            fresh += 1\n    return fresh';

const jsGenerators = [
  {
    level: 0,
    code: 'function generate(rng) {\n  return [[{ seen: [], repeats: 0 }, []], [{ seen: ["a"], repeats: 1 }, ["a", "b", "a"]], [{ seen: [], repeats: 0 }, ["x", "y"]], [{ seen: ["q", "r"], repeats: 0 }, ["r", "r", "s"]]];\n}',
  },
  ...[1, 2, 3].map((level) => ({
    level,
    code: `function generate(rng) {\n  const n = ${[0, 600, 2000, 6000][level]};\n  const seen = Array.from({ length: n / 2 }, (_, i) => "w" + i * 2);\n  const words = Array.from({ length: n }, () => "w" + Math.floor(rng() * n));\n  return [[{ seen, repeats: 0 }, words]];\n}`,
  })),
];
const pyGenerators = [
  {
    level: 0,
    code: 'def generate(rng):\n    return [({"seen": [], "repeats": 0}, []), ({"seen": ["a"], "repeats": 1}, ["a", "b", "a"]), ({"seen": [], "repeats": 0}, ["x", "y"]), ({"seen": ["q", "r"], "repeats": 0}, ["r", "r", "s"])]',
  },
  ...[1, 2, 3].map((level) => ({
    level,
    code: `def generate(rng):\n    n = ${[0, 300, 1000, 3000][level]}\n    seen = ["w%d" % (i * 2) for i in range(n // 2)]\n    words = ["w%d" % rng.randrange(n) for _ in range(n)]\n    return [({"seen": seen, "repeats": 0}, words)]`,
  })),
];

const fenced = (tag: string, code: string, why: string): string => `\`\`\`${tag}\n${code}\n\`\`\`\n\n${why}`;
const testsReply = (generators: Array<{ level: number; code: string }>, assertion: { argsExpr: string; expectedExpr: string }): string =>
  '```json\n' + JSON.stringify({ generators, assertions: [{ ...assertion, note: 'two fresh words, "a" repeats' }] }) + '\n```';

const script: Script = {
  models: ['gpt-4o-mini'],
  rules: [
    {
      when: { kind: 'tests', user: '^The JavaScript[\\s\\S]*`Tally\\.record`' },
      reply: testsReply(jsGenerators, { argsExpr: '[{ seen: ["a"], repeats: 0 }, ["a", "b", "c"]]', expectedExpr: '2' }),
    },
    {
      when: { kind: 'tests', user: '^The Python[\\s\\S]*`Tally\\.record`' },
      reply: testsReply(pyGenerators, { argsExpr: '({"seen": ["a"], "repeats": 0}, ["a", "b", "c"])', expectedExpr: '2' }),
    },
    {
      when: { kind: 'optimize', user: '^The JavaScript' },
      reply: [fenced('javascript', JS_FAST, 'A Set makes each lookup O(1).'), fenced('javascript', JS_NO_REPEATS, 'Skips the repeat counter.')],
    },
    {
      when: { kind: 'optimize', user: '^The Python' },
      reply: [fenced('python', PY_FAST, 'A set makes each lookup O(1).'), fenced('python', PY_NO_REPEATS, 'Skips the repeat counter.')],
    },
    { when: { kind: 'repair' }, reply: 'I cannot fix it; keep the original.' },
  ],
};

let server: Awaited<ReturnType<typeof startScriptedServer>>;
before(async () => {
  server = await startScriptedServer(script);
});
after(async () => {
  await server.close();
  assert.deepEqual(liveSandboxPids(), []);
});

function options(language: 'javascript' | 'python', extra: Partial<OptimizeOptions> = {}): OptimizeOptions {
  const settings = resolveSettings({ baseUrl: server.url, model: 'gpt-4o-mini', samples: 2, levels: [0, 1, 2, 3] });
  const js = language === 'javascript';
  return {
    filePath: js ? '/tmp/effopt-test/tally.js' : '/tmp/effopt-test/tally.py',
    source: js ? TALLY_JS : TALLY_PY,
    functionName: 'Tally.record',
    settings,
    model: createChatModel(settings, 'sk-test'),
    bench: FAST,
    ...extra,
  };
}

const lastUser = (body: unknown): string => {
  const messages = (body as { messages: Array<{ role: string; content: string }> }).messages;
  return messages.filter((m) => m.role === 'user').at(-1)!.content;
};
const systemOf = (body: unknown): string => (body as { messages: Array<{ role: string; content: string }> }).messages.find((m) => m.role === 'system')!.content;

for (const language of ['javascript', 'python'] as const) {
  const js = language === 'javascript';
  const self = js ? 'this' : 'self';
  const source = js ? TALLY_JS : TALLY_PY;

  test(`${language}: an instance method is optimized end to end; a rewrite that changes ${self} differently is rejected with its case`, async () => {
    const since = server.requests.length;
    const report = await optimize(options(language));
    assert.equal(report.status, 'improved', report.summary);

    // The prompts: the class is shown, the inputs start with the instance's state, the rewrite keeps the fields.
    const sent = server.requests.slice(since);
    const tests = sent.find((q) => q.kind === 'tests')!;
    assert.match(systemOf(tests.body), /The FIRST element of every test case and of every argsExpr is the instance's state/);
    assert.match(
      systemOf(tests.body),
      js ? /WITHOUT running the constructor \(`Object\.create\(Tally\.prototype\)`/ : /WITHOUT running the constructor \(`Tally\.__new__\(Tally\)`/,
    );
    assert.match(lastUser(tests.body), /It is an instance method of class `Tally`, which is/);
    assert.ok(
      lastUser(tests.body).includes(js ? 'this.repeats = 0; // words seen again' : 'def __init__(self):'),
      'the class with its constructor is in the prompt',
    );
    const opt = sent.find((q) => q.kind === 'optimize')!;
    assert.match(
      systemOf(opt.body),
      new RegExp(`instance method of \`Tally\` and stays one: same observable state\\. Read and write the same fields of \`${self}\``),
    );
    const repair = sent.find((q) => q.kind === 'repair');
    assert.ok(repair, 'the wrong rewrite went back for repair');
    assert.match(lastUser(repair.body), new RegExp(`Failing input \\(the instance's state as \`${self}\`, then the arguments\\): \`${self} = Tally`));

    const winner = report.candidates.find((c) => c.status === 'winner')!;
    assert.equal(winner.id, 'c1');
    assert.equal(winner.verification?.status, 'verified');
    assert.ok(report.winner && report.winner.speedup.low > 1.05, JSON.stringify(report.winner));

    const wrong = report.candidates.find((c) => c.id === 'c2')!;
    assert.equal(wrong.status, 'wrong', wrong.reason);
    const failure = wrong.verification!.firstFailure!;
    assert.equal(failure.caseId, 'L0/g0/1', 'the first case with a repeated word');
    assert.ok(wrong.reason.includes(`${self}.repeats: value — expected 3, got 1 (case L0/g0/1)`), wrong.reason);
    assert.ok(failure.diffText?.startsWith(`case L0/g0/1: input ${self} = Tally`), failure.diffText);
    assert.match(failure.diffText ?? '', /expected: returned 1\n {2}actual: {3}returned 1\n/);
    assert.match(
      failure.diffText ?? '',
      new RegExp(`\\n  ${self}\\.repeats: value — expected 3 — got 1 — \\(the instance's state after the call \\(${self} was changed differently\\)\\)`),
    );

    // The proposal replaces the method only: the class around it is untouched.
    const proposal = report.proposal!;
    assert.ok(proposal.autoApply);
    assert.equal(proposal.edits.length, 1);
    const start = source.indexOf(js ? '  record(words) {' : '    def record(self, words):');
    const end = source.indexOf(js ? '\n\n  reset()' : '\n\n    def reset(self):');
    assert.equal(proposal.edits[0].startOffset, start + (js ? 2 : 4));
    assert.equal(proposal.edits[0].endOffset, end);
    assert.equal(proposal.newText.slice(0, start), source.slice(0, start));
    assert.equal(proposal.newText.slice(proposal.newText.length - (source.length - end)), source.slice(end));
    assert.ok(
      proposal.newText.includes(js ? '    const known = new Set(this.seen);\n' : '        known = set(self.seen)\n'),
      'the rewrite is re-indented into the class',
    );
    assert.deepEqual(liveSandboxPids(), []);
  });
}

test('evaluate: supplied tests and rewrites for an instance method (the receiver state is the first element of each input)', async () => {
  const tests = parseSuppliedTests(
    JSON.stringify({
      inputs: {
        '0': [[{ seen: [], repeats: 0 }, []], { args: [{ seen: ['a'], repeats: 0 }, ['a', 'b', 'a']], expected: 1 }],
        '1': ['({"seen": ["w%d" % i for i in range(0, 600, 2)], "repeats": 0}, ["w%d" % (i * 7 % 600) for i in range(600)])'],
      },
    }),
    'python',
  );
  const report = await optimize(
    options('python', {
      model: undefined,
      tests,
      candidates: [
        { id: 'set', code: PY_FAST },
        { id: 'forgets', code: PY_NO_REPEATS },
      ],
      settings: resolveSettings({ levels: [0, 1] }),
    }),
  );
  assert.equal(report.mode, 'evaluate');
  assert.equal(report.status, 'improved', report.summary);
  assert.equal(report.winner?.id, 'set');
  const forgets = report.candidates.find((c) => c.id === 'forgets')!;
  assert.equal(forgets.status, 'wrong');
  assert.match(forgets.reason, /self\.repeats: value — expected 2, got 0 \(case L0\/g0\/1\)/);
  assert.equal(report.tests.assertions, 1);
});

test('a method the parser takes for an instance method but Python runs as a static one is run as it runs, with a note', async () => {
  const source = 'sm = staticmethod\n\n\nclass Util:\n    @sm\n    def total(xs):\n        t = 0\n        for x in xs:\n            t += x\n        return t\n';
  const tests = parseSuppliedTests(JSON.stringify({ inputs: { '0': [[[1, 2, 3]], [[]]], '1': ['(list(range(2000)),)'] } }), 'python');
  const report = await optimize(
    options('python', {
      source,
      functionName: 'Util.total',
      model: undefined,
      tests,
      candidates: [{ id: 'sum', code: '@sm\ndef total(xs):\n    return sum(xs)' }],
      settings: resolveSettings({ levels: [0, 1] }),
    }),
  );
  assert.equal(report.candidates.find((c) => c.id === 'sum')?.verification?.status, 'verified');
  assert.ok(
    report.notes.some((n) => n.includes('Util.total looked like an instance method in its source but runs as a static or class method')),
    JSON.stringify(report.notes),
  );
});
