// Whether two call outcomes are equivalent (docs/SANDBOX.md): same kind of ending (returned, threw,
// exited), equal return value (with float tolerance), equal arguments after the call (mutation),
// same exception type, same printed output; and a readable account of the first differences.
import { compareValues, formatDifferences, DEFAULT_EQUIVALENCE, type Difference, type EquivalenceOptions } from './equivalence';
import type { Effects, ThrownInfo } from '../sandbox/protocol';
import { renderArgs, renderValue, type Flavour } from './valueText';
import type { CaseOutcome } from '../types';
import { isTagged, type EValue } from './values';

export interface OutcomeComparison {
  equal: boolean;
  /** One line: what differs first. */
  reason?: string;
  diffs: Difference[];
}

/** How an outcome reads in a report: `returned [1, 2]`, `threw TypeError: x is undefined`. */
export function describeOutcome(o: CaseOutcome, flavour: Flavour, maxChars = 200): string {
  switch (o.status) {
    case 'returned':
      return o.value === undefined ? 'returned' : `returned ${renderValue(o.value, { flavour, maxChars })}`;
    case 'threw':
      return `threw ${describeError(o.error)}`;
    case 'exited':
      return `exited with code ${o.exitCode ?? '?'}`;
    case 'timeout':
      return `timed out${o.detail ? ` (${o.detail})` : ''}`;
    case 'memory':
      return `ran out of memory${o.detail ? ` (${o.detail})` : o.error ? ` (${describeError(o.error)})` : ''}`;
    case 'output-limit':
      return `printed past the output limit${o.detail ? ` (${o.detail})` : ''}`;
    case 'crashed':
      return `crashed${o.detail ? ` (${o.detail})` : ''}`;
    case 'skipped':
      return `not run${o.detail ? ` (${o.detail})` : ''}`;
    case 'error':
      return `could not be run${o.detail ? ` (${o.detail})` : ''}`;
  }
}

function describeError(e: ThrownInfo | undefined): string {
  if (!e) return 'an exception';
  const msg = e.message.length > 160 ? e.message.slice(0, 159) + '…' : e.message;
  return msg ? `${e.type}: ${msg}` : e.type;
}

/** Arguments after the call: an opaque part on both sides (a callback argument) is not a difference. */
function argsComparable(e: EValue, a: EValue): boolean {
  return !(isTagged(e) && e.$ === 'opaque' && isTagged(a) && a.$ === 'opaque' && e.kind === a.kind);
}

/** Where argument i of a case is shown: `args[i]`, or for an instance method `this`/`self` for argument 0 and `args[i-1]` after it. */
function argumentPath(i: number, receiver?: 'this' | 'self'): string {
  if (!receiver) return `args[${i}]`;
  return i === 0 ? receiver : `args[${i - 1}]`;
}

