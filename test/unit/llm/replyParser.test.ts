// Reply parsing for rewrites: real replies' shapes through real tree-sitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  markDuplicates,
  parseCandidateReply,
  type AcceptedCandidate,
  type CandidateParse,
  type OriginalFunction,
  type RejectedCandidate,
} from '../../../src/core/llm/replyParser';
import { compareSignatures, parseParam } from '../../../src/core/llm/signature';
import { extractCodeBlocks, stripThinking } from '../../../src/core/llm/codeBlocks';

const DEDUPE: OriginalFunction = {
  language: 'javascript',
  name: 'dedupe',
  params: ['xs'],
  code: 'function dedupe(xs) {\n  const out = [];\n  for (const x of xs) if (!out.includes(x)) out.push(x);\n  return out;\n}',
};
const FAST = 'function dedupe(xs) {\n  return [...new Set(xs)];\n}';

function accepted(p: CandidateParse): AcceptedCandidate {
  assert.ok(p.ok, `rejected: ${(p as RejectedCandidate).reason} — ${(p as RejectedCandidate).detail}`);
  return p;
}
function rejected(p: CandidateParse, reason: RejectedCandidate['reason']): RejectedCandidate {
  assert.ok(!p.ok, 'expected a rejection');
  assert.equal(p.reason, reason, p.detail);
  return p;
}

test('one block with prose around it: code, target, explanation', async () => {
  const c = accepted(
    await parseCandidateReply(`Here is a faster version:\n\n\`\`\`javascript\n${FAST}\n\`\`\`\n\nA Set removes duplicates in O(n) instead of O(n²).`, DEDUPE),
  );
  assert.equal(c.code, FAST);
  assert.equal(c.functionCode, FAST);
  assert.equal(c.target.name, 'dedupe');
  assert.equal(c.explanation, 'A Set removes duplicates in O(n) instead of O(n²).');
  assert.deepEqual(c.helpers, []);
  assert.deepEqual(c.notes, []);
});

test('several blocks: the last one defining the function wins; usage examples are ignored', async () => {
  const reply = `Original:\n\`\`\`js\n${DEDUPE.code}\n\`\`\`\nOptimised:\n\`\`\`js\n${FAST}\n\`\`\`\nUsage:\n\`\`\`js\nconsole.log(dedupe([1, 1, 2]));\n\`\`\``;
  const c = accepted(await parseCandidateReply(reply, DEDUPE));
  assert.equal(c.code, FAST);
  assert.match(c.notes.join('\n'), /2 code blocks define `dedupe`; the last one was used/);
});

test('missing fence, wrong language tag, tilde fences, <think> sections', async () => {
  const bare = accepted(await parseCandidateReply(`Sure! Here it is.\n${FAST}\nThis uses a Set.`, DEDUPE));
  assert.equal(bare.code, FAST);
  assert.match(bare.notes[0], /no code fence/);
  const wrongTag = accepted(await parseCandidateReply('```python\n' + FAST + '\n```', DEDUPE));
  assert.match(wrongTag.notes.join(), /tagged `python` but parses as javascript/);
  const tilde = accepted(await parseCandidateReply('~~~~\n' + FAST + '\n~~~~', DEDUPE));
  assert.equal(tilde.code, FAST);
  const thinking = accepted(await parseCandidateReply('<think>Maybe ```js\nfunction dedupe(a, b) {}\n``` no…</think>\n```js\n' + FAST + '\n```', DEDUPE));
  assert.equal(thinking.code, FAST);
  assert.equal(stripThinking('reasoning without an opening tag</think>answer'), 'answer');
});

