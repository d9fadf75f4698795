// The hunks of a proposal (line changes between the file and the proposed file) and the text
// with only some of them taken. Taking part of a verified rewrite makes different code, so the
// caller re-verifies the result like any edited proposal before it is applied.
import { diffLines } from 'diff';

export interface Hunk {
  /** 0-based index among the proposal's hunks. */
  index: number;
  /** 1-based line in the base text where the hunk starts (for a pure insertion: the line it goes before). */
  baseLine: number;
  removed: string[];
  added: string[];
}

interface Part {
  value: string;
  added: boolean;
  removed: boolean;
}

/** Consecutive changed parts grouped into hunks, separated by unchanged text. */
function groups(base: string, proposed: string): Array<{ kept?: string; removed: string; added: string }> {
  const parts = diffLines(base, proposed) as Part[];
  const out: Array<{ kept?: string; removed: string; added: string }> = [];
  let open: { removed: string; added: string } | undefined;
  for (const p of parts) {
    if (!p.added && !p.removed) {
      open = undefined;
      out.push({ kept: p.value, removed: '', added: '' });
      continue;
    }
    if (!open) out.push((open = { removed: '', added: '' }));
    if (p.removed) open.removed += p.value;
    else open.added += p.value;
  }
  return out;
}

const lines = (s: string): string[] => (s === '' ? [] : s.replace(/\r?\n$/, '').split(/\r?\n/));

export function proposalHunks(base: string, proposed: string): Hunk[] {
  const hunks: Hunk[] = [];
  let line = 1;
  for (const g of groups(base, proposed)) {
    if (g.kept !== undefined) {
      line += lines(g.kept).length;
      continue;
    }
    hunks.push({ index: hunks.length, baseLine: line, removed: lines(g.removed), added: lines(g.added) });
    line += lines(g.removed).length;
  }
  return hunks;
}

/** The base text with only the chosen hunks of the proposal applied. */
export function applyHunks(base: string, proposed: string, chosen: ReadonlySet<number> | readonly number[]): string {
  const take = chosen instanceof Set ? chosen : new Set(chosen as readonly number[]);
  let out = '';
  let index = 0;
  for (const g of groups(base, proposed)) {
    if (g.kept !== undefined) out += g.kept;
    else out += take.has(index++) ? g.added : g.removed;
  }
  return out;
}
