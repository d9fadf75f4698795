// The original's docstring and leading body comments survive a rewrite that drops them (issue 13
// item 3), and new helpers go above the comment block of the function they serve (item 14).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseCandidateReply, targetFromContext, type AcceptedCandidate } from '../../../src/core/llm';
import { optimizePrompt } from '../../../src/core/llm/prompts';
import { extractContext } from '../../../src/core/parse';
import { buildProposal, candidateModule, candidateParts, leadingCommentStart } from '../../../src/core/pipeline/proposal';
import { keepPreamble } from '../../../src/core/pipeline/preamble';

async function proposalFor(source: string, language: 'python' | 'javascript' | 'typescript', name: string, reply: string) {
  const context = await extractContext(source, language, name);
  const parsed = await parseCandidateReply(reply, targetFromContext(context));
  assert.ok(parsed.ok, `candidate rejected: ${!parsed.ok && parsed.detail}`);
  const parts = await candidateParts(parsed as AcceptedCandidate, context, source);
  return { context, parts, proposal: buildProposal('c1', context, source, parts, true) };
}

const PY = `class Stock:
    @staticmethod
    def unique(items):
        """Items without repeats, first occurrences first.

        Keeps the input order.
        """
        # linear scan: fine for short lists
        out = []
        for x in items:
            if x not in out:
                out.append(x)
        return out


def other():
    return 1
`;

test('a Python rewrite without docstring and comments gets the original ones, at its own indentation', async () => {
  const reply = '```python\nclass Stock:\n  @staticmethod\n  def unique(items):\n    return list(dict.fromkeys(items))\n```';
  const { context, parts, proposal } = await proposalFor(PY, 'python', 'Stock.unique', reply);
  const expected = [
    '    @staticmethod',
    '    def unique(items):',
    // The rewrite indents its body by two spaces: the docstring and comment follow it.
    '      """Items without repeats, first occurrences first.',
    '',
    '      Keeps the input order.',
    '      """',
    '      # linear scan: fine for short lists',
    '      return list(dict.fromkeys(items))',
  ].join('\n');
  assert.ok(proposal.newText.includes(expected), proposal.newText);
  const run = (code: string) =>
    execFileSync('python3', ['-c', `${code}\nprint(Stock.unique([3, 1, 3]))\nprint(Stock.unique.__doc__.splitlines()[0])`], { encoding: 'utf8' }).trim();
  assert.equal(run(proposal.newText), '[3, 1]\nItems without repeats, first occurrences first.');
  // The sandbox runs the same function text as Apply writes.
  assert.equal(run(candidateModule(context, parts)), '[3, 1]\nItems without repeats, first occurrences first.');
});

test("a rewrite's own docstring wins; the original's comments still come back when it has none", async () => {
  const reply =
    '```python\nclass Stock:\n    @staticmethod\n    def unique(items):\n        """Unique items (dict keeps order)."""\n        return list(dict.fromkeys(items))\n```';
  const { proposal } = await proposalFor(PY, 'python', 'Stock.unique', reply);
  assert.ok(
    proposal.newText.includes('"""Unique items (dict keeps order)."""\n        # linear scan: fine for short lists\n        return list('),
    proposal.newText,
  );
  assert.ok(!proposal.newText.includes('Keeps the input order'));
});

test('a rewrite with its own comment and docstring is left as it is', async () => {
  const reply =
    '```python\nclass Stock:\n    @staticmethod\n    def unique(items):\n        """Unique."""\n        # dict keeps insertion order\n        return list(dict.fromkeys(items))\n```';
  const { proposal } = await proposalFor(PY, 'python', 'Stock.unique', reply);
  assert.ok(!proposal.newText.includes('linear scan'));
  assert.ok(!proposal.newText.includes('Keeps the input order'));
});

test('a one-line Python body or an expression-bodied arrow is left alone', async () => {
  const original = { text: 'def f(xs):\n    """Doc."""\n    return xs', column: 0 };
  assert.equal(await keepPreamble(original, { text: 'def f(xs): return xs', column: 0 }, 'python'), undefined);
  const arrow = { text: 'const f = (xs) => {\n  // doc\n  return xs;\n}', column: 0 };
  assert.equal(await keepPreamble(arrow, { text: 'const f = (xs) => xs.slice()', column: 0 }, 'javascript'), undefined);
});

const JS = `const LIMIT = 3;

/**
 * Unique values, first occurrences first.
 * @param {number[]} xs
 */
// hot path
function dedupe(xs) {
  // keep order; quadratic but simple
  /* see issue 13 */
  const out = [];
  for (const x of xs) if (!out.includes(x)) out.push(x);
  return out.slice(0, LIMIT);
}
`;

test('JavaScript: leading body comments come back, and a new helper goes above the JSDoc', async () => {
  const reply =
    '```javascript\nfunction firstN(it, n) {\n  return [...it].slice(0, n);\n}\n\nfunction dedupe(xs) {\n  return firstN(new Set(xs), LIMIT);\n}\n```';
  const { proposal } = await proposalFor(JS, 'javascript', 'dedupe', reply);
  assert.ok(
    proposal.newText.includes(
      'const LIMIT = 3;\n\nfunction firstN(it, n) {\n  return [...it].slice(0, n);\n}\n\n/**\n * Unique values, first occurrences first.\n * @param {number[]} xs\n */\n// hot path\nfunction dedupe(xs) {\n  // keep order; quadratic but simple\n  /* see issue 13 */\n  return firstN(new Set(xs), LIMIT);\n}\n',
    ),
    proposal.newText,
  );
});

test('TypeScript methods keep their leading comments', async () => {
  const ts =
    'export class Bag {\n  items: number[] = [];\n  // Unique items.\n  unique(): number[] {\n    // order matters\n    const out: number[] = [];\n    for (const x of this.items) if (!out.includes(x)) out.push(x);\n    return out;\n  }\n}\n';
  const reply = '```typescript\nclass Bag {\n  unique(): number[] {\n    return [...new Set(this.items)];\n  }\n}\n```';
  const { proposal } = await proposalFor(ts, 'typescript', 'Bag.unique', reply);
  assert.ok(
    proposal.newText.includes('  // Unique items.\n  unique(): number[] {\n    // order matters\n    return [...new Set(this.items)];\n  }\n'),
    proposal.newText,
  );
});

test('leadingCommentStart: comment lines, block comments and decorators directly above, not across a blank line', () => {
  const js = 'x();\n\n// a\n/**\n * b\n */\nfunction f() {}\n';
  assert.equal(leadingCommentStart(js, js.indexOf('function'), 'javascript'), js.indexOf('// a'));
  const gap = 'x();\n// a\n\nfunction f() {}\n';
  assert.equal(leadingCommentStart(gap, gap.indexOf('function'), 'javascript'), gap.indexOf('function'));
  const code = 'y = 1; /* not attached */\nfunction f() {}\n';
  assert.equal(leadingCommentStart(code, code.indexOf('function'), 'javascript'), code.indexOf('function'));
  const py = 'import os\n\n# cache\n@decorate\ndef f():\n    pass\n';
  assert.equal(leadingCommentStart(py, py.indexOf('@decorate'), 'python'), py.indexOf('# cache'));
});

test('the optimisation prompt asks to keep the docstring and leading comments', () => {
  const py = optimizePrompt({ language: 'python', name: 'f', code: 'def f():\n    pass' })[0].content;
  assert.match(py, /Keep the original's docstring and the comments at the top of the function body/);
  const js = optimizePrompt({ language: 'javascript', name: 'f', code: 'function f() {}' })[0].content;
  assert.match(js, /Keep the original's comments at the top of the function body/);
});
