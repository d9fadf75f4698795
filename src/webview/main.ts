// The report panel, running inside the webview: renders the host's state (protocol.ts) and sends
// the user's actions back. Keeps its selection and collapsed sections in the webview state.
import type { CandidateReport, OptimizationReport, RunStatus } from '../core/pipeline/report';
import { effAtKChart, efficiencyChart, legend, speedupChart, type SpeedupBar } from './charts';
import { h, type Child } from './dom';
import { formatCount, formatInterval, formatScore, formatSeconds, formatSpeedup, formatUsd } from './format';
import type { EntryAction, HostMessage, PersistedState, ReportEntryView, RunView, WebviewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const persisted: PersistedState = vscode.getState() ?? { collapsed: [] };
let last = persisted.last;
let run: RunView | undefined = last?.run;
let selected = persisted.selected;

const root = document.getElementById('root')!;
const runBox = document.getElementById('run')!;

function save(): void {
  vscode.setState({ selected, collapsed: persisted.collapsed, last: last ? { ...last, run } : undefined });
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
  duplicate: 'same code as another candidate',
  'not-run': 'not run',
};

function chartWidth(): number {
  const w = root.clientWidth || document.body.clientWidth || 320;
  return Math.max(220, Math.min(w - 8, 900));
}

// ---- sections ----

function section(id: string, title: string, ...content: Child[]): HTMLElement {
  const details = h('details', { class: 'section', id: `section-${id}`, open: !persisted.collapsed.includes(id) }, h('summary', { id: `summary-${id}` }, h('h2', {}, title)), h('div', { class: 'section-body' }, ...content));
  details.addEventListener('toggle', () => {
    const set = new Set(persisted.collapsed);
    if (details.open) set.delete(id);
    else set.add(id);
    persisted.collapsed = [...set];
    save();
  });
  return details;
}

function button(label: string, action: EntryAction, entry: ReportEntryView, opts: { primary?: boolean; title?: string } = {}): HTMLButtonElement {
  return h('button', { type: 'button', id: `action-${action}`, class: opts.primary ? 'primary' : 'secondary', title: opts.title, 'aria-label': opts.title ?? label, onClick: () => post({ type: 'action', action, key: entry.key }) }, label);
}

function verdict(entry: ReportEntryView): HTMLElement {
  const r = entry.report;
  const actions: HTMLElement[] = [];
  if (entry.hasProposal && !entry.applied) {
    actions.push(button('Show Diff', 'diff', entry, { primary: !entry.flagged && !entry.stale, title: 'Compare the file with the proposed rewrite' }));
    actions.push(button(entry.flagged ? 'Apply…' : 'Apply', 'apply', entry, { title: entry.stale ? 'The file changed since the run: Apply will refuse and offer to re-run' : entry.flagged ? 'Apply after a second confirmation (the tests disagree with your code)' : 'Write the rewrite into the file (one undo step)' }));
  }
  actions.push(button('Dismiss', 'dismiss', entry, { title: 'Discard this result' }));
  actions.push(button('Re-run', 'rerun', entry, { title: 'Optimize the current text of this function again' }));
  actions.push(button('Go to Function', 'reveal', entry, { title: `Open ${entry.file} at ${entry.qualifiedName}` }));
  const notices: Child[] = [];
  if (entry.applied) notices.push(h('p', { class: 'notice ok' }, 'Applied to the file. Undo (Ctrl+Z / ⌘Z) in the editor restores the original.'));
  else if (entry.stale) notices.push(h('p', { class: 'notice warn' }, `${entry.file} changed since this run: Apply will refuse. Re-run to optimize the current text.`));
  if (entry.flagged) notices.push(h('p', { class: 'notice warn' }, 'Flagged: the generated tests contradict your code, so the rewrite is never applied without a second confirmation.'));
  return h(
    'header',
    { class: 'verdict' },
    h('h1', {}, h('span', { class: 'fn' }, r.function.qualifiedName), h('span', { class: 'file' }, ` — ${entry.file}:${r.function.startLine}`)),
    h('p', {}, h('span', { class: `badge status-${r.status}` }, STATUS_TEXT[r.status]), ' ', r.winner ? h('strong', { class: 'speedup' }, `${formatSpeedup(r.winner.speedup.estimate)} faster`) : null),
    h('p', { class: 'summary' }, r.summary),
    notices,
    h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Actions for this result' }, actions),
  );
}

function winnerSection(r: OptimizationReport): HTMLElement | null {
  if (!r.winner) return null;
  const c = r.candidates.find((x) => x.id === r.winner!.id);
  return section(
    'winner',
    'Winner',
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Candidate'),
      h('dd', {}, `${r.winner.id}${c?.origin === 'repair' ? ` (repair of ${c.repairOf})` : ''}`),
      h('dt', {}, 'Speedup'),
      h('dd', {}, `${formatSpeedup(r.winner.speedup.estimate)} (95% interval ${formatInterval(r.winner.speedup)})`),
      h('dt', {}, 'Efficiency e_i'),
      h('dd', {}, `${formatScore(r.winner.efficiency)} (the original scores 1)`),
      h('dt', {}, 'Verified on'),
      h('dd', {}, `${r.tests.cases} cases${c?.verification ? `, ${c.verification.passed} passed` : ''}`),
    ),
    c?.explanation ? h('div', { class: 'explanation' }, h('h3', {}, "The model's explanation"), h('p', {}, c.explanation)) : null,
    c?.functionCode ? h('details', { class: 'code' }, h('summary', {}, 'Rewritten function'), h('pre', {}, h('code', {}, c.functionCode))) : null,
  );
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
      bars.push({ group: `L${level}`, label: c.id, estimate: l.speedup.estimate, low: l.speedup.low, high: l.speedup.high, accepted: l.speedup.accepted, highlight: c.id === r.winner?.id });
    }
  }
  const floor = r.benchmark?.noiseFloor ?? 0.05;
  const original = r.benchmark?.original ?? [];
  return section(
    'speedup',
    'Speedup per level',
    h('p', { class: 'hint' }, `Original time ÷ candidate time on the slowest case of each input-size level, with 95% intervals. A speedup counts when its interval clears ${formatSpeedup(1 + floor)}.`),
    speedupChart(bars, 1 + floor, chartWidth()),
    legend([
      ['winner', 'winner'],
      ['accepted', 'clears the threshold'],
      ['plain', 'does not clear it'],
      ['threshold', `threshold ${formatSpeedup(1 + floor)}`],
    ]),
    original.length > 0
      ? h(
          'table',
          { class: 'data' },
          h('caption', {}, "The original's worst-case time per level"),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Original'), h('th', { scope: 'col' }, 'Weight'))),
          h('tbody', {}, original.map((l) => h('tr', {}, h('td', {}, `L${l.level}`), h('td', {}, formatSeconds(l.worstSeconds)), h('td', {}, String(r.benchmark?.hardness[l.level] ?? ''))))),
        )
      : null,
  );
}

