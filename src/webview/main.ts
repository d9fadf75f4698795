// The report panel, running inside the webview: renders the host's state (protocol.ts) and sends
// the user's actions back. Keeps its selection and collapsed sections in the webview state.
// The same bundle runs in the side view and in the editor tab ("Open Report in Editor").
import { candidateLabel, candidateName, levelName, withInputSizes } from '../core/pipeline/labels';
import type { CandidateReport, OptimizationReport, RunStatus } from '../core/pipeline/report';
import { atKChart, efficiencyChart, legend, speedupChart, type SpeedupBar } from './charts';
import { h, type Child } from './dom';
import { formatCount, formatInterval, formatScore, formatSeconds, formatSpeedup, formatUsd } from './format';
import type { EntryAction, HostMessage, PersistedState, RenderInspection, ReportEntryView, RunView, WebviewMessage } from './protocol';
import { codeBlock, markdownNodes } from './rich';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const persisted: PersistedState = vscode.getState() ?? { collapsed: [] };
persisted.expanded ??= [];
let last = persisted.last;
let run: RunView | undefined = last?.run;
let selected = persisted.selected;

const root = document.getElementById('root')!;
const runBox = document.getElementById('run')!;

function save(): void {
  vscode.setState({ selected, collapsed: persisted.collapsed, expanded: persisted.expanded, last: last ? { ...last, run } : undefined });
}

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

const STATUS_TEXT: Record<RunStatus, string> = {
  improved: 'Verified speedup',
  'no-improvement': 'No verified speedup',
  'tests-disagree': 'Tests disagree with your code',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const CANDIDATE_STATUS: Record<CandidateReport['status'], string> = {
  winner: 'winner',
  faster: 'faster, not chosen',
  'not-faster': 'not faster',
  wrong: 'wrong result',
  crashed: 'crashed',
  rejected: 'rejected',
  duplicate: 'same as another',
  'not-run': 'not run',
};

/** "same as c1" for duplicates, the status in words otherwise. */
function statusText(c: CandidateReport): string {
  return c.status === 'duplicate' && c.duplicateOf ? `same as ${c.duplicateOf}` : (CANDIDATE_STATUS[c.status] ?? c.status);
}

/** Sections that start collapsed (the research detail); the others start open. */
const START_COLLAPSED = new Set(['chosen']);

function chartWidth(): number {
  const w = root.clientWidth || document.body.clientWidth || 320;
  return Math.max(220, Math.min(w - 8, 900));
}

const languageOf = (r: OptimizationReport): string => r.function.language;

// ---- sections ----

function isOpen(id: string): boolean {
  return START_COLLAPSED.has(id) ? persisted.expanded!.includes(id) : !persisted.collapsed.includes(id);
}

function section(id: string, title: string, ...content: Child[]): HTMLElement {
  const details = h(
    'details',
    { class: 'section', id: `section-${id}`, open: isOpen(id) },
    h('summary', { id: `summary-${id}` }, h('h2', {}, title)),
    h('div', { class: 'section-body' }, ...content),
  );
  details.addEventListener('toggle', () => {
    const collapsed = new Set(persisted.collapsed);
    const expanded = new Set(persisted.expanded);
    if (details.open) {
      collapsed.delete(id);
      expanded.add(id);
    } else {
      collapsed.add(id);
      expanded.delete(id);
    }
    persisted.collapsed = [...collapsed];
    persisted.expanded = [...expanded];
    save();
    report(currentKey);
  });
  return details;
}

function button(label: string, action: EntryAction, entry: ReportEntryView, opts: { primary?: boolean; title?: string } = {}): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      id: `action-${action}`,
      class: opts.primary ? 'primary' : 'secondary',
      title: opts.title,
      'aria-label': opts.title ?? label,
      onClick: () => post({ type: 'action', action, key: entry.key }),
    },
    label,
  );
}

/** The weights of the levels that count in the overall speedup, as "3 : 3 : 4". */
function weightsText(r: OptimizationReport): string | undefined {
  const b = r.benchmark;
  if (!b) return undefined;
  const weights = b.original.map((o) => b.hardness[o.level] ?? 0).filter((w) => w > 0);
  return weights.length > 1 ? weights.join(' : ') : undefined;
}