/** `receiver` is set for an instance method: argument 0 is the instance, compared like any mutated argument. */
export function compareOutcomes(
  expected: CaseOutcome,
  actual: CaseOutcome,
  options: Partial<EquivalenceOptions> = {},
  flavour: Flavour = 'js',
  receiver?: 'this' | 'self',
): OutcomeComparison {
  const o = { ...DEFAULT_EQUIVALENCE, ...options };
  if (actual.tampered.length > 0) {
    const extra = actual.tampered.filter((t) => !expected.tampered.includes(t));
    if (extra.length > 0) return { equal: false, reason: `modified builtins: ${extra.slice(0, 5).join(', ')}`, diffs: [] };
  }
  if (actual.stdoutOverflow && !expected.stdoutOverflow) return { equal: false, reason: 'printed more than the stdout limit', diffs: [] };
  // The contract: a Promise/awaitable where the original returns a plain value (or the reverse) is a different function.
  if (!!expected.awaited !== !!actual.awaited && ['returned', 'threw'].includes(actual.status)) {
    return {
      equal: false,
      reason: actual.awaited
        ? 'changed contract: returns a Promise/awaitable where the original returns a plain value'
        : 'changed contract: returns a plain value where the original returns a Promise/awaitable',
      diffs: [],
    };
  }
  const effects = effectsDiffer(expected, actual);
  if (effects) return { equal: false, reason: effects, diffs: [] };
  const ends = ['returned', 'threw', 'exited'];
  if (expected.status !== actual.status || !ends.includes(actual.status)) {
    return {
      equal: false,
      reason: `expected it to have ${describeOutcome(expected, flavour, 120)}, but it ${describeOutcome(actual, flavour, 120)}`,
      diffs: [],
    };
  }
  const diffs: Difference[] = [];
  if (expected.status === 'threw') {
    const et = expected.error?.type ?? '?';
    const at = actual.error?.type ?? '?';
    if (et !== at) diffs.push({ path: 'exception', kind: 'type', expected: et, actual: at });
  } else if (expected.status === 'exited') {
    if (expected.exitCode !== actual.exitCode)
      diffs.push({ path: 'exit code', kind: 'value', expected: String(expected.exitCode), actual: String(actual.exitCode) });
  } else if (expected.value !== undefined && actual.value !== undefined) {
    diffs.push(...compareValues(expected.value, actual.value, o, flavour, 'return'));
  }
  if (o.compareArgs && expected.argsAfter && actual.argsAfter) {
    const n = Math.max(expected.argsAfter.length, actual.argsAfter.length);
    for (let i = 0; i < n && diffs.length < 8; i++) {
      const e = expected.argsAfter[i];
      const a = actual.argsAfter[i];
      const path = argumentPath(i, receiver);
      if (e === undefined || a === undefined) {
        diffs.push({ path, kind: e === undefined ? 'extra' : 'missing' });
        continue;
      }
      if (!argsComparable(e, a)) continue;
      const note = receiver && i === 0 ? `the instance's state after the call (${receiver} was changed differently)` : 'argument after the call (mutation)';
      for (const d of compareValues(e, a, o, flavour, path)) diffs.push({ ...d, note: d.note ?? note });
    }
  }
  if (o.compareStdout && expected.stdout !== actual.stdout) {
    const at = firstDifference(expected.stdout, actual.stdout);
    diffs.push({
      path: 'stdout',
      kind: 'value',
      expected: excerpt(expected.stdout, at),
      actual: excerpt(actual.stdout, at),
      note: `printed output differs at character ${at}`,
    });
  }
  if (diffs.length === 0) return { equal: true, diffs };
  const first = diffs[0];
  return {
    equal: false,
    reason: `${first.path}: ${first.kind}${first.expected !== undefined ? ` — expected ${first.expected}` : ''}${first.actual !== undefined ? `, got ${first.actual}` : ''}`,
    diffs,
  };
}

const EFFECT_WORDS: Record<keyof Effects, [string, string]> = {
  files: ['writes', 'writes no files'],
  network: ['attempts network access:', 'makes no network attempt'],
  processes: ['starts', 'starts no process'],
  secrets: ['reads the secret environment variable', 'reads no secret'],
  pending: ['works after returning:', 'leaves nothing running'],
};

/** Side effects are behaviour: anything the rewrite does that the original does not (SANDBOX.md). */
function effectsDiffer(expected: CaseOutcome, actual: CaseOutcome): string | undefined {
  const mine = actual.effects;
  if (!mine) return undefined;
  for (const kind of ['files', 'network', 'processes', 'secrets', 'pending'] as const) {
    const theirs = expected.effects?.[kind] ?? [];
    const extra = mine[kind].filter((e) => !theirs.includes(e));
    if (extra.length > 0) {
      const [verb, none] = EFFECT_WORDS[kind];
      return `${verb} ${extra.slice(0, 3).join(', ')}; the original ${theirs.length === 0 ? none : `only ${theirs.slice(0, 3).join(', ')}`}`;
    }
  }
  return undefined;
}

function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

function excerpt(s: string, at: number): string {
  const start = Math.max(0, at - 20);
  const piece = s.slice(start, at + 40);
  return JSON.stringify((start > 0 ? '…' : '') + piece + (at + 40 < s.length ? '…' : ''));
}

/** The readable diff for a failing case: input, expected, actual, differences. */
export function formatCaseDiff(
  caseId: string,
  args: EValue[] | undefined,
  expected: CaseOutcome,
  actual: CaseOutcome,
  cmp: OutcomeComparison,
  flavour: Flavour,
  receiver?: 'this' | 'self',
): string {
  const lines = [`case ${caseId}${args ? `: input ${renderArgs(args, { flavour, maxChars: 300 }, receiver)}` : ''}`];
  lines.push(`  expected: ${describeOutcome(expected, flavour, 300)}`);
  lines.push(`  actual:   ${describeOutcome(actual, flavour, 300)}`);
  if (cmp.diffs.length > 0) lines.push(formatDifferences(cmp.diffs));
  else if (cmp.reason) lines.push(`  ${cmp.reason}`);
  return lines.join('\n');
}
