// Short names for candidates ("set lookup", "hash set") taken from the model's explanation, so a
// report can say what changed instead of "c3". The id stays beside it: labels are not unique.
import type { CandidateReport, OptimizationReport } from './report';

const MAX_WORDS = 4;
const MAX_CHARS = 32;

/** Openings that say nothing about the change ("I used …", "This version uses …", "Use …"). */
const LEADING: RegExp[] = [
  // "replaced the nested loop with a Set lookup": the new thing is what changed
  /^(?:replace[sd]?|replacing|swap(?:s|ped)?)\s+.+?\s+(?:with|by)\s+(?=\S)/i,
  /^(?:here(?:'s| is)\s+)?(?:this|the|my|our)\s+(?:new\s+|optimi[sz]ed\s+|faster\s+|rewritten\s+)?(?:version|rewrite|implementation|code|function|solution|approach)\s+/i,
  /^(?:i|we)(?:'ve|'ll|\s+have|\s+will|\s+would)?\s+/i,
  /^(?:it|this)\s+/i,
  /^(?:now\s+)?(?:use[sd]?|using|switch(?:es|ed)?\s+to|replace[sd]?|replacing|rewr(?:ite|ote|itten)s?|avoid(?:s|ed)?)\s+/i,
  /^(?:by\s+)?(?:uses|using)\s+/i,
  /^(?:an?|the)\s+/i,
];

/** Words after which the clause stops naming the change ("hash set instead of …", "Sorting makes …"). */
const STOP = new Set([
  'instead',
  'to',
  'so',
  'because',
  'since',
  'which',
  'that',
  'for',
  'by',
  'in',
  'on',
  'than',
  'makes',
  'make',
  'lets',
  'let',
  'gives',
  'keeps',
  'replaces',
  'becomes',
  'become',
  'is',
  'are',
  'was',
  'were',
  'avoids',
  'and',
  'rather',
  'when',
  'where',
  'while',
  'with',
  'without',
]);

/** The first clause of a text: up to the first sentence or clause break. */
function firstClause(text: string): string {
  const line = text
    .split(/\n\s*\n|\n(?=\s*(?:[-*]|\d+\.)\s)/)[0]
    .replace(/\s+/g, ' ')
    .trim();
  return line.split(/(?<=[^\s.]{2})[.:;!?](?:\s|$)|,\s|\s[—–-]\s|\(/)[0].trim();
}

/**
 * A 1–4 word label for the change a candidate makes, from its explanation; the id when the
 * explanation says nothing usable (absent, supplied candidates, "Same idea.").
 */
export function candidateLabel(c: Pick<CandidateReport, 'id' | 'explanation'>): string {
  const text = (c.explanation ?? '').replace(/[`*_]/g, '').trim();
  if (!text) return c.id;
  let clause = firstClause(text);
  // Strip openings one at a time, always trying the most specific pattern first.
  for (let guard = 0; guard < 8; guard++) {
    const re = LEADING.find((r) => r.test(clause) && clause.replace(r, '').length > 0);
    if (!re) break;
    clause = clause.replace(re, '');
  }
  const words: string[] = [];
  for (const w of clause.split(' ')) {
    if (words.length > 0 && STOP.has(w.toLowerCase())) break;
    words.push(w);
    if (words.length === MAX_WORDS) break;
  }
  let label = words.join(' ').replace(/[.,:;!?'"]+$/, '');
  if (label.length > MAX_CHARS) label = label.slice(0, MAX_CHARS).replace(/\s+\S*$/, '');
  // Nothing usable: "Same idea.", "is already as fast as it can be", "would keep it".
  if (!/[a-z]{2}/i.test(label) || /^(?:same|similar|is|are|was|already|would|will|keep|no|not|nothing)\b/i.test(label)) return c.id;
  return lowerFirst(label);
}

/** Lower-cases a leading capital unless the word looks like a name or an acronym (Set, O(n), JSON). */
function lowerFirst(label: string): string {
  const first = label.split(' ')[0];
  if (/^[A-Z][a-z]+$/.test(first) && !KEEP_CAPITAL.has(first)) return first.toLowerCase() + label.slice(first.length);
  return label;
}

const KEEP_CAPITAL = new Set([
  'Set',
  'Map',
  'WeakMap',
  'WeakSet',
  'Array',
  'Object',
  'String',
  'Number',
  'Math',
  'Python',
  'JavaScript',
  'TypeScript',
  'Counter',
  'deque',
  'Promise',
  'BigInt',
]);

/** "hash set (c1)", or just "c1" when the label is the id. */
export function candidateName(c: Pick<CandidateReport, 'id' | 'explanation'>): string {
  const label = candidateLabel(c);
  return label === c.id ? c.id : `${label} (${c.id})`;
}

/** A level by its input size ("n = 7,000") when the report has the sizes, else "level 2". */
export function levelName(report: Pick<OptimizationReport, 'benchmark'>, level: number): string {
  const i = report.benchmark?.original.findIndex((o) => o.level === level) ?? -1;
  return (i >= 0 ? report.benchmark?.inputSizes?.[i]?.text : undefined) ?? `level ${level}`;
}

/** A reason with "level 2" said as its input size, when the report has the sizes. */
export function withInputSizes(report: Pick<OptimizationReport, 'benchmark'>, text: string): string {
  if (!report.benchmark?.inputSizes) return text;
  return text.replace(/\blevel (\d+)\b/g, (whole, d: string) => {
    const name = levelName(report, Number(d));
    return name.startsWith('level ') ? whole : name;
  });
}