function verdict(entry: ReportEntryView): HTMLElement {
  const r = entry.report;
  const actions: HTMLElement[] = [];
  if (entry.hasProposal && !entry.applied) {
    actions.push(button('Show Diff', 'diff', entry, { primary: !entry.flagged && !entry.stale, title: 'Compare the file with the proposed rewrite' }));
    actions.push(
      button(entry.flagged ? 'Apply…' : 'Apply', 'apply', entry, {
        title: entry.stale
          ? 'The file changed since the run: Apply will refuse and offer to re-run'
          : entry.flagged
            ? 'Apply after a second confirmation (the tests disagree with your code)'
            : 'Write the rewrite into the file (one undo step)',
      }),
    );
  }
  actions.push(button('Dismiss', 'dismiss', entry, { title: 'Discard this result' }));
  actions.push(button('Re-run', 'rerun', entry, { title: 'Optimize the current text of this function again' }));
  actions.push(button('Go to Function', 'reveal', entry, { title: `Open ${entry.file} at ${entry.qualifiedName}` }));
  const notices: Child[] = [];
  if (entry.applied) notices.push(h('p', { class: 'notice ok' }, 'Applied to the file. Undo (Ctrl+Z / ⌘Z) in the editor restores the original.'));
  else if (entry.stale)
    notices.push(h('p', { class: 'notice warn' }, `${entry.file} changed since this run: Apply will refuse. Re-run to optimize the current text.`));
  if (entry.flagged)
    notices.push(
      h('p', { class: 'notice warn' }, 'Flagged: the generated tests contradict your code, so the rewrite is never applied without a second confirmation.'),
    );
  return h(
    'header',
    { class: 'verdict' },
    h('h1', {}, h('span', { class: 'fn' }, r.function.qualifiedName), h('span', { class: 'file' }, ` — ${entry.file}:${r.function.startLine}`)),
    h(
      'p',
      {},
      h('span', { class: `badge status-${r.status}` }, STATUS_TEXT[r.status]),
      ' ',
      r.winner
        ? h(
            'strong',
            { class: 'speedup', title: 'Weighted geometric mean of the speedups on each input size' },
            `${formatSpeedup(r.winner.speedup.estimate)} faster`,
          )
        : null,
      r.winner ? h('span', { class: 'muted' }, ' overall') : null,
    ),
    h('p', { class: 'summary' }, r.summary),
    notices,
    h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Actions for this result' }, actions),
  );
}

/** The highest e_i can get: a rewrite that takes no time, on the original's slowest level. */
function ceilingOf(r: OptimizationReport): number {
  const alpha = r.benchmark?.alpha ?? 2;
  return alpha / (alpha - 1);
}

/** What e_i means, with its scale for this run's α. */
function efficiencyWords(r: OptimizationReport): string {
  const alpha = r.benchmark?.alpha ?? 2;
  const ceiling = ceilingOf(r);
  return `e_i is ENAMEL's efficiency score: 1 = as fast as the original, 0 = wrong or as slow as the time limit (α = ${alpha} × the original's slowest time); a rewrite that takes no time at all would approach ${formatScore(ceiling)} (α/(α−1)). Averaged over the input sizes with their weights.`;
}