function efficiencySection(r: OptimizationReport): HTMLElement | null {
  if (r.candidates.length === 0) return null;
  const ran = r.candidates.filter((c) => c.status !== 'rejected');
  const bars = ran.map((c) => ({ label: c.id, score: c.efficiency.score, passed: c.efficiency.passed, highlight: c.id === r.winner?.id, note: c.efficiency.note }));
  return section(
    'efficiency',
    'Efficiency e_i per candidate',
    h('p', { class: 'hint' }, 'ENAMEL efficiency score: weighted over the timed levels, 1 = as fast as the original, 0 = incorrect or too slow.'),
    bars.length > 0 ? efficiencyChart(bars, chartWidth()) : h('p', {}, 'No candidate ran.'),
    r.candidates.length > ran.length ? h('p', { class: 'hint' }, `${r.candidates.length - ran.length} rejected candidate(s) score 0 and are listed below.`) : null,
  );
}

function effAtKSection(r: OptimizationReport): HTMLElement | null {
  if (r.effAtK.length === 0) return null;
  const n = r.effAtK.length;
  return section(
    'effk',
    `eff@k and pass@k (k = 1…${n})`,
    h('p', { class: 'hint' }, `Expected best efficiency (eff@k) and chance of at least one correct rewrite (pass@k) among k of the ${n} samples.`),
    effAtKChart(r.effAtK, chartWidth()),
    legend([
      ['eff', 'eff@k'],
      ['pass', 'pass@k'],
    ]),
    h('table', { class: 'data compact' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'k'), h('th', { scope: 'col' }, 'eff@k'), h('th', { scope: 'col' }, 'pass@k'))), h('tbody', {}, r.effAtK.map((p) => h('tr', {}, h('td', {}, String(p.k)), h('td', {}, formatScore(p.eff)), h('td', {}, formatScore(p.pass)))))),
  );
}

