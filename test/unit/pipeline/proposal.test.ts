import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseCandidateReply, targetFromContext, type AcceptedCandidate } from '../../../src/core/llm';
import { extractContext } from '../../../src/core/parse';
import { applyEdits, buildProposal, CandidateConflict, candidateModule, candidateParts, singleEdit, topLevelNames } from '../../../src/core/pipeline/proposal';

async function accepted(source: string, language: 'python' | 'javascript', name: string, reply: string) {
  const context = await extractContext(source, language, name);
  const parsed = await parseCandidateReply(reply, targetFromContext(context));
  assert.ok(parsed.ok, `candidate rejected: ${!parsed.ok && parsed.detail}`);
  return { context, candidate: parsed as AcceptedCandidate };
}

const PY = `"""Inventory helpers."""
import re

LIMIT = 10


class Stock:
    @staticmethod
    def unique(items):
        out = []
        for x in items:
            if x not in out:
                out.append(x)
        return out[:LIMIT]


def other():
    return 1
`;

test('applyEdits keeps the listed order at one offset and handles replacements', () => {
  const text = 'abcdef';
  assert.equal(
    applyEdits(text, [
      { startOffset: 2, endOffset: 2, text: 'X' },
      { startOffset: 2, endOffset: 4, text: 'Y' },
    ]),
    'abXYef',
  );
  assert.equal(
    applyEdits(text, [
      { startOffset: 0, endOffset: 1, text: '' },
      { startOffset: 5, endOffset: 6, text: 'F!' },
    ]),
    'bcdeF!',
  );
});

test('a Python static method with a new helper and a new import: module runs, file edit is clean', async () => {
  const reply =
    '```python\nfrom itertools import islice\n\ndef _first(it, n):\n    return list(islice(it, n))\n\nclass Stock:\n    @staticmethod\n    def unique(items):\n        return _first(dict.fromkeys(items), LIMIT)\n```\nUses dict ordering.';
  const { context, candidate } = await accepted(PY, 'python', 'Stock.unique', reply);
  const parts = await candidateParts(candidate, context, PY);
  assert.deepEqual(parts.newImports, ['from itertools import islice']);
  assert.equal(parts.newHelpers.length, 1);
  const module = candidateModule(context, parts);
  const run = (code: string) => execFileSync('python3', ['-c', `${code}\nprint(Stock.unique([3, 1, 3, 2, 1]))`], { encoding: 'utf8' }).trim();
  assert.equal(run(module), '[3, 1, 2]');

  const proposal = buildProposal('c1', context, PY, parts, true);
  assert.equal(run(proposal.newText), '[3, 1, 2]');
  // the import goes after the file's imports, the helper before the class, the method stays indented
  assert.match(proposal.newText, /^"""Inventory helpers\."""\nimport re\nfrom itertools import islice\n/);
  assert.match(
    proposal.newText,
    /def _first\(it, n\):\n {4}return list\(islice\(it, n\)\)\n\n\nclass Stock:|def _first\(it, n\):\n {4}return list\(islice\(it, n\)\)\n\nclass Stock:/,
  );
  assert.match(proposal.newText, /\n {4}@staticmethod\n {4}def unique\(items\):\n {8}return _first\(dict\.fromkeys\(items\), LIMIT\)\n/);
  assert.match(proposal.newText, /def other\(\):\n {4}return 1\n$/);
  // one edit covering the same change
  const one = singleEdit(PY, proposal);
  assert.equal(applyEdits(PY, [one]), proposal.newText);
});

test('a rewrite that needs a changed version of another function of the file is refused; unused extras are left out', async () => {
  const uses =
    'def other():\n    return 2\n\nclass Stock:\n    @staticmethod\n    def unique(items):\n        return list(dict.fromkeys(items))[:LIMIT * other()]\n';
  const a = await accepted(PY, 'python', 'Stock.unique', uses);
  await assert.rejects(candidateParts(a.candidate, a.context, PY), CandidateConflict);
  const ignores = uses.replace('LIMIT * other()', 'LIMIT');
  const b = await accepted(PY, 'python', 'Stock.unique', ignores);
  assert.deepEqual((await candidateParts(b.candidate, b.context, PY)).newHelpers, []);
});

test('CRLF files get CRLF edits; a helper copied back unchanged is not added twice', async () => {
  const js =
    'const LIMIT = 3;\r\nfunction take(xs) {\r\n  return xs.slice(0, LIMIT);\r\n}\r\nfunction dedupe(xs) {\r\n  const out = [];\r\n  for (const x of xs) if (!out.includes(x)) out.push(x);\r\n  return take(out);\r\n}\r\n';
  const reply = 'function take(xs) {\n  return xs.slice(0, LIMIT);\n}\n\nfunction dedupe(xs) {\n  return take([...new Set(xs)]);\n}\n';
  const { context, candidate } = await accepted(js, 'javascript', 'dedupe', reply);
  const parts = await candidateParts(candidate, context, js);
  assert.deepEqual(parts.newHelpers, []);
  const p = buildProposal('c1', context, js, parts, true);
  assert.ok(!/[^\r]\n/.test(p.newText), 'every newline is CRLF');
  assert.match(p.newText, /function dedupe\(xs\) \{\r\n {2}return take\(\[\.\.\.new Set\(xs\)\]\);\r\n\}/);
  assert.ok(topLevelNames(js, 'javascript').has('take'));
});

test('a rewrite that hoists a constant to module level brings the constant along', async () => {
  const reply =
    '```python\nBLOCKED = frozenset(range(LIMIT))\n\nclass Stock:\n    @staticmethod\n    def unique(items):\n        return [x for x in dict.fromkeys(items) if x not in BLOCKED][:LIMIT]\n```';
  const { context, candidate } = await accepted(PY, 'python', 'Stock.unique', reply);
  const parts = await candidateParts(candidate, context, PY);
  assert.deepEqual(parts.newHelpers, ['BLOCKED = frozenset(range(LIMIT))']);
  const run = (code: string) => execFileSync('python3', ['-c', `${code}\nprint(Stock.unique([30, 1, 30, 12, 1]))`], { encoding: 'utf8' }).trim();
  assert.equal(run(candidateModule(context, parts)), '[30, 12]');
  const proposal = buildProposal('c1', context, PY, parts, true);
  assert.equal(run(proposal.newText), '[30, 12]');
  assert.match(proposal.newText, /LIMIT = 10\n\n\nBLOCKED = frozenset\(range\(LIMIT\)\)\n\nclass Stock:/);
});