function winnerSection(r: OptimizationReport): HTMLElement | null {
  if (!r.winner) return null;
  const c = r.candidates.find((x) => x.id === r.winner!.id);
  const weights = weightsText(r);
  const levels = (c?.timing?.levels ?? []).filter((l) => l.speedup);
  return section(
    'winner',
    'Winner',
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Rewrite'),
      h('dd', { id: 'winner-name' }, c ? candidateName(c) : r.winner.id, c?.origin === 'repair' ? ` (repair of ${c.repairOf})` : ''),
      h('dt', {}, 'Speedup'),
      h(
        'dd',
        {},
        `${formatSpeedup(r.winner.speedup.estimate)} (95% interval ${formatInterval(r.winner.speedup)})`,
        h(
          'div',
          { class: 'hint' },
          `The weighted geometric mean of the speedups on each input size${weights ? ` (weights ${weights})` : ''}; each is the original's time ÷ the rewrite's on the slowest case of that size.`,
        ),
      ),
      levels.length > 0
        ? [
            h('dt', {}, 'Per input size'),
            h(
              'dd',
              {},
              h(
                'ul',
                { class: 'levels', id: 'winner-levels' },
                levels.map((l) => h('li', {}, levelLine(r, l.level, l.worstSeconds, l.speedup!.estimate))),
              ),
            ),
          ]
        : null,
      h('dt', {}, 'Efficiency e_i'),
      h(
        'dd',
        {},
        `${formatScore(r.winner.efficiency)}`,
        h('div', { class: 'hint' }, `1 = as fast as the original, 0 = wrong or too slow, at most ${formatScore(ceilingOf(r))} (see Efficiency below).`),
      ),
      h('dt', {}, 'Verified on'),
      h('dd', {}, `${r.tests.cases} cases${c?.verification ? `, ${c.verification.passed} passed` : ''}`),
    ),
    c?.explanation
      ? h('div', { class: 'explanation', id: 'explanation' }, h('h3', {}, "The model's explanation"), markdownNodes(c.explanation, languageOf(r)))
      : null,
    c?.functionCode ? h('div', { class: 'code' }, h('h3', {}, 'Rewritten function'), codeBlock(c.functionCode, languageOf(r), { id: 'winner-code' })) : null,
  );
}

/** "n = 7,000: 126 ms → 0.92 ms, 137×" */
function levelLine(r: OptimizationReport, level: number, seconds: number | null, speedup: number): string {
  const orig = r.benchmark?.original.find((o) => o.level === level)?.worstSeconds;
  return `${levelName(r, level)}: ${formatSeconds(orig)} → ${formatSeconds(seconds)}, ${formatSpeedup(speedup)}`;
}

function speedupSection(r: OptimizationReport): HTMLElement | null {
  const bars: SpeedupBar[] = [];
  const timed = r.candidates.filter((c) => c.timing?.levels.some((l) => l.speedup));
  if (timed.length === 0) return null;
  const levels = [...new Set(timed.flatMap((c) => c.timing!.levels.filter((l) => l.speedup).map((l) => l.level)))].sort((a, b) => a - b);
  for (const level of levels) {
    for (const c of timed) {
      const l = c.timing!.levels.find((x) => x.level === level);
      if (!l?.speedup) continue;
      bars.push({
        group: levelName(r, level),
        label: candidateLabel(c),
        title: candidateName(c),
        estimate: l.speedup.estimate,
        low: l.speedup.low,
        high: l.speedup.high,
        accepted: l.speedup.accepted,
        highlight: c.id === r.winner?.id,
      });
    }
  }
  const floor = r.benchmark?.noiseFloor ?? 0.05;
  const original = r.benchmark?.original ?? [];
  return section(
    'speedup',
    'Speedup per input size',
    h(
      'p',
      { class: 'hint' },
      `Original time ÷ rewrite time on the slowest case of each input size, with 95% intervals. A speedup counts when its interval clears ${formatSpeedup(1 + floor)}.`,
    ),
    speedupChart(bars, 1 + floor, chartWidth()),
    legend([
      ['winner', 'winner'],
      ['accepted', 'clears the threshold'],
      ['plain', 'faster, does not clear it'],
      ['slower', 'slower than the original'],
      ['threshold', `threshold ${formatSpeedup(1 + floor)}`],
    ]),
    original.length > 0
      ? h(
          'table',
          { class: 'data' },
          h('caption', {}, "The original's time per input size (slowest case)"),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Input size'), h('th', { scope: 'col' }, 'Original'), h('th', { scope: 'col' }, 'Weight'))),
          h(
            'tbody',
            {},
            original.map((l) =>
              h(
                'tr',
                {},
                h('td', {}, levelName(r, l.level)),
                h('td', {}, formatSeconds(l.worstSeconds)),
                h('td', {}, String(r.benchmark?.hardness[l.level] ?? '')),
              ),
            ),
          ),
        )
      : null,
  );
}

