import assert from 'node:assert/strict';
import { it } from 'node:test';
import { candidateLabel, candidateName, levelName, withInputSizes } from '../../../src/core/pipeline/labels';

const label = (explanation: string | undefined, id = 'c3'): string => candidateLabel({ id, explanation });

it('names a candidate by what changed, from the first clause of its explanation', () => {
  assert.equal(label('Use a hash set instead of a linear search:\n\nMembership tests become O(1).'), 'hash set');
  assert.equal(label('I replaced the nested loop with a Set lookup.'), 'Set lookup');
  assert.equal(label('This version uses a dictionary to count.'), 'dictionary');
  assert.equal(label('Uses **binary search** on the sorted array.'), 'binary search');
  assert.equal(label('Precompute prefix sums so each query is O(1).'), 'precompute prefix sums');
  assert.equal(label('The extra parameter lets callers share the set.'), 'extra parameter');
  assert.equal(label('Switched to `str.join` for string building'), 'str.join');
});

it('keeps a label to at most four words and 32 characters', () => {
  const l = label('Memoize every single recursive call of the helper in a cache');
  assert.ok(l.split(' ').length <= 4, l);
  assert.ok(l.length <= 32, l);
  assert.ok(label('Supercalifragilisticexpialidociousandevenlongerwordsthanthat').length <= 32);
});

it('falls back to the id when the explanation names no change', () => {
  assert.equal(label(undefined), 'c3');
  assert.equal(label(''), 'c3');
  assert.equal(label('Same idea, O(n).'), 'c3');
  assert.equal(label('This function is already as fast as it can be; I would keep it as it is.'), 'c3');
  assert.equal(label('...'), 'c3');
});

it('candidateName puts the id beside the label, or gives the id alone', () => {
  assert.equal(candidateName({ id: 'c1', explanation: 'Use a Set.' }), 'Set (c1)');
  assert.equal(candidateName({ id: 'seen-set' }), 'seen-set');
});

it('names levels by their input size when the report has the sizes, and says reasons the same way', () => {
  const original = [1, 2].map((level) => ({ level, worstSeconds: 0.1 }));
  const bare = { benchmark: { levels: [0, 1, 2], repeats: 5, noiseFloor: 0.05, alpha: 2, hardness: [0, 3, 4], original, cutoffSeconds: 1, measureSeconds: 1 } };
  const sized = { benchmark: { ...bare.benchmark, inputSizes: [{ n: 200, text: 'n = 200' }, null] } };
  assert.equal(levelName(bare, 1), 'level 1');
  assert.equal(levelName(sized, 1), 'n = 200');
  assert.equal(levelName(sized, 2), 'level 2', 'an unknown size keeps the number');
  assert.equal(
    withInputSizes(sized, 'significantly slower on level 1 (0.66×); level 2 too; sublevel 1 stays'),
    'significantly slower on n = 200 (0.66×); level 2 too; sublevel 1 stays',
  );
  assert.equal(withInputSizes(bare, 'slower on level 1'), 'slower on level 1');
});