function matrixSection(r: OptimizationReport): HTMLElement | null {
  const sel = r.selection;
  if (!sel || sel.rows.length === 0) return null;
  const assertCols = sel.columns.filter((c) => c.startsWith('assert:')).length;
  const diffCols = sel.columns.length - assertCols;
  const rankOf = (row: string): number | undefined => sel.b4.ranking.find((g) => g.rows.includes(row))?.rank;
  const table = h(
    'table',
    { class: 'heatmap' },
    h('caption', {}, `${sel.rows.length} solutions × ${sel.columns.length} tests (${assertCols} assertion tests from the model, ${diffCols} differential cases)`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Solution'), assertCols > 0 ? h('th', { scope: 'colgroup', colspan: assertCols, class: 'group' }, 'assertions') : null, diffCols > 0 ? h('th', { scope: 'colgroup', colspan: diffCols, class: 'group' }, 'differential') : null, h('th', { scope: 'col' }, 'Passes'))),
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
          cells.map((v, j) => h('td', { class: v === 1 ? 'pass' : 'fail', title: `${row} ${v === 1 ? 'passes' : 'fails'} ${sel.columns[j]}`, 'aria-label': v === 1 ? 'pass' : 'fail' })),
          h('td', { class: 'count' }, `${passes}/${cells.length}`),
        );
      }),
    ),
  );
  return section('matrix', 'Passing matrix', h('div', { class: 'scroll' }, table), legend([['cell-pass', 'passes'], ['cell-fail', 'fails']]), h('p', { class: 'hint' }, 'Rows in B4’s winning set are outlined; #n is the B4 rank of the row’s consensus set.'));
}

function selectionSection(r: OptimizationReport): HTMLElement | null {
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
  return section(
    'b4',
    'Selection: B4 ranking and baselines',
    h(
      'table',
      { class: 'data' },
      h('caption', {}, 'B4 ranks consensus sets (solutions with identical passing rows) by posterior score'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rank'), h('th', { scope: 'col' }, 'Solutions'), h('th', { scope: 'col' }, 'Tests passed'), h('th', { scope: 'col' }, 'log score'))),
      h('tbody', {}, sel.b4.ranking.map((g) => h('tr', { class: g.rank === 1 ? 'top' : undefined }, h('td', {}, String(g.rank)), h('td', {}, set(g.rows)), h('td', {}, String(g.tests)), h('td', {}, g.score.toFixed(1))))),
    ),
    h(
      'table',
      { class: 'data' },
      h('caption', {}, 'Picks: B4 beside CodeT and MaxPass'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Method'), h('th', { scope: 'col' }, 'Picks'), h('th', { scope: 'col' }, 'Agrees with B4'))),
      h('tbody', {}, h('tr', { class: 'top' }, h('td', {}, 'B4'), h('td', {}, set(sel.b4.top)), h('td', {}, '—')), picks.map(([name, rows]) => h('tr', {}, h('td', {}, name), h('td', {}, set(rows)), h('td', {}, same(rows) ? 'yes' : 'no')))),
    ),
    sel.disagreements.length > 0
      ? h(
          'div',
          { class: 'disagreements' },
          h('h3', {}, 'Tests your code fails'),
          h('ul', {}, sel.disagreements.map((d) => h('li', {}, h('code', {}, d.argsText), ' expected ', h('code', {}, d.expectedText ?? '?'), ', your code gives ', h('code', {}, d.originalText ?? '?')))),
        )
      : null,
  );
}

/** Integrity checks passed out of those run on the timed calls (details in the tooltip). */
function integrityCell(c: OptimizationReport['candidates'][number]): string {
  const checks = c.integrity?.checks;
  if (!checks || checks.length === 0) return '–';
  const failed = checks.filter((k) => !k.passed);
  return failed.length === 0 ? `✓ ${checks.length}/${checks.length}` : `✗ ${failed.map((k) => k.id).join(', ')}`;
}

function candidatesSection(r: OptimizationReport): HTMLElement | null {
  if (r.candidates.length === 0) return null;
  return section(
    'candidates',
    `Candidates (${r.candidates.length})`,
    h(
      'table',
      { class: 'data' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Id'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'e_i'), h('th', { scope: 'col' }, 'Speedup'), h('th', { scope: 'col' }, 'B4'), h('th', { scope: 'col' }, 'Integrity'))),
      h(
        'tbody',
        {},
        r.candidates.map((c) =>
          h(
            'tr',
            { class: c.id === r.winner?.id ? 'top' : undefined, title: c.reason },
            h('td', {}, c.id, c.origin === 'repair' ? h('span', { class: 'muted' }, ` ↺${c.repairOf}`) : null),
            h('td', {}, h('span', { class: `cstatus ${c.status}` }, CANDIDATE_STATUS[c.status])),
            h('td', {}, formatScore(c.efficiency.score)),
            h('td', {}, c.timing?.overall ? `${formatSpeedup(c.timing.overall.estimate)}` : '–'),
            h('td', {}, c.b4Rank !== undefined ? `#${c.b4Rank}` : '–'),
            h('td', { title: c.integrity ? c.integrity.checks.map((k) => `${k.passed ? '✓' : '✗'} ${k.id}: ${k.detail}`).join('\n') : 'not timed' }, integrityCell(c)),
          ),
        ),
      ),
    ),
  );
}

function rejectedSection(r: OptimizationReport): HTMLElement | null {
  const bad = r.candidates.filter((c) => c.status === 'rejected' || c.status === 'wrong' || c.status === 'crashed' || c.status === 'not-faster' || c.status === 'not-run');
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
          h('strong', {}, c.id),
          ' ',
          h('span', { class: `cstatus ${c.status}` }, CANDIDATE_STATUS[c.status]),
          h('p', { class: 'reason' }, c.reason),
          c.verification?.firstFailure?.diffText ? h('pre', { class: 'diff' }, c.verification.firstFailure.diffText) : null,
          c.code ? h('details', { class: 'code' }, h('summary', {}, 'Code'), h('pre', {}, h('code', {}, c.code))) : null,
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
    t.excluded.length > 0 ? h('details', {}, h('summary', {}, `${t.excluded.length} case(s) excluded`), h('ul', {}, t.excluded.map((e) => h('li', {}, `${e.caseId}: ${e.reason}`)))) : null,
    t.dropped.length > 0 ? h('details', {}, h('summary', {}, `${t.dropped.length} test item(s) dropped`), h('ul', {}, t.dropped.map((d) => h('li', {}, `${d.what}: ${d.reason}`)))) : null,
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
      r.llm ? [h('dt', {}, 'Model'), h('dd', {}, `${r.llm.model} (${r.llm.vendor})`), h('dt', {}, 'Tokens'), h('dd', {}, `${formatCount(r.llm.inputTokens)} in + ${formatCount(r.llm.outputTokens)} out${r.llm.estimated ? ' (estimated)' : ''}`), h('dt', {}, 'Cost'), h('dd', {}, formatUsd(r.llm.costUsd))] : [h('dt', {}, 'Model'), h('dd', {}, 'none (supplied candidates and tests)')],
      h('dt', {}, 'Total time'),
      h('dd', {}, formatSeconds(r.timings.total)),
    ),
    r.llm?.stopped ? h('p', { class: 'notice warn' }, r.llm.stopped) : null,
    stages.length > 0 ? h('table', { class: 'data compact' }, h('caption', {}, 'Time per stage'), h('tbody', {}, stages.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, formatSeconds(v)))))) : null,
  );
}