function efficiencySection(r: OptimizationReport): HTMLElement | null {
  if (r.candidates.length === 0) return null;
  const ran = r.candidates.filter((c) => c.status !== 'rejected' && c.status !== 'duplicate');
  const bars = ran.map((c) => ({
    label: candidateLabel(c),
    title: candidateName(c),
    score: c.efficiency.score,
    passed: c.efficiency.passed,
    highlight: c.id === r.winner?.id,
    note: c.efficiency.note,
  }));
  const left = r.candidates.length - ran.length;
  return section(
    'efficiency',
    'Efficiency e_i per rewrite',
    h('p', { class: 'hint' }, efficiencyWords(r)),
    bars.length > 0 ? efficiencyChart(bars, chartWidth()) : h('p', {}, 'No candidate ran.'),
    bars.length > 0
      ? legend([
          ['winner', 'winner'],
          ['accepted', 'faster than the original (e_i > 1)'],
          ['plain', 'correct, not faster'],
          ['failed', 'wrong or too slow (0)'],
        ])
      : null,
    left > 0 ? h('p', { class: 'hint' }, `${left} candidate(s) never ran (rejected or the same as another) and are not drawn.`) : null,
  );
}

function effAtKSection(r: OptimizationReport): HTMLElement | null {
  if (r.effAtK.length === 0) return null;
  const n = r.effAtK.length;
  const w = chartWidth();
  return section(
    'effk',
    `eff@k and pass@k (k = 1…${n})`,
    h(
      'p',
      { class: 'hint' },
      `If you kept k of the ${n} rewrites: eff@k is the expected best e_i among them (1 = the original's speed), pass@k the chance that at least one is correct.`,
    ),
    h('h3', {}, 'eff@k (e_i scale)'),
    atKChart(
      r.effAtK.map((p) => ({ k: p.k, value: p.eff })),
      { kind: 'eff', width: w },
    ),
    h('h3', {}, 'pass@k (probability)'),
    atKChart(
      r.effAtK.map((p) => ({ k: p.k, value: p.pass })),
      { kind: 'pass', width: w },
    ),
    h(
      'table',
      { class: 'data compact' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'k'), h('th', { scope: 'col' }, 'eff@k'), h('th', { scope: 'col' }, 'pass@k'))),
      h(
        'tbody',
        {},
        r.effAtK.map((p) => h('tr', {}, h('td', {}, String(p.k)), h('td', {}, formatScore(p.eff)), h('td', {}, `${Math.round(p.pass * 100)}%`))),
      ),
    ),
  );
}

function matrixBlock(r: OptimizationReport): HTMLElement | null {
  const sel = r.selection;
  if (!sel || sel.rows.length === 0) return null;
  const assertCols = sel.columns.filter((c) => c.startsWith('assert:')).length;
  const diffCols = sel.columns.length - assertCols;
  const rankOf = (row: string): number | undefined => sel.b4.ranking.find((g) => g.rows.includes(row))?.rank;
  const table = h(
    'table',
    { class: 'heatmap' },
    h(
      'caption',
      {},
      `${sel.rows.length} solutions × ${sel.columns.length} tests (${assertCols} assertion tests from the model, ${diffCols} differential cases)`,
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Solution'),
        assertCols > 0 ? h('th', { scope: 'colgroup', colspan: assertCols, class: 'group' }, 'assertions') : null,
        diffCols > 0 ? h('th', { scope: 'colgroup', colspan: diffCols, class: 'group' }, 'differential') : null,
        h('th', { scope: 'col' }, 'Passes'),
      ),
    ),
    h(
      'tbody',
      {},
      sel.rows.map((row, i) => {
        const cells = sel.matrix[i] ?? [];
        const passes = cells.filter((v) => v === 1).length;
        const rank = rankOf(row);
        return h(
          'tr',
          { class: sel.b4.top.includes(row) ? 'top' : undefined },
          h('th', { scope: 'row' }, row, rank !== undefined ? h('span', { class: 'rank', title: `B4 rank ${rank}` }, ` #${rank}`) : null),
          cells.map((v, j) =>
            h('td', {
              class: v === 1 ? 'pass' : 'fail',
              title: `${row} ${v === 1 ? 'passes' : 'fails'} ${sel.columns[j]}`,
              'aria-label': v === 1 ? 'pass' : 'fail',
            }),
          ),
          h('td', { class: 'count' }, `${passes}/${cells.length}`),
        );
      }),
    ),
  );
  return h(
    'div',
    { class: 'sub' },
    h('h3', {}, 'Passing matrix'),
    h('div', { class: 'scroll' }, table),
    legend([
      ['cell-pass', 'passes'],
      ['cell-fail', 'fails'],
    ]),
    h('p', { class: 'hint' }, 'Rows in B4’s winning set are outlined; #n is the B4 rank of the row’s consensus set.'),
  );
}