test('helpers and imports stay in the code; the target is located by name', async () => {
  const code =
    "import { strict } from 'node:assert';\n\nfunction key(x) {\n  return typeof x + ':' + String(x);\n}\n\nfunction dedupe(xs) {\n  const seen = new Set();\n  return xs.filter((x) => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));\n}";
  const c = accepted(await parseCandidateReply('```js\n' + code + '\n```', DEDUPE));
  assert.equal(c.code, code);
  assert.ok(c.functionCode.startsWith('function dedupe(xs)'));
  assert.equal(code.slice(c.target.startOffset, c.target.endOffset), c.functionCode);
  assert.deepEqual(
    c.helpers.map((h) => h.name),
    ['key'],
  );
  assert.deepEqual(c.imports, ["import { strict } from 'node:assert';"]);
});

test('a helper in its own block is merged in front of the function', async () => {
  const reply =
    'First a helper:\n```js\nfunction uniqueSorted(a) { return a; }\n```\nThen:\n```js\nfunction dedupe(xs) { return uniqueSorted([...new Set(xs)]); }\n```';
  const c = accepted(await parseCandidateReply(reply, DEDUPE));
  assert.match(c.code, /^function uniqueSorted[\s\S]*function dedupe/);
  assert.deepEqual(
    c.helpers.map((h) => h.name),
    ['uniqueSorted'],
  );
  assert.match(c.notes.join(), /merged/);
});

test('signature changes are rejected with the reason', async () => {
  const cases: Array<[string, RegExp]> = [
    ['function dedupe(items) { return [...new Set(items)]; }', /parameter 1 \(`xs`\) was renamed to `items`/],
    ['function dedupe(xs, seen = new Set()) { return [...new Set(xs)]; }', /2 parameters .* instead of 1/],
    ['function dedupe(...xs) { return [...new Set(xs)]; }', /rest marker/],
    ['async function dedupe(xs) { return [...new Set(xs)]; }', /became async/],
    ['function* dedupe(xs) { yield* new Set(xs); }', /became a generator/],
  ];
  for (const [code, why] of cases) {
    const r = rejected(await parseCandidateReply('```js\n' + code + '\n```', DEDUPE), 'signature-changed');
    assert.match(r.detail, why);
    assert.equal(r.code, code);
  }
});

test('defaults, optional markers and Python variadics are part of the signature; types are not', async () => {
  assert.deepEqual(parseParam('b = 1', 'javascript'), { rest: '', name: 'b', optional: false, defaultValue: '1', type: undefined });
  assert.deepEqual(parseParam('{ a, b: c } = {}', 'javascript'), { rest: '', name: '{a,b:c}', optional: false, defaultValue: '{}', type: undefined });
  assert.deepEqual(parseParam('cb: (x: number) => boolean = (x) => x > 0', 'typescript'), {
    rest: '',
    name: 'cb',
    optional: false,
    defaultValue: '(x)=>x>0',
    type: '(x:number)=>boolean',
  });
  assert.deepEqual(parseParam('x?: number', 'typescript'), { rest: '', name: 'x', optional: true, defaultValue: undefined, type: 'number' });
  assert.deepEqual(parseParam('**kw: Any', 'python'), { rest: '**', name: 'kw', optional: false, defaultValue: undefined, type: 'Any' });
  assert.equal(parseParam('*', 'python').name, '*');
  const lostDefault = compareSignatures({ params: ['a', 'b = 2'] }, { params: ['a', 'b'] }, 'javascript');
  assert.deepEqual(lostDefault.problems, ['parameter 2 (`b = 2`) lost its default value']);
  const newDefault = compareSignatures({ params: ['a', 'b=[]'] }, { params: ['a', 'b=None'] }, 'python');
  assert.match(newDefault.problems[0], /changed its default value to `None`/);
  const spacing = compareSignatures({ params: ['x: int=3', '*args'] }, { params: ['x : int = 3', '* args'] }, 'python');
  assert.equal(spacing.same, true);
  const typed = compareSignatures({ params: ['xs: number[]'] }, { params: ['xs: readonly number[]'] }, 'typescript');
  assert.equal(typed.same, true);
  assert.match(typed.notes[0], /type of parameter `xs` changed/);
  const optional = compareSignatures({ params: ['x: number'] }, { params: ['x?: number'] }, 'typescript');
  assert.match(optional.problems[0], /became optional/);
});

