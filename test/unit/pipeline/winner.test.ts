// The winner rule: among rewrites accepted as faster, unflagged first, then best e_i, then the
// speedup; restricted to B4's set when it holds the original, tests-disagree when it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickWinner, type WinnerInput } from '../../../src/core/pipeline/winner';

type Timing = WinnerInput['timings'][number];
const timed = (id: string, estimate: number, accepted = true, needsConfirmation?: string): Timing => ({
  id,
  accepted,
  integrity: { checks: [], ...(needsConfirmation ? { needsConfirmation } : {}) },
  overall: { estimate, low: estimate * 0.9, high: estimate * 1.1, accepted, minRule: { speedup: estimate, accepted } },
});
const scores = (entries: Record<string, number>) => new Map(Object.entries(entries).map(([id, score]) => [id, { score }]));
const top = (...ids: string[]) => new Set(['original', ...ids]);

test('the best e_i wins among accepted rewrites in B4’s set', () => {
  const r = pickWinner({
    top: top('c1', 'c2', 'c3'),
    timings: [timed('c1', 2), timed('c2', 1.5), timed('c3', 3, false)],
    scores: scores({ c1: 0.4, c2: 0.6, c3: 0.9 }),
  });
  assert.deepEqual(r, { status: 'improved', winner: 'c2' });
});

test('nothing accepted: no improvement and no winner', () => {
  assert.deepEqual(pickWinner({ top: top('c1'), timings: [timed('c1', 1.01, false)], scores: scores({ c1: 0.5 }) }), { status: 'no-improvement' });
  assert.deepEqual(pickWinner({ top: top(), timings: [], scores: new Map() }), { status: 'no-improvement' });
});

test('a rewrite outside B4’s set cannot win while the set holds the original', () => {
  const r = pickWinner({ top: top('c2'), timings: [timed('c1', 5), timed('c2', 1.2)], scores: scores({ c1: 0.9, c2: 0.2 }) });
  assert.deepEqual(r, { status: 'improved', winner: 'c2' });
  assert.deepEqual(pickWinner({ top: top(), timings: [timed('c1', 5)], scores: scores({ c1: 0.9 }) }), { status: 'no-improvement' });
});

test('a flagged rewrite (needs confirmation) loses to an unflagged one with a lower e_i, and wins alone', () => {
  const flagged = timed('c1', 80, true, '80× is beyond plausible');
  assert.deepEqual(pickWinner({ top: top('c1', 'c2'), timings: [flagged, timed('c2', 1.3)], scores: scores({ c1: 0.99, c2: 0.1 }) }), {
    status: 'improved',
    winner: 'c2',
  });
  assert.deepEqual(pickWinner({ top: top('c1', 'c2'), timings: [flagged, timed('c2', 1.3, false)], scores: scores({ c1: 0.99, c2: 0.1 }) }), {
    status: 'improved',
    winner: 'c1',
  });
});

test('equal e_i: the higher speedup wins; equal both: the first timed', () => {
  assert.equal(pickWinner({ top: top('c1', 'c2'), timings: [timed('c1', 1.5), timed('c2', 2.5)], scores: scores({ c1: 0.5, c2: 0.5 }) }).winner, 'c2');
  assert.equal(pickWinner({ top: top('c1', 'c2'), timings: [timed('c1', 2), timed('c2', 2)], scores: scores({ c1: 0.5, c2: 0.5 }) }).winner, 'c1');
});

test('B4 sides with the tests (original not in its set): tests-disagree, the best accepted rewrite of any set as a suggestion', () => {
  const r = pickWinner({ top: new Set(['c2']), timings: [timed('c1', 2), timed('c2', 3)], scores: scores({ c1: 0.7, c2: 0.3 }) });
  assert.deepEqual(r, { status: 'tests-disagree', winner: 'c1' });
  assert.deepEqual(pickWinner({ top: new Set(['c2']), timings: [timed('c1', 1, false)], scores: scores({ c1: 0 }) }), {
    status: 'tests-disagree',
    winner: undefined,
  });
});

test('the input timings are not reordered', () => {
  const timings = [timed('c1', 1.2), timed('c2', 3)];
  pickWinner({ top: top('c1', 'c2'), timings, scores: scores({ c1: 0.1, c2: 0.9 }) });
  assert.deepEqual(
    timings.map((t) => t.id),
    ['c1', 'c2'],
  );
});