function selectionBlock(r: OptimizationReport): HTMLElement | null {
  const sel = r.selection;
  if (!sel) return null;
  const set = (rows: string[]): string => (rows.length > 0 ? `{${rows.join(', ')}}` : '{}');
  const same = (rows: string[]): boolean => rows.length === sel.b4.top.length && rows.every((x) => sel.b4.top.includes(x));
  const picks: Array<[string, string[]]> = [
    ['CodeT', sel.baselines.codeT],
    ['CodeT (paper)', sel.baselines.codeTPaper],
    ['MaxPass', sel.baselines.maxPass],
    ['MBR-exec', sel.baselines.mbrExec],
    ['Random', sel.baselines.random],
  ];
  return h(
    'div',
    { class: 'sub' },
    h('h3', {}, 'B4 ranking and baselines'),
    h(
      'table',
      { class: 'data' },
      h('caption', {}, 'B4 ranks consensus sets (solutions with identical passing rows) by posterior score'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Rank'),
          h('th', { scope: 'col' }, 'Solutions'),
          h('th', { scope: 'col' }, 'Tests passed'),
          h('th', { scope: 'col' }, 'log score'),
        ),
      ),
      h(
        'tbody',
        {},
        sel.b4.ranking.map((g) =>
          h(
            'tr',
            { class: g.rank === 1 ? 'top' : undefined },
            h('td', {}, String(g.rank)),
            h('td', {}, set(g.rows)),
            h('td', {}, String(g.tests)),
            h('td', {}, g.score.toFixed(1)),
          ),
        ),
      ),
    ),
    h(
      'table',
      { class: 'data' },
      h('caption', {}, 'Picks: B4 beside CodeT and MaxPass'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Method'), h('th', { scope: 'col' }, 'Picks'), h('th', { scope: 'col' }, 'Agrees with B4'))),
      h(
        'tbody',
        {},
        h('tr', { class: 'top' }, h('td', {}, 'B4'), h('td', {}, set(sel.b4.top)), h('td', {}, '—')),
        picks.map(([name, rows]) => h('tr', {}, h('td', {}, name), h('td', {}, set(rows)), h('td', {}, same(rows) ? 'yes' : 'no'))),
      ),
    ),
  );
}

/** The tests the user's code fails (tests disagree): shown open, it is the verdict's reason. */
function disagreementsSection(r: OptimizationReport): HTMLElement | null {
  const d = r.selection?.disagreements ?? [];
  if (d.length === 0) return null;
  return section(
    'disagreements',
    'Tests your code fails',
    h(
      'ul',
      { class: 'disagreements' },
      d.map((x) =>
        h('li', {}, h('code', {}, x.argsText), ' expected ', h('code', {}, x.expectedText ?? '?'), ', your code gives ', h('code', {}, x.originalText ?? '?')),
      ),
    ),
  );
}

/** Integrity checks passed out of those run on the timed calls (details in the tooltip). */
function integrityCell(c: OptimizationReport['candidates'][number]): string {
  const checks = c.integrity?.checks;
  if (!checks || checks.length === 0) return '–';
  const failed = checks.filter((k) => !k.passed);
  return failed.length === 0 ? `✓ ${checks.length}/${checks.length}` : `✗ ${failed.map((k) => k.id).join(', ')}`;
}

/** The rewrite's name: what changed, the id beside it. */
function nameCell(c: CandidateReport): HTMLElement {
  const label = candidateLabel(c);
  return h(
    'td',
    {},
    label === c.id ? c.id : [label, h('span', { class: 'muted' }, ` ${c.id}`)],
    c.origin === 'repair' ? h('span', { class: 'muted' }, ` ↺${c.repairOf}`) : null,
  );
}

