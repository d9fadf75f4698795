// Re-anchoring a proposal onto a file that changed since the run (issue 13 item 5): it applies
// when only other code changed, moves its edits to the new offsets, and refuses with a reason
// when the function, a helper it uses, or the part of its class it uses changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseCandidateReply, targetFromContext, type AcceptedCandidate } from '../../../src/core/llm';
import { extractContext } from '../../../src/core/parse';
import { applyEdits, buildProposal, candidateParts, sha256 } from '../../../src/core/pipeline/proposal';
import { functionChange, reanchorProposal } from '../../../src/core/pipeline/reanchor';
import type { Proposal } from '../../../src/core/pipeline/report';

type Lang = 'python' | 'javascript';

async function propose(source: string, language: Lang, name: string, reply: string): Promise<Proposal> {
  const context = await extractContext(source, language, name);
  const parsed = await parseCandidateReply(reply, targetFromContext(context));
  assert.ok(parsed.ok, `candidate rejected: ${!parsed.ok && parsed.detail}`);
  return buildProposal('c1', context, source, await candidateParts(parsed as AcceptedCandidate, context, source), true);
}

const JS = `const { inspect } = require('node:util');

function norm(x) {
  return x;
}

/** Unique values. */
function dedupe(xs) {
  const out = [];
  for (const x of xs) if (!out.includes(norm(x))) out.push(norm(x));
  return out;
}

function count(xs, y) {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (xs.filter((v) => v === y).length > 0 && xs[i] === y) n++;
  return n;
}

module.exports = { dedupe, count, inspect };
`;

const dedupeReply = '```javascript\nfunction dedupe(xs) {\n  return [...new Set(xs.map(norm))];\n}\n```';
const countReply = '```javascript\nfunction count(xs, y) {\n  let n = 0;\n  for (const v of xs) if (v === y) n++;\n  return n;\n}\n```';
const run = (text: string, call: string) =>
  execFileSync(process.execPath, ['-e', `${text}\nconsole.log(JSON.stringify(${call}))`], { encoding: 'utf8' }).trim();

test('an edit to another function: the proposal applies at its new offsets', async () => {
  const p = await propose(JS, 'javascript', 'dedupe', dedupeReply);
  const current = JS.replace('let n = 0;', 'let n = 0; // counted\n  const unused = 1;').replace('const { inspect }', '// top\nconst { inspect }');
  const r = await reanchorProposal({ language: 'javascript', qualifiedName: 'dedupe', baseText: JS, currentText: current, proposal: p });
  assert.ok(r.ok, !r.ok ? r.reason : '');
  assert.equal(r.proposal.newText, current.replace(/function dedupe\(xs\) \{[\s\S]*?\n\}/, 'function dedupe(xs) {\n  return [...new Set(xs.map(norm))];\n}'));
  assert.equal(applyEdits(current, r.proposal.edits), r.proposal.newText);
  assert.equal(r.proposal.baseSha256, sha256(current));
  assert.ok(r.proposal.newText.includes('const unused = 1;'), 'the other edit is kept');
});

test('an edit inside the function, or to a helper it uses, refuses with the reason', async () => {
  const p = await propose(JS, 'javascript', 'dedupe', dedupeReply);
  const inside = await reanchorProposal({
    language: 'javascript',
    qualifiedName: 'dedupe',
    baseText: JS,
    currentText: JS.replace('return out;', 'return out.reverse();'),
    proposal: p,
  });
  assert.deepEqual(inside, { ok: false, reason: '`dedupe` itself changed' });
  const helper = await reanchorProposal({
    language: 'javascript',
    qualifiedName: 'dedupe',
    baseText: JS,
    currentText: JS.replace('return x;', 'return String(x);'),
    proposal: p,
  });
  assert.deepEqual(helper, { ok: false, reason: '`norm`, which it uses, changed' });
  const gone = await reanchorProposal({
    language: 'javascript',
    qualifiedName: 'dedupe',
    baseText: JS,
    currentText: JS.replace(/\/\*\* Unique[\s\S]*?\n\}\n/, ''),
    proposal: p,
  });
  assert.deepEqual(gone, { ok: false, reason: '`dedupe` is no longer in the file' });
  // The same facts without a proposal (a result's staleness).
  assert.equal(await functionChange('javascript', 'count', JS, JS.replace('return x;', 'return String(x);')), undefined);
  assert.equal(await functionChange('javascript', 'dedupe', JS, JS.replace('return x;', 'return String(x);')), '`norm`, which it uses, changed');
});