test('TypeScript: a changed annotation is a note, the candidate is accepted', async () => {
  const original: OriginalFunction = {
    language: 'typescript',
    name: 'sum',
    params: ['xs: number[]'],
    code: 'function sum(xs: number[]): number { let s = 0; for (const x of xs) s += x; return s; }',
  };
  const c = accepted(
    await parseCandidateReply(
      '```ts\nfunction sum(xs: readonly number[]): number {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i];\n  return s;\n}\n```',
      original,
    ),
  );
  assert.match(c.notes.join(), /type of parameter `xs` changed/);
});

test('syntax errors, truncation, empty replies, prose only and a missing function are rejected', async () => {
  const syntax = rejected(await parseCandidateReply('```js\nfunction dedupe(xs) { return [...new Set(xs) }\n```', DEDUPE), 'syntax-error');
  assert.match(syntax.detail, /does not parse as javascript: line 1/);
  const ts = rejected(await parseCandidateReply('```js\nfunction dedupe(xs: number[]): number[] { return xs; }\n```', DEDUPE), 'syntax-error');
  assert.match(ts.detail, /looks like TypeScript/);
  rejected(await parseCandidateReply('```js\nfunction dedupe(xs) {\n  const seen = new Set();\n  for (const x of', DEDUPE), 'truncated');
  rejected(await parseCandidateReply({ text: 'function dedupe(xs) {\n  const seen = new', finishReason: 'length' }, DEDUPE), 'truncated');
  rejected(await parseCandidateReply('   ', DEDUPE), 'empty');
  rejected(await parseCandidateReply('<think>long thoughts that never end', DEDUPE), 'empty');
  rejected(await parseCandidateReply({ text: '', finishReason: 'filtered' }, DEDUPE), 'filtered');
  rejected(await parseCandidateReply('The function is already optimal; I would not change it.', DEDUPE), 'no-code');
  const missing = rejected(await parseCandidateReply('```js\nfunction dedupeFast(xs) { return [...new Set(xs)]; }\n```', DEDUPE), 'function-missing');
  assert.match(missing.detail, /defines `dedupeFast` but no function named `dedupe`/);
});

test('the original again (reformatted, comments) is rejected as unchanged', async () => {
  const same =
    '```js\n// dedupe keeps first occurrences\nfunction dedupe(xs) {\n    const out = [] // result\n    for (const x of xs)\n        if (!out.includes(x)) out.push(x);\n    return out\n}\n```';
  rejected(await parseCandidateReply(same, DEDUPE), 'unchanged');
});

test('duplicates up to formatting and comments are marked, the first is kept', async () => {
  const a = await parseCandidateReply('```js\n' + FAST + '\n```', DEDUPE);
  const b = await parseCandidateReply('```js\nfunction dedupe(xs){ // same\n return [...new Set(xs)] }\n```', DEDUPE);
  const c = await parseCandidateReply('```js\nfunction dedupe(xs) { return Array.from(new Set(xs)); }\n```', DEDUPE);
  const marked = markDuplicates([a, b, c]);
  assert.ok(marked[0].ok && marked[2].ok);
  assert.equal(rejected(marked[1], 'duplicate').detail, 'Same code as candidate 1 (up to formatting and comments).');
});