function candidatesSection(r: OptimizationReport): HTMLElement | null {
  if (r.candidates.length === 0) return null;
  return section(
    'candidates',
    `Candidates (${r.candidates.length})`,
    h(
      'table',
      { class: 'data', id: 'candidates-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Rewrite'),
          h('th', { scope: 'col' }, 'Result'),
          h('th', { scope: 'col' }, 'Speedup'),
          h('th', { scope: 'col' }, 'e_i'),
        ),
      ),
      h(
        'tbody',
        {},
        r.candidates.map((c) =>
          h(
            'tr',
            { class: c.id === r.winner?.id ? 'top' : undefined, title: withInputSizes(r, c.reason), 'data-candidate': c.id },
            nameCell(c),
            h('td', {}, h('span', { class: `cstatus ${c.status}` }, statusText(c))),
            h('td', {}, c.timing?.overall ? `${formatSpeedup(c.timing.overall.estimate)}` : '–'),
            h('td', {}, formatScore(c.efficiency.score)),
          ),
        ),
      ),
    ),
  );
}

/** Ids, B4 ranks and integrity per candidate: the research view of the same candidates. */
function candidateIdsBlock(r: OptimizationReport): HTMLElement | null {
  if (r.candidates.length === 0) return null;
  return h(
    'div',
    { class: 'sub' },
    h('h3', {}, 'Candidates by id'),
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Id'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'e_i'),
          h('th', { scope: 'col' }, 'B4'),
          h('th', { scope: 'col' }, 'Integrity'),
        ),
      ),
      h(
        'tbody',
        {},
        r.candidates.map((c) =>
          h(
            'tr',
            { class: c.id === r.winner?.id ? 'top' : undefined, title: c.reason },
            h('td', {}, c.id),
            h('td', {}, c.status),
            h('td', {}, formatScore(c.efficiency.score)),
            h('td', {}, c.b4Rank !== undefined ? `#${c.b4Rank}` : '–'),
            h(
              'td',
              { title: c.integrity ? c.integrity.checks.map((k) => `${k.passed ? '✓' : '✗'} ${k.id}: ${k.detail}`).join('\n') : 'not timed' },
              integrityCell(c),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The research detail, collapsed: the passing matrix, B4 against the baselines, candidate ids. */
function chosenSection(r: OptimizationReport): HTMLElement | null {
  const parts = [matrixBlock(r), selectionBlock(r), candidateIdsBlock(r)].filter((x): x is HTMLElement => x !== null);
  if (parts.length === 0) return null;
  return section(
    'chosen',
    'How the winner was chosen',
    h(
      'p',
      { class: 'hint' },
      'Every rewrite and the original ran on the same tests; B4 groups solutions that pass the same tests and ranks the groups; the winner is the fastest correct rewrite (highest e_i) in the top group.',
    ),
    parts,
  );
}

function rejectedSection(r: OptimizationReport): HTMLElement | null {
  const bad = r.candidates.filter(
    (c) => c.status === 'rejected' || c.status === 'wrong' || c.status === 'crashed' || c.status === 'not-faster' || c.status === 'not-run',
  );
  if (bad.length === 0) return null;
  return section(
    'rejected',
    `Rejected candidates (${bad.length})`,
    h(
      'ul',
      { class: 'rejected' },
      bad.map((c) =>
        h(
          'li',
          {},
          h('strong', {}, candidateName(c)),
          ' ',
          h('span', { class: `cstatus ${c.status}` }, statusText(c)),
          h('p', { class: 'reason' }, withInputSizes(r, c.reason)),
          c.verification?.firstFailure?.diffText ? h('pre', { class: 'diff' }, c.verification.firstFailure.diffText) : null,
          c.code ? h('details', { class: 'code' }, h('summary', {}, 'Code'), codeBlock(c.code, languageOf(r))) : null,
        ),
      ),
    ),
  );
}

function testsSection(r: OptimizationReport): HTMLElement {
  const t = r.tests;
  return section(
    'tests',
    'Tests',
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Source'),
      h('dd', {}, t.source === 'llm' ? 'generated by the model' : 'supplied'),
      h('dt', {}, 'Input generators'),
      h('dd', {}, String(t.generators)),
      h('dt', {}, 'Assertion tests'),
      h('dd', {}, String(t.assertions)),
      h('dt', {}, 'Cases used'),
      h('dd', {}, String(t.cases)),
    ),
    t.excluded.length > 0
      ? h(
          'details',
          {},
          h('summary', {}, `${t.excluded.length} case(s) excluded`),
          h(
            'ul',
            {},
            t.excluded.map((e) => h('li', {}, `${e.caseId}: ${e.reason}`)),
          ),
        )
      : null,
    t.dropped.length > 0
      ? h(
          'details',
          {},
          h('summary', {}, `${t.dropped.length} test item(s) dropped`),
          h(
            'ul',
            {},
            t.dropped.map((d) => h('li', {}, `${d.what}: ${d.reason}`)),
          ),
        )
      : null,
  );
}

function costSection(r: OptimizationReport): HTMLElement {
  const stages = Object.entries(r.timings).filter(([k, v]) => k !== 'total' && typeof v === 'number' && v > 0) as Array<[string, number]>;
  return section(
    'cost',
    'Tokens, cost and time',
    h(
      'dl',
      { class: 'facts' },
      r.llm
        ? [
            h('dt', {}, 'Model'),
            h('dd', {}, `${r.llm.model} (${r.llm.vendor})`),
            h('dt', {}, 'Tokens'),
            h('dd', {}, `${formatCount(r.llm.inputTokens)} in + ${formatCount(r.llm.outputTokens)} out${r.llm.estimated ? ' (estimated)' : ''}`),
            h('dt', {}, 'Cost'),
            h('dd', {}, formatUsd(r.llm.costUsd)),
          ]
        : [h('dt', {}, 'Model'), h('dd', {}, 'none (supplied candidates and tests)')],
      h('dt', {}, 'Total time'),
      h('dd', {}, formatSeconds(r.timings.total)),
    ),
    r.llm?.stopped ? h('p', { class: 'notice warn' }, r.llm.stopped) : null,
    stages.length > 0
      ? h(
          'table',
          { class: 'data compact' },
          h('caption', {}, 'Time per stage'),
          h(
            'tbody',
            {},
            stages.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, formatSeconds(v)))),
          ),
        )
      : null,
  );
}