test('two proposals in one file apply one after the other, and the result runs', async () => {
  const a = await propose(JS, 'javascript', 'dedupe', dedupeReply);
  const b = await propose(JS, 'javascript', 'count', countReply);
  const afterA = a.newText;
  const r = await reanchorProposal({ language: 'javascript', qualifiedName: 'count', baseText: JS, currentText: afterA, proposal: b });
  assert.ok(r.ok, !r.ok ? r.reason : '');
  assert.ok(r.proposal.newText.includes('return [...new Set(xs.map(norm))];'));
  assert.ok(r.proposal.newText.includes('for (const v of xs) if (v === y) n++;'));
  assert.equal(run(r.proposal.newText, '[module.exports.dedupe([3, 1, 3]), module.exports.count([1, 2, 1], 1)]'), '[[3,1],2]');
  // And the first one cannot be applied twice: its own function changed.
  const again = await reanchorProposal({ language: 'javascript', qualifiedName: 'dedupe', baseText: JS, currentText: r.proposal.newText, proposal: a });
  assert.deepEqual(again, { ok: false, reason: '`dedupe` itself changed' });
});

test('added helpers and imports are placed again, and not added twice', async () => {
  const py =
    'import os\n\n\n# Counts things.\ndef tally(xs):\n    n = {}\n    for x in xs:\n        n[x] = xs.count(x)\n    return n\n\n\ndef other(xs):\n    return sorted(xs)\n';
  const reply = '```python\nfrom collections import Counter\n\ndef _as_dict(c):\n    return dict(c)\n\ndef tally(xs):\n    return _as_dict(Counter(xs))\n```';
  const p = await propose(py, 'python', 'tally', reply);
  assert.equal(p.edits.length, 3, 'an import, a helper, the function');
  const current = '"""Module."""\n' + py.replace('return sorted(xs)', 'return sorted(xs, reverse=True)');
  const r = await reanchorProposal({ language: 'python', qualifiedName: 'tally', baseText: py, currentText: current, proposal: p });
  assert.ok(r.ok, !r.ok ? r.reason : '');
  assert.match(r.proposal.newText, /^"""Module\."""\nimport os\nfrom collections import Counter\n/);
  assert.match(r.proposal.newText, /def _as_dict\(c\):\n {4}return dict\(c\)\n\n# Counts things\.\ndef tally\(xs\):\n {4}return _as_dict\(Counter\(xs\)\)\n/);
  const py3 = (text: string) => execFileSync('python3', ['-c', `${text}\nprint(tally([1, 1, 2]), other([1, 2]))`], { encoding: 'utf8' }).trim();
  assert.equal(py3(r.proposal.newText), '{1: 2, 2: 1} [2, 1]');
  // The user added the same import and helper meanwhile: nothing is duplicated.
  const withBoth = current
    .replace('import os\n', 'import os\nfrom collections import Counter\n')
    .replace('# Counts things.', 'def _as_dict(c):\n    return dict(c)\n\n# Counts things.');
  const r2 = await reanchorProposal({ language: 'python', qualifiedName: 'tally', baseText: py, currentText: withBoth, proposal: p });
  assert.ok(r2.ok, !r2.ok ? r2.reason : '');
  assert.equal(r2.proposal.edits.length, 1);
  assert.equal(py3(r2.proposal.newText), '{1: 2, 2: 1} [2, 1]');
  // A different helper of the same name is a clash.
  const clash = current.replace('# Counts things.', 'def _as_dict(c):\n    return list(c)\n\n# Counts things.');
  const r3 = await reanchorProposal({ language: 'python', qualifiedName: 'tally', baseText: py, currentText: clash, proposal: p });
  assert.deepEqual(r3, { ok: false, reason: '`_as_dict`, which the rewrite adds, is now defined in the file' });
});

const CLS = `class Bag {
  constructor() { this.items = []; }
  unique() {
    const out = [];
    for (const x of this.items) if (!out.includes(x)) out.push(x);
    return out;
  }
  size() {
    let n = 0;
    for (const _ of this.items) n++;
    return n;
  }
  distinct() {
    return this.unique().length;
  }
}
`;

test('methods of one class: an unrelated sibling may change, one the method calls may not', async () => {
  const unique = await propose(CLS, 'javascript', 'Bag.unique', '```javascript\nclass Bag {\n  unique() {\n    return [...new Set(this.items)];\n  }\n}\n```');
  const size = await propose(CLS, 'javascript', 'Bag.size', '```javascript\nclass Bag {\n  size() {\n    return this.items.length;\n  }\n}\n```');
  const distinct = await propose(
    CLS,
    'javascript',
    'Bag.distinct',
    '```javascript\nclass Bag {\n  distinct() {\n    return new Set(this.items).size;\n  }\n}\n```',
  );
  const r = await reanchorProposal({ language: 'javascript', qualifiedName: 'Bag.size', baseText: CLS, currentText: unique.newText, proposal: size });
  assert.ok(r.ok, !r.ok ? r.reason : '');
  assert.ok(r.proposal.newText.includes('return [...new Set(this.items)];') && r.proposal.newText.includes('return this.items.length;'));
  const refused = await reanchorProposal({
    language: 'javascript',
    qualifiedName: 'Bag.distinct',
    baseText: CLS,
    currentText: unique.newText,
    proposal: distinct,
  });
  assert.deepEqual(refused, { ok: false, reason: '`Bag`, which holds `Bag.distinct`, changed' });
});