test('methods: a bare method, a whole class, a Python method with self', async () => {
  const method: OriginalFunction = { language: 'javascript', name: 'total', qualifiedName: 'Cart.total', kind: 'method', params: [] };
  const bare = accepted(await parseCandidateReply('```js\ntotal() {\n  let s = 0;\n  for (const i of this.items) s += i.price;\n  return s;\n}\n```', method));
  assert.ok(bare.functionCode.startsWith('total() {'));
  assert.equal(bare.code.slice(bare.target.startOffset, bare.target.endOffset), bare.functionCode);
  assert.equal(bare.target.startLine, 1);
  const whole = accepted(await parseCandidateReply('```js\nclass Cart {\n  total() { return this.items.reduce((s, i) => s + i.price, 0); }\n}\n```', method));
  assert.equal(whole.target.qualifiedName, 'Cart.total');
  assert.ok(whole.functionCode.startsWith('total()'));
  const py: OriginalFunction = { language: 'python', name: 'total', qualifiedName: 'Cart.total', kind: 'method', params: ['self'] };
  const pyc = accepted(await parseCandidateReply('```python\ndef total(self):\n    return sum(i.price for i in self.items)\n```', py));
  assert.equal(pyc.functionCode, 'def total(self):\n    return sum(i.price for i in self.items)');
});

test('arrow functions: kept as arrows, or accepted with a note when turned into a declaration', async () => {
  const arrow: OriginalFunction = { language: 'typescript', name: 'uniq', kind: 'arrow', params: ['xs: number[]'] };
  const same = accepted(await parseCandidateReply('```ts\nconst uniq = (xs: number[]): number[] => [...new Set(xs)];\n```', arrow));
  assert.deepEqual(same.notes, []);
  const decl = accepted(await parseCandidateReply('```ts\nfunction uniq(xs: number[]): number[] { return [...new Set(xs)]; }\n```', arrow));
  assert.match(decl.notes.join(), /was an arrow function and is now a function/);
});

test('code blocks: fence lengths, indented fences, unclosed last block', () => {
  const blocks = extractCodeBlocks('text\n  ```js\n  let a = 1;\n  ```\n````md\n```js\ninner\n```\n````\n```py\nx = 1');
  assert.deepEqual(
    blocks.map((b) => [b.tag, b.code, b.closed]),
    [
      ['js', 'let a = 1;', true],
      ['md', '```js\ninner\n```', true],
      ['py', 'x = 1', false],
    ],
  );
});

test('targetFromContext: the function text, its signature and its context for the prompt', async () => {
  const { extractContext } = await import('../../../src/core/parse');
  const { targetFromContext } = await import('../../../src/core/llm/requestCandidates');
  const { optimizePrompt } = await import('../../../src/core/llm/prompts');
  const source =
    "import { strict } from 'node:assert';\nconst LIMIT = 10;\nfunction norm(x) { return Math.min(x, LIMIT); }\nexport function total(xs, scale = 1) {\n  let s = 0;\n  for (const x of xs) s += norm(x) * scale;\n  return s;\n}\n";
  const target = targetFromContext(await extractContext(source, 'javascript', 'total'), 'src/total.js');
  assert.equal(target.name, 'total');
  assert.deepEqual(target.params, ['xs', 'scale = 1']);
  assert.ok(target.code.startsWith('function total(xs, scale = 1)') || target.code.startsWith('export function total'));
  assert.match(target.context ?? '', /const LIMIT = 10;[\s\S]*function norm/);
  const [, user] = optimizePrompt(target);
  assert.match(user.content, /The JavaScript function `total` from `src\/total\.js`/);
  assert.match(user.content, /Context it uses[\s\S]*function norm/);
});

