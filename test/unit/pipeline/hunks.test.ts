// The hunks of a proposal and the text with only some of them taken (issue 13 item 12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyHunks, proposalHunks } from '../../../src/core/pipeline/hunks';
import { minimalEdit, applyEdits } from '../../../src/core/pipeline/proposal';

const BASE = 'function f(xs, ys) {\n  let n = 0;\n  for (const x of xs) {\n    if (ys.includes(x)) n++;\n  }\n  return n;\n}\n';
const NEW = 'function f(xs, ys) {\n  const set = new Set(ys);\n  let n = 0;\n  for (const x of xs) if (set.has(x)) n++;\n  return n;\n}\n';

test('hunks are the separate changed regions, with base lines', () => {
  const hunks = proposalHunks(BASE, NEW);
  assert.equal(hunks.length, 2);
  assert.deepEqual(hunks[0], { index: 0, baseLine: 2, removed: [], added: ['  const set = new Set(ys);'] });
  assert.deepEqual(hunks[1], {
    index: 1,
    baseLine: 3,
    removed: ['  for (const x of xs) {', '    if (ys.includes(x)) n++;', '  }'],
    added: ['  for (const x of xs) if (set.has(x)) n++;'],
  });
  assert.deepEqual(proposalHunks(BASE, BASE), []);
});

test('taking all hunks gives the proposal, none the base, one of them only that change', () => {
  assert.equal(applyHunks(BASE, NEW, [0, 1]), NEW);
  assert.equal(applyHunks(BASE, NEW, []), BASE);
  assert.equal(applyHunks(BASE, NEW, [0]), BASE.replace('  let n = 0;\n', '  const set = new Set(ys);\n  let n = 0;\n'));
  assert.equal(applyHunks(BASE, NEW, new Set([1])), 'function f(xs, ys) {\n  let n = 0;\n  for (const x of xs) if (set.has(x)) n++;\n  return n;\n}\n');
});

test('minimalEdit is the differing middle and never splits a surrogate pair', () => {
  const e = minimalEdit('abcXYZdef', 'abcQdef');
  assert.deepEqual(e, { startOffset: 3, endOffset: 6, text: 'Q' });
  const before = 'x\u{1F600}y';
  const after = 'x\u{1F601}y';
  const s = minimalEdit(before, after);
  assert.equal(applyEdits(before, [s]), after);
  assert.ok(s.startOffset === 1 && s.endOffset === 3, JSON.stringify(s));
  assert.deepEqual(minimalEdit('same', 'same'), { startOffset: 4, endOffset: 4, text: '' });
});