function notesSection(r: OptimizationReport): HTMLElement | null {
  const notes = [...r.notes, ...(r.error ? [`${r.error.kind} error: ${r.error.message}`] : [])];
  if (notes.length === 0 && !r.sandbox) return null;
  return section(
    'notes',
    'Notes',
    notes.length > 0
      ? h(
          'ul',
          {},
          notes.map((n) => h('li', {}, n)),
        )
      : null,
    r.sandbox ? h('p', { class: 'hint' }, `Sandbox: ${r.sandbox.namespaces}; network ${r.sandbox.network}.`) : null,
  );
}

function picker(entries: ReportEntryView[], current: ReportEntryView): HTMLElement | null {
  if (entries.length < 2) return null;
  const select = h(
    'select',
    { id: 'picker', 'aria-label': 'Result to show' },
    entries.map((e) =>
      h(
        'option',
        { value: e.key, selected: e.key === current.key },
        `${e.qualifiedName} — ${e.file} (${STATUS_TEXT[e.report.status]}${e.report.winner ? `, ${formatSpeedup(e.report.winner.speedup.estimate)}` : ''})`,
      ),
    ),
  );
  select.addEventListener('change', () => {
    selected = select.value;
    save();
    post({ type: 'select', key: selected });
    render();
    document.getElementById('picker')?.focus();
  });
  return h('div', { class: 'picker' }, h('label', { for: 'picker' }, 'Result'), select);
}

// ---- rendering ----

