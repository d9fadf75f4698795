// Human renderings of a report: Markdown (PR comments, files) and the terminal (with optional
// colour). Both show the same facts in the same order: verdict, candidates, per-level speedups
// of the winner, eff@k, B4 against the baselines, tests, LLM spend, time, the diff.
import { styleText } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { formatSeconds as seconds, formatSpeedup as x, formatUsd } from './format';
import { candidateName, levelName, withInputSizes } from './labels';
import type { CandidateReport, Interval, OptimizationReport, RunStatus } from './report';

const interval = (i: Interval): string => `${x(i.estimate)} [${x(i.low)}, ${x(i.high)}]`;
const num = (v: number): string => v.toFixed(2);

const VERDICT: Record<RunStatus, string> = {
  improved: 'Verified speedup',
  'no-improvement': 'No verified speedup',
  'tests-disagree': 'Tests disagree with the original',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** Unified diff of the file before and after the proposal (just the changed region). */
function proposalDiff(report: OptimizationReport, original: string): string | undefined {
  if (!report.proposal) return undefined;
  const name = report.file.path.split(/[\\/]/).pop() ?? 'file';
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, original, report.proposal.newText, undefined, undefined, { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('===='))
    .join('\n')
    .trimEnd();
}

/** What the overall speedup and e_i are, in words (with this run's weights and α). */
function meaningLines(report: OptimizationReport): string[] {
  const b = report.benchmark;
  if (!b) return [];
  const weights = b.original.map((o) => b.hardness[o.level] ?? 0).filter((w) => w > 0);
  return [
    `Overall speedup: the weighted geometric mean of the per-size speedups${weights.length > 1 ? ` (weights ${weights.join(' : ')})` : ''}.`,
    `e_i (ENAMEL efficiency): 1 = as fast as the original, 0 = wrong or as slow as the time limit (α = ${b.alpha} × the original's slowest time); at most α/(α−1) = ${num(b.alpha / (b.alpha - 1))}.`,
  ];
}

function candidateSpeedup(c: CandidateReport): string {
  return c.timing?.overall ? interval(c.timing.overall) : '—';
}

/** The status cell: a duplicate says which candidate's outcome it has ("same as c1"). */
export function statusText(c: CandidateReport): string {
  return c.status === 'duplicate' && c.duplicateOf ? `same as ${c.duplicateOf}` : c.status;
}

function winnerOf(report: OptimizationReport): CandidateReport | undefined {
  return report.candidates.find((c) => c.id === report.winner?.id);
}

function spend(report: OptimizationReport): string | undefined {
  const l = report.llm;
  if (!l) return undefined;
  const cost = l.costUsd === null ? 'cost unknown (no price for this model)' : formatUsd(l.costUsd);
  return `${l.model} (${l.vendor}): ${l.inputTokens} input + ${l.outputTokens} output tokens${l.estimated ? ' (partly estimated)' : ''}, ${cost}${l.stopped ? ` — stopped: ${l.stopped}` : ''}`;
}

function stageTimes(report: OptimizationReport): string {
  const parts = Object.entries(report.timings)
    .filter(([k]) => k !== 'total')
    .map(([k, v]) => `${k} ${(v as number).toFixed(1)} s`);
  return `${parts.join(' · ')} · total ${report.timings.total.toFixed(1)} s`;
}

function selectionLine(report: OptimizationReport): string | undefined {
  const s = report.selection;
  if (!s) return undefined;
  const show = (rows: string[]) => rows.join(', ') || '—';
  return `B4 selects {${show(s.b4.top)}} · CodeT {${show(s.baselines.codeT)}} · MaxPass {${show(s.baselines.maxPass)}} · MBR-exec {${show(s.baselines.mbrExec)}}`;
}

function testsLine(report: OptimizationReport): string {
  const t = report.tests;
  // "0 cases from 0 generator(s)" would read as if tests were made and found empty.
  if (report.status === 'failed' && t.cases === 0 && t.generators === 0 && t.assertions === 0) return 'none (the run failed before tests were made)';
  return `${t.cases} cases from ${t.generators} generator(s) and ${t.assertions} assertion test(s) (${t.source === 'llm' ? 'written by the LLM' : 'supplied'})${t.excluded.length ? `, ${t.excluded.length} excluded` : ''}${t.dropped.length ? `, ${t.dropped.length} dropped` : ''}`;
}

// ---- Markdown ----

const mdEscape = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Which measurement-integrity checks a timed candidate passed, in one line. */
function integrityLine(c: CandidateReport): string | undefined {
  const checks = c.integrity?.checks;
  if (!checks || checks.length === 0) return undefined;
  const failed = checks.filter((k) => !k.passed);
  return `${checks.length - failed.length}/${checks.length} integrity checks passed${failed.length ? ` (failed: ${failed.map((k) => k.id).join(', ')})` : ''}`;
}

export function renderMarkdown(report: OptimizationReport, original?: string): string {
  const f = report.function;
  const out: string[] = [];
  out.push(`### effopt: \`${f.qualifiedName}\` — ${VERDICT[report.status]}`);
  out.push('');
  out.push(`**${mdEscape(report.summary)}**`);
  out.push('');
  out.push(
    `\`${report.file.path}\` lines ${f.startLine}–${f.endLine} (${f.language})${f.hotnessReasons.length ? ` · hot: ${f.hotnessReasons.map(mdEscape).join('; ')}` : ''}`,
  );
  if (report.error) out.push('', `> ${mdEscape(report.error.message.split('\n')[0])}`);
  // A test your own code fails is news: right under the verdict, before the candidates.
  if (report.selection?.disagreements.length) {
    out.push('', 'Assertion tests your function fails:', '', '| test | input | expected | yours |', '|---|---|---|---|');
    for (const d of report.selection.disagreements)
      out.push(`| ${d.testId} | \`${mdEscape(d.argsText)}\` | \`${mdEscape(d.expectedText ?? '?')}\` | \`${mdEscape(d.originalText ?? '?')}\` |`);
  }
  if (report.candidates.length > 0) {
    out.push('', '| candidate | status | speedup [95% interval] | e_i | B4 rank | why |', '|---|---|---|---|---|---|');
    for (const c of report.candidates)
      out.push(
        `| ${mdEscape(candidateName(c))}${c.origin === 'repair' ? ' (repair)' : ''} | ${statusText(c)} | ${candidateSpeedup(c)} | ${num(c.efficiency.score)} | ${c.b4Rank ?? '—'} | ${mdEscape(withInputSizes(report, c.reason))} |`,
      );
  }
  const w = winnerOf(report);
  if (w?.timing) {
    out.push(
      '',
      `Per input size (slowest case of each size, Hodges–Lehmann over ${report.benchmark?.repeats ?? '?'} rounds; accepted when the interval's lower end clears ${x(1 + (report.benchmark?.noiseFloor ?? 0.05))}):`,
      '',
      '| input size | original | winner | speedup [95% interval] | fixed 5% rule (min of runs) |',
      '|---|---|---|---|---|',
    );
    for (const l of w.timing.levels) {
      const orig = report.benchmark?.original.find((o) => o.level === l.level)?.worstSeconds;
      out.push(
        `| ${levelName(report, l.level)} | ${orig != null ? seconds(orig) : '—'} | ${l.worstSeconds != null ? seconds(l.worstSeconds) : '—'} | ${l.speedup ? interval(l.speedup) + (l.speedup.accepted ? ' ✔' : '') : '—'} | ${l.minRule ? x(l.minRule.speedup) : '—'} |`,
      );
    }
  }
  const meaning = meaningLines(report);
  if (w && meaning.length > 0) out.push('', ...meaning.map((m) => `${m}  `));
  const timed = report.candidates.filter((c) => c.integrity);
  if (timed.length > 0) {
    out.push('', 'Measurement integrity (checks on every timed call):', '', '| candidate | checks | detail |', '|---|---|---|');
    for (const c of timed) {
      const bad = c.integrity!.checks.filter((k) => !k.passed);
      out.push(
        `| ${c.id} | ${integrityLine(c)} | ${mdEscape(bad.length ? bad.map((k) => `${k.id}: ${k.detail}`).join('; ') : (c.integrity!.checks.find((k) => k.id === 'results')?.detail ?? ''))} |`,
      );
    }
  }
  if (report.effAtK.length > 0)
    out.push(
      '',
      `eff@k: ${report.effAtK.map((e) => `k=${e.k} ${num(e.eff)}`).join(' · ')}  `,
      `pass@k: ${report.effAtK.map((e) => `k=${e.k} ${num(e.pass)}`).join(' · ')}`,
    );
  const sel = selectionLine(report);
  if (sel) out.push('', sel);
  out.push('', `Tests: ${testsLine(report)}.`);
  const s = spend(report);
  if (s) out.push(`LLM: ${s}.`);
  out.push(`Time: ${stageTimes(report)}.`);
  const diff = original !== undefined ? proposalDiff(report, original) : undefined;
  if (diff) {
    out.push(
      '',
      `<details><summary>Proposed change (candidate ${report.proposal!.candidateId}${report.proposal!.autoApply ? '' : ', needs confirmation'})</summary>`,
      '',
      '```diff',
      diff,
      '```',
      '',
      '</details>',
    );
  }
  // A duplicate carries its source's verification: its failure is shown once, under the source.
  const failed = report.candidates.filter((c) => c.status !== 'duplicate' && c.verification?.firstFailure?.diffText);
  if (failed.length > 0) {
    out.push('', '<details><summary>Why candidates were rejected</summary>', '');
    for (const c of failed) out.push(`**${mdEscape(candidateName(c))}**`, '', '```', c.verification!.firstFailure!.diffText!, '```', '');
    out.push('</details>');
  }
  if (report.notes.length > 0) out.push('', ...report.notes.map((n) => `- ${mdEscape(n)}`));
  return out.join('\n') + '\n';
}

// ---- terminal ----

type Style = Parameters<typeof styleText>[0];

export function renderTerminal(report: OptimizationReport, options: { color: boolean; original?: string; width?: number }): string {
  const paint = (style: Style, text: string): string => (options.color ? styleText(style, text) : text);
  const f = report.function;
  const out: string[] = [];
  const verdictStyle: Style =
    report.status === 'improved' ? ['green', 'bold'] : report.status === 'failed' || report.status === 'tests-disagree' ? ['red', 'bold'] : ['yellow', 'bold'];
  out.push(`${paint('bold', 'effopt')} · ${f.qualifiedName} (${report.file.path}:${f.startLine}-${f.endLine}, ${f.language})`);
  if (f.hotnessReasons.length) out.push(paint('dim', `hot: ${f.hotnessReasons.join('; ')}`));
  out.push('', paint(verdictStyle, `${report.status === 'improved' ? '✔' : report.status === 'failed' ? '✘' : '•'} ${report.summary}`));
  if (report.error && report.error.kind === 'internal') out.push(paint('dim', report.error.message));
  // A test your own code fails is news: right under the verdict, before the candidates.
  for (const d of report.selection?.disagreements ?? [])
    out.push(paint('red', `  test ${d.testId}: ${d.argsText} expected ${d.expectedText ?? '?'}, your function gives ${d.originalText ?? '?'}`));
  if (report.candidates.length > 0) {
    const rows = report.candidates.map((c) => [
      c.id + (c.origin === 'repair' ? '*' : ''),
      statusText(c),
      candidateSpeedup(c),
      num(c.efficiency.score),
      String(c.b4Rank ?? '—'),
      c.reason,
    ]);
    const head = ['candidate', 'status', 'speedup [95%]', 'e_i', 'B4', 'why'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const width = options.width ?? 120;
    const line = (cells: string[]) => {
      const fixed = cells
        .slice(0, 5)
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ');
      const room = Math.max(20, width - fixed.length - 4);
      const why = cells[5].length > room ? cells[5].slice(0, room - 1) + '…' : cells[5];
      return `  ${fixed}  ${why}`;
    };
    out.push('', paint('bold', line(head)));
    for (const r of rows)
      out.push(r[1] === 'winner' ? paint('green', line(r)) : r[1] === 'wrong' || r[1] === 'crashed' || r[1] === 'rejected' ? paint('dim', line(r)) : line(r));
  }
  const w = winnerOf(report);
  if (w?.timing)
    out.push(
      '',
      `  per input size: ${w.timing.levels.map((l) => `${levelName(report, l.level)}: ${l.speedup ? interval(l.speedup) : (l.failure ?? '—')}`).join('   ')}`,
    );
  if (w) for (const m of meaningLines(report)) out.push(paint('dim', `  ${m}`));
  const wi = w ? integrityLine(w) : undefined;
  if (w && wi) out.push(`  integrity: ${wi}; ${w.integrity!.checks.find((k) => k.id === 'results')?.detail ?? ''}`);
  if (report.effAtK.length > 0)
    out.push(`  eff@k: ${report.effAtK.map((e) => `${e.k}:${num(e.eff)}`).join(' ')}   pass@k: ${report.effAtK.map((e) => `${e.k}:${num(e.pass)}`).join(' ')}`);
  const sel = selectionLine(report);
  if (sel) out.push(`  ${sel}`);
  out.push(`  tests: ${testsLine(report)}`);
  const s = spend(report);
  if (s) out.push(`  LLM: ${s}`);
  out.push(paint('dim', `  time: ${stageTimes(report)}`));
  for (const n of report.notes) out.push(paint('dim', `  note: ${n}`));
  const diff = options.original !== undefined ? proposalDiff(report, options.original) : undefined;
  if (diff) {
    out.push(
      '',
      paint(
        'bold',
        `Proposed change (candidate ${report.proposal!.candidateId})${report.proposal!.autoApply ? '' : ` — ${report.proposal!.confirm?.text ?? 'tests disagree'}: review before applying`}:`,
      ),
    );
    for (const l of diff.split('\n'))
      out.push(
        l.startsWith('+') && !l.startsWith('+++')
          ? paint('green', l)
          : l.startsWith('-') && !l.startsWith('---')
            ? paint('red', l)
            : l.startsWith('@@')
              ? paint('cyan', l)
              : l,
      );
  }
  return out.join('\n') + '\n';
}