test('an unfenced Python reply keeps the module-level statements before its first def (issue 13)', async () => {
  const { extractContext } = await import('../../../src/core/parse');
  const { targetFromContext } = await import('../../../src/core/llm/requestCandidates');
  const { candidateModule, candidateParts } = await import('../../../src/core/pipeline/proposal');
  const { execFileSync } = await import('node:child_process');
  const source = 'def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total\n';
  const target = targetFromContext(await extractContext(source, 'python', 'f'));
  // At the start of the reply (a candidate file), and after a header comment.
  for (const reply of [
    'ZERO = 0\n\ndef f(xs):\n    return sum(xs, ZERO)\n',
    '# faster: the builtin sum\nZERO: int = 0\nSTART, STEP = 0, 1\ndef f(xs):\n    return sum(xs, ZERO)\n',
  ]) {
    const c = accepted(await parseCandidateReply(reply, target));
    assert.match(c.notes.join(), /no code fence/);
    assert.ok(c.code.startsWith(reply.split('\n')[0]), c.code);
    // The module the sandbox runs defines ZERO before f uses it (it raised NameError before).
    const module = candidateModule(await extractContext(source, 'python', 'f'), await candidateParts(c, await extractContext(source, 'python', 'f'), source));
    assert.match(module, /^ZERO(: int)? = 0$/m);
    assert.equal(execFileSync('python3', ['-c', `${module}\nprint(f([1, 2, 3]))`], { encoding: 'utf8' }).trim(), '6');
  }
  // Prose before the header comment stays prose; a header comment starts the code.
  const after = accepted(await parseCandidateReply('Here is a faster version.\n# constants\nZERO = 0\ndef f(xs):\n    return sum(xs, ZERO)\n', target));
  assert.ok(after.code.startsWith('# constants\nZERO = 0\n'), after.code);
  // JavaScript: a `const` line always started the code; a plain `NAME = …` at the start does too.
  const js: OriginalFunction = { language: 'javascript', name: 'f', params: ['xs'] };
  const jsc = accepted(await parseCandidateReply('ZERO = 0;\nfunction f(xs) {\n  return xs.reduce((a, b) => a + b, ZERO);\n}\n', js));
  assert.ok(jsc.code.startsWith('ZERO = 0;\nfunction f'), jsc.code);
});

test('a property getter: its prompts say so (no arguments, state only), and a rewrite must stay a getter', async () => {
  const { extractContext } = await import('../../../src/core/parse');
  const { targetFromContext } = await import('../../../src/core/llm/requestCandidates');
  const { optimizePrompt, testsPrompt } = await import('../../../src/core/llm/prompts');
  const source =
    'class Cart {\n  constructor(items) {\n    this.items = items;\n  }\n\n  get uniqueCount() {\n    const seen = [];\n    for (const x of this.items) if (!seen.includes(x)) seen.push(x);\n    return seen.length;\n  }\n}\n';
  const target = targetFromContext(await extractContext(source, 'javascript', 'Cart.uniqueCount'));
  assert.equal(target.kind, 'getter');
  assert.equal(target.instance?.receiver, 'this');
  const [system, user] = optimizePrompt(target);
  assert.match(user.content, /property getter `uniqueCount` \(`Cart\.uniqueCount`\)/);
  assert.match(system.content, /Return the complete getter `get uniqueCount\(\) \{ … \}`[^.]*; it stays a property getter/);
  const tests = testsPrompt(target)
    .map((m) => m.content)
    .join('\n');
  assert.match(tests, /is a property getter: it is read as `this\.uniqueCount` and takes no arguments/);
  assert.ok(
    accepted(await parseCandidateReply('```js\nget uniqueCount() {\n  return new Set(this.items).size;\n}\n```', target)).functionCode.startsWith(
      'get uniqueCount()',
    ),
  );
  assert.match(
    rejected(await parseCandidateReply('```js\nuniqueCount() {\n  return new Set(this.items).size;\n}\n```', target), 'signature-changed').detail,
    /is a property getter and must stay one: keep it `get uniqueCount\(\)`/,
  );
  const py = targetFromContext(
    await extractContext('class Cart:\n    @cached_property\n    def n(self):\n        return len(set(self.items))\n', 'python', 'Cart.n'),
  );
  assert.equal(py.instance?.receiver, 'self');
  assert.match(
    rejected(await parseCandidateReply('```python\n@property\ndef n(self):\n    return len(set(self.items))\n```', py), 'signature-changed').detail,
    /keep its `@cached_property` decorator \(the rewrite uses `@property`\)/,
  );
});
