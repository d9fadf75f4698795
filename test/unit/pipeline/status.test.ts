// The candidate status rule: what the run found out about a candidate decides its status and the
// reason shown, first thing first (rejected, not verified, not timed, integrity, winner, faster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseVerdict, CandidateTiming, OutcomeStatus } from '../../../src/core/exec/types';
import { candidateStatus, type StatusInput } from '../../../src/core/pipeline/candidateStatus';

const verdict = (outcome: OutcomeStatus, reason = 'returned 3, expected 4'): CaseVerdict => ({
  caseId: 'L0#2',
  status: 'fail',
  reason,
  outcome: { status: outcome, stdout: '', stdoutOverflow: false, seconds: 0.01, tampered: [] },
});

const timing = (estimate: number, accepted: boolean, extra: Partial<CandidateTiming['integrity']> = {}): StatusInput['timing'] => ({
  integrity: { checks: [], ...extra },
  overall: { estimate, low: estimate * 0.95, high: estimate * 1.05, accepted, minRule: { speedup: estimate, accepted } },
  accepted,
  reason: accepted ? 'accepted' : 'the interval 0.98×–1.03× does not clear 1.05×',
});

const base: StatusInput = { verification: { status: 'verified' }, timing: timing(2, true), benchmarked: true, isWinner: false, originalInTop: true };

test('a rejected candidate is rejected with its reason, whatever else is known', () => {
  assert.deepEqual(candidateStatus({ ...base, rejected: 'rejected: the rewrite renames the function', isWinner: true }), {
    status: 'rejected',
    reason: 'rejected: the rewrite renames the function',
  });
});

test('no verification: not run, the run stopped before it was verified', () => {
  assert.deepEqual(candidateStatus({ ...base, verification: undefined, timing: undefined }), {
    status: 'not-run',
    reason: 'the run stopped before it was verified',
  });
});

test('a wrong answer on a case is wrong, with the case named', () => {
  const r = candidateStatus({ ...base, verification: { status: 'failed', firstFailure: verdict('returned') }, timing: undefined });
  assert.deepEqual(r, { status: 'wrong', reason: 'returned 3, expected 4 (case L0#2)' });
  // A thrown exception or an exit is an answer (a different one), not a crash.
  assert.equal(candidateStatus({ ...base, verification: { status: 'failed', firstFailure: verdict('threw') } }).status, 'wrong');
  assert.equal(candidateStatus({ ...base, verification: { status: 'failed', firstFailure: verdict('exited') } }).status, 'wrong');
});

test('a timeout or a module that does not load is crashed', () => {
  assert.equal(candidateStatus({ ...base, verification: { status: 'failed', firstFailure: verdict('timeout', 'timed out after 2000 ms') } }).status, 'crashed');
  assert.deepEqual(candidateStatus({ ...base, verification: { status: 'load-error', loadError: 'SyntaxError: Unexpected token' } }), {
    status: 'crashed',
    reason: 'does not load: SyntaxError: Unexpected token',
  });
  assert.equal(candidateStatus({ ...base, verification: { status: 'unsupported' } }).status, 'crashed');
});

test('no case to compare on: wrong, saying so', () => {
  assert.deepEqual(candidateStatus({ ...base, verification: { status: 'no-cases' } }), { status: 'wrong', reason: 'no case could be compared' });
});

test('verified but not timed: not run, worded by whether the benchmark ran', () => {
  assert.deepEqual(candidateStatus({ ...base, timing: undefined }), { status: 'not-run', reason: 'not timed' });
  assert.deepEqual(candidateStatus({ ...base, timing: undefined, benchmarked: false }), {
    status: 'not-run',
    reason: 'verified; the run stopped before timing',
  });
});

test('an integrity failure decides before speed, even for the chosen id', () => {
  const failure = { id: 'results' as const, verdict: 'wrong' as const, reason: 'answered differently while timed' };
  assert.deepEqual(candidateStatus({ ...base, timing: timing(5, true, { failure }), isWinner: true }), {
    status: 'wrong',
    reason: 'answered differently while timed',
  });
  assert.equal(candidateStatus({ ...base, timing: timing(5, true, { failure: { ...failure, id: 'clock', verdict: 'rejected' } }) }).status, 'rejected');
});

test('the winner says which set it is best in, and a confirmation it needs', () => {
  assert.deepEqual(candidateStatus({ ...base, isWinner: true }), { status: 'winner', reason: "verified and 2.00× faster; best e_i among B4's selected set" });
  const disagree = candidateStatus({
    ...base,
    isWinner: true,
    originalInTop: false,
    timing: timing(40, true, { needsConfirmation: '40× is beyond plausible' }),
  });
  assert.equal(disagree.status, 'winner');
  assert.match(
    disagree.reason,
    /^verified and 40\.0× faster; best e_i among the rewrites equivalent to your code \(B4 sides with the tests\); needs your confirmation: 40× is beyond plausible$/,
  );
});

test('faster but not chosen: faster, naming B4 only when ranked below the top', () => {
  assert.deepEqual(candidateStatus({ ...base, b4Rank: 1 }), { status: 'faster', reason: 'verified and faster (2.00×), not chosen: lower e_i' });
  assert.deepEqual(candidateStatus({ ...base, b4Rank: 2 }), {
    status: 'faster',
    reason: 'verified and faster (2.00×), not chosen: lower e_i or outside B4’s winning set',
  });
});

test('verified and timed but not accepted by the rule: not faster, with the benchmark’s reason', () => {
  assert.deepEqual(candidateStatus({ ...base, timing: timing(1.01, false) }), {
    status: 'not-faster',
    reason: 'the interval 0.98×–1.03× does not clear 1.05×',
  });
});