function notesSection(r: OptimizationReport): HTMLElement | null {
  const notes = [...r.notes, ...(r.error ? [`${r.error.kind} error: ${r.error.message}`] : [])];
  if (notes.length === 0 && !r.sandbox) return null;
  return section(
    'notes',
    'Notes',
    notes.length > 0 ? h('ul', {}, notes.map((n) => h('li', {}, n))) : null,
    r.sandbox ? h('p', { class: 'hint' }, `Sandbox: ${r.sandbox.namespaces}; network ${r.sandbox.network}.`) : null,
  );
}

function picker(entries: ReportEntryView[], current: ReportEntryView): HTMLElement | null {
  if (entries.length < 2) return null;
  const select = h('select', { id: 'picker', 'aria-label': 'Result to show' }, entries.map((e) => h('option', { value: e.key, selected: e.key === current.key }, `${e.qualifiedName} — ${e.file} (${STATUS_TEXT[e.report.status]}${e.report.winner ? `, ${formatSpeedup(e.report.winner.speedup.estimate)}` : ''})`)));
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
    h('div', { class: 'run-line' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', {}, `Optimizing ${run.qualifiedName}${run.count > 1 ? ` (${run.index}/${run.count})` : ''} — ${run.text}${run.queued > 0 ? `; ${run.queued} queued` : ''}`)),
    h('div', { class: 'run-line' }, progress, h('button', { type: 'button', class: 'secondary', 'aria-label': 'Cancel the run', onClick: () => post({ type: 'cancel' }) }, 'Cancel')),
  );
}

function render(): void {
  renderRun();
  const entries = last?.entries ?? [];
  const current = entries.find((e) => e.key === selected) ?? entries.find((e) => e.key === last?.selected) ?? entries[0];
  const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
  if (!current) {
    root.replaceChildren(h('p', { class: 'empty' }, 'No efficiency report yet. Click ', h('strong', {}, '⚡ Optimize'), ' above a function, or run ', h('em', {}, 'effopt: Optimize Function at Cursor'), '.'));
    report(undefined);
    return;
  }
  const r = current.report;
  root.replaceChildren(
    ...[picker(entries, current), verdict(current), winnerSection(r), speedupSection(r), efficiencySection(r), effAtKSection(r), matrixSection(r), selectionSection(r), candidatesSection(r), rejectedSection(r), testsSection(r), costSection(r), notesSection(r)].filter((x): x is HTMLElement => x !== null),
  );
  if (focusedId) document.getElementById(focusedId)?.focus();
  report(current.key);
}

/** Tells the host what is on screen (its log and the tests read it). */
function report(key: string | undefined): void {
  const sections = Array.from(root.querySelectorAll('h1, h2')).map((e) => e.textContent ?? '');
  const text = (root.innerText || root.textContent || '').slice(0, 50_000);
  post({ type: 'rendered', key, sections, text });
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