function renderRun(): void {
  runBox.replaceChildren();
  if (!run) {
    runBox.hidden = true;
    return;
  }
  runBox.hidden = false;
  const progress = h('progress', { max: 100, value: Math.round(run.fraction * 100), 'aria-label': `Progress of ${run.qualifiedName}` });
  runBox.append(
    h(
      'div',
      { class: 'run-line' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h(
        'span',
        {},
        `Optimizing ${run.qualifiedName}${run.count > 1 ? ` (${run.index}/${run.count})` : ''} — ${run.text}${run.queued > 0 ? `; ${run.queued} queued` : ''}`,
      ),
    ),
    h(
      'div',
      { class: 'run-line' },
      progress,
      h('button', { type: 'button', class: 'secondary', 'aria-label': 'Cancel the run', onClick: () => post({ type: 'cancel' }) }, 'Cancel'),
    ),
  );
}

function render(): void {
  renderRun();
  const entries = last?.entries ?? [];
  const current = entries.find((e) => e.key === selected) ?? entries.find((e) => e.key === last?.selected) ?? entries[0];
  const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
  if (!current) {
    root.replaceChildren(
      h(
        'p',
        { class: 'empty' },
        'No efficiency report yet. Click ',
        h('strong', {}, '⚡ Optimize'),
        ' above a function, or run ',
        h('em', {}, 'effopt: Optimize Function at Cursor'),
        '.',
      ),
    );
    report(undefined);
    return;
  }
  const r = current.report;
  root.replaceChildren(
    ...[
      picker(entries, current),
      verdict(current),
      winnerSection(r),
      disagreementsSection(r),
      speedupSection(r),
      efficiencySection(r),
      effAtKSection(r),
      candidatesSection(r),
      rejectedSection(r),
      chosenSection(r),
      testsSection(r),
      costSection(r),
      notesSection(r),
    ].filter((x): x is HTMLElement => x !== null),
  );
  if (focusedId) document.getElementById(focusedId)?.focus();
  currentKey = current.key;
  report(current.key);
}

let currentKey: string | undefined;

/** Tells the host what is on screen (its log and the tests read it). */
function report(key: string | undefined): void {
  const sections = Array.from(root.querySelectorAll('h1, h2')).map((e) => e.textContent ?? '');
  // innerText leaves out what a collapsed section hides: `text` is what the user sees.
  const text = (root.innerText || root.textContent || '').slice(0, 50_000);
  const collapsed = Array.from(root.querySelectorAll('details.section:not([open]) > summary h2')).map((e) => e.textContent ?? '');
  const allText = (root.textContent ?? '').slice(0, 100_000);
  post({ type: 'rendered', key, sections, text, collapsed, allText, inspect: inspect() });
}

function inspect(): RenderInspection {
  const explanationTags = [
    ...new Set(Array.from(document.querySelectorAll('#explanation > :not(h3), #explanation > :not(h3) *')).map((e) => e.tagName.toLowerCase())),
  ];
  const codeTokens: Record<string, number> = {};
  for (const span of Array.from(document.querySelectorAll('#winner-code span'))) codeTokens[span.className] = (codeTokens[span.className] ?? 0) + 1;
  const unexplainedBars: string[] = [];
  for (const sec of Array.from(root.querySelectorAll('details.section'))) {
    const swatches = new Set(Array.from(sec.querySelectorAll('.legend .swatch')).flatMap((e) => Array.from(e.classList)));
    for (const bar of Array.from(sec.querySelectorAll('svg rect.bar')))
      for (const cls of Array.from(bar.classList)) if (cls !== 'bar' && !swatches.has(cls)) unexplainedBars.push(`${sec.id}:${cls}`);
  }
  return {
    explanationTags,
    codeTokens,
    unexplainedBars: [...new Set(unexplainedBars)],
    atKCharts: document.querySelectorAll('#section-effk svg.chart').length,
    surface: document.body.classList.contains('editor') ? 'editor' : 'view',
  };
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      last = message;
      run = message.run;
      // The host's selection is authoritative (it follows this panel's choices and new results).
      selected = message.selected ?? selected;
      save();
      render();
      break;
    case 'run':
      run = message.run;
      renderRun();
      break;
  }
}

window.addEventListener('message', (event: MessageEvent) => handle(event.data as HostMessage));

// Charts are drawn at the panel's width: redraw when it changes.
let lastWidth = 0;
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  const w = chartWidth();
  if (Math.abs(w - lastWidth) < 8) return;
  lastWidth = w;
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => last && render(), 120);
}).observe(document.body);

if (last) render();
root.dataset.ready = 'true';
post({ type: 'ready' });
