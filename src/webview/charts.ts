// Charts as SVG, drawn at the panel's pixel width (no scaling: text stays readable in a narrow
// sidebar). Colours come from CSS classes that use the theme's --vscode-charts-* variables.
import { s, h } from './dom';
import { formatScore, formatSpeedup } from './format';

const FONT = 11;
const ROW = 18;

export interface SpeedupBar {
  /** The input-size level the bar belongs to ("n = 7,000" or "L2"), drawn as a row heading. */
  group: string;
  /** The candidate ("set lookup"). */
  label: string;
  /** Longer text for the tooltip (label and id). */
  title?: string;
  estimate: number;
  low: number;
  high: number;
  accepted: boolean;
  highlight: boolean;
}

/** Axis labels: 0.5×, 1×, 20× (fewer digits than the values themselves). */
const tickLabel = (t: number): string => `${t}×`;

function logTicks(min: number, max: number): number[] {
  const candidates = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
  return candidates.filter((t) => t >= min && t <= max);
}

function svgRoot(width: number, height: number, label: string): SVGSVGElement {
  return s('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label });
}

/** Room for the longest label at the chart's font (about 6 px a character), at most 40% of the width. */
function labelRoom(labels: string[], width: number, min: number): { width: number; fit: (t: string) => string } {
  const chars = Math.max(4, Math.floor((width * 0.4) / 6));
  const longest = Math.max(0, ...labels.map((l) => l.length));
  const fit = (t: string): string => (t.length > chars ? t.slice(0, chars - 1) + '…' : t);
  return { width: Math.max(min, Math.min(longest, chars) * 6 + 8), fit };
}

/** Whether a bar's class means: the winner, clears the threshold, does not, slower than the original. */
function speedupBarClass(b: Pick<SpeedupBar, 'highlight' | 'accepted' | 'estimate'>): 'winner' | 'accepted' | 'slower' | 'plain' {
  return b.highlight ? 'winner' : b.accepted ? 'accepted' : b.estimate < 1 ? 'slower' : 'plain';
}

/**
 * Horizontal bars on a log scale from 1× to the estimate, with the 95% interval as a whisker,
 * grouped under a heading per input size; dashed lines at 1× and at the acceptance threshold.
 */
export function speedupChart(bars: SpeedupBar[], threshold: number, width: number): SVGSVGElement {
  const room = labelRoom(
    bars.map((b) => b.label),
    width,
    40,
  );
  const labelWidth = room.width;
  const valueWidth = 44;
  const top = 6;
  const axis = 18;
  const groups = [...new Set(bars.map((b) => b.group))];
  const height = top + (bars.length + groups.length) * ROW + axis;
  const lows = bars.map((b) => Math.max(1e-3, Math.min(b.low, b.estimate)));
  const highs = bars.map((b) => Math.max(b.high, b.estimate));
  const min = Math.min(0.5, ...lows) / 1.15;
  const max = Math.max(2, threshold * 1.2, ...highs) * 1.15;
  const plotLeft = labelWidth;
  const plotRight = Math.max(plotLeft + 60, width - valueWidth);
  const x = (v: number): number => plotLeft + ((Math.log(Math.max(v, min)) - Math.log(min)) / (Math.log(max) - Math.log(min))) * (plotRight - plotLeft);
  const svg = svgRoot(
    width,
    height,
    `Speedup per input size with 95% intervals: ${bars.map((b) => `${b.group}, ${b.title ?? b.label}: ${formatSpeedup(b.estimate)} (${formatSpeedup(b.low)} to ${formatSpeedup(b.high)})`).join('; ')}`,
  );
  const plotBottom = height - axis;
  let lastTickX = -Infinity;
  for (const t of logTicks(min, max)) {
    if (x(t) - lastTickX < 30) continue; // keep labels apart in a narrow panel
    lastTickX = x(t);
    svg.append(
      s('line', { class: 'grid', x1: x(t), x2: x(t), y1: top, y2: plotBottom }),
      s('text', { class: 'tick', x: x(t), y: plotBottom + 13, 'text-anchor': 'middle' }, tickLabel(t)),
    );
  }
  svg.append(s('line', { class: 'ref', x1: x(1), x2: x(1), y1: top - 2, y2: plotBottom }));
  svg.append(
    s(
      'line',
      { class: 'threshold', x1: x(threshold), x2: x(threshold), y1: top - 2, y2: plotBottom },
      s('title', {}, `acceptance threshold ${formatSpeedup(threshold)}`),
    ),
  );
  let y = top;
  let lastGroup: string | undefined;
  for (const b of bars) {
    if (b.group !== lastGroup) {
      lastGroup = b.group;
      svg.append(s('text', { class: 'group', x: 0, y: y + ROW / 2 + FONT / 2 - 2 }, b.group));
      y += ROW;
    }
    const cy = y + ROW / 2;
    const from = x(1);
    const to = x(b.estimate);
    const cls = `bar ${speedupBarClass(b)}`;
    svg.append(
      s('text', { class: 'label', x: 8, y: cy + FONT / 2 - 2 }, room.fit(b.label)),
      s(
        'rect',
        { class: cls, x: Math.min(from, to), y: cy - 5, width: Math.max(1, Math.abs(to - from)), height: 10 },
        s(
          'title',
          {},
          `${b.group}, ${b.title ?? b.label}: ${formatSpeedup(b.estimate)} (95% interval ${formatSpeedup(b.low)}–${formatSpeedup(b.high)})${b.accepted ? ', clears the threshold' : ''}`,
        ),
      ),
      s('line', { class: 'whisker', x1: x(b.low), x2: x(b.high), y1: cy, y2: cy }),
      s('line', { class: 'whisker', x1: x(b.low), x2: x(b.low), y1: cy - 4, y2: cy + 4 }),
      s('line', { class: 'whisker', x1: x(b.high), x2: x(b.high), y1: cy - 4, y2: cy + 4 }),
      s('text', { class: 'value', x: plotRight + 4, y: cy + FONT / 2 - 2 }, formatSpeedup(b.estimate)),
    );
    y += ROW;
  }
  return svg;
}

export interface ScoreBar {
  label: string;
  title?: string;
  score: number;
  passed: boolean;
  highlight: boolean;
  note?: string;
}

/** A score bar's class: the winner, faster than the original, correct but not faster, incorrect. */
function scoreBarClass(b: Pick<ScoreBar, 'highlight' | 'passed' | 'score'>): 'winner' | 'accepted' | 'plain' | 'failed' {
  return b.highlight ? 'winner' : b.passed ? (b.score > 1 ? 'accepted' : 'plain') : 'failed';
}

/** e_i per candidate on a linear scale with the original's score (1) marked. */
export function efficiencyChart(bars: ScoreBar[], width: number): SVGSVGElement {
  const room = labelRoom(
    bars.map((b) => b.label),
    width,
    44,
  );
  const labelWidth = room.width;
  const valueWidth = 40;
  const top = 6;
  const axis = 18;
  const height = top + bars.length * ROW + axis;
  const max = Math.max(1.25, ...bars.map((b) => b.score)) * 1.08;
  const plotRight = Math.max(labelWidth + 60, width - valueWidth);
  const x = (v: number): number => labelWidth + (Math.max(0, v) / max) * (plotRight - labelWidth);
  const svg = svgRoot(
    width,
    height,
    `ENAMEL efficiency score e_i per candidate (the original scores 1): ${bars.map((b) => `${b.label} ${formatScore(b.score)}`).join('; ')}`,
  );
  const plotBottom = height - axis;
  const step = max > 6 ? 2 : max > 3 ? 1 : 0.5;
  for (let t = 0; t <= max; t += step)
    svg.append(
      s('line', { class: 'grid', x1: x(t), x2: x(t), y1: top, y2: plotBottom }),
      s('text', { class: 'tick', x: x(t), y: plotBottom + 13, 'text-anchor': 'middle' }, String(t)),
    );
  svg.append(s('line', { class: 'ref', x1: x(1), x2: x(1), y1: top - 2, y2: plotBottom }, s('title', {}, 'the original (reference) scores 1')));
  bars.forEach((b, i) => {
    const cy = top + i * ROW + ROW / 2;
    const cls = `bar ${scoreBarClass(b)}`;
    svg.append(
      s('text', { class: 'label', x: 0, y: cy + FONT / 2 - 2 }, room.fit(b.label)),
      s(
        'rect',
        { class: cls, x: x(0), y: cy - 5, width: Math.max(b.passed ? 2 : 1, x(b.score) - x(0)), height: 10 },
        s('title', {}, `${b.title ?? b.label}: e_i = ${formatScore(b.score)}${b.passed ? '' : ' (incorrect or not run)'}${b.note ? ` — ${b.note}` : ''}`),
      ),
      s('text', { class: 'value', x: plotRight + 4, y: cy + FONT / 2 - 2 }, formatScore(b.score)),
    );
  });
  return svg;
}

/**
 * One of eff@k or pass@k for k = 1..n as a line on its own axis: eff@k is on the e_i scale
 * (1 = the original), pass@k is a probability (0–100%). Two axes would mislead on one chart.
 */
export function atKChart(points: Array<{ k: number; value: number }>, opts: { kind: 'eff' | 'pass'; width: number }): SVGSVGElement {
  const { kind, width } = opts;
  const left = 34;
  const right = 10;
  const top = 10;
  const bottom = 22;
  const height = 120;
  const n = points.length;
  const max = kind === 'pass' ? 1 : Math.max(1, ...points.map((p) => p.value)) * 1.1;
  const x = (k: number): number => (n <= 1 ? (left + width - right) / 2 : left + ((k - 1) / (n - 1)) * (width - left - right));
  const y = (v: number): number => top + (1 - v / max) * (height - top - bottom);
  const show = (v: number): string => (kind === 'pass' ? `${Math.round(v * 100)}%` : formatScore(v));
  const name = kind === 'pass' ? 'pass@k' : 'eff@k';
  const svg = svgRoot(width, height, `${name} for k = 1 to ${n}: ${points.map((p) => `k=${p.k}: ${show(p.value)}`).join('; ')}`);
  svg.classList.add(`chart-${kind}`);
  const ticks = kind === 'pass' ? [0, 0.5, 1] : Array.from({ length: Math.floor(max / (max > 3 ? 1 : 0.5)) + 1 }, (_, i) => i * (max > 3 ? 1 : 0.5));
  for (const t of ticks)
    svg.append(
      s('line', { class: 'grid', x1: left, x2: width - right, y1: y(t), y2: y(t) }),
      s('text', { class: 'tick', x: left - 4, y: y(t) + 4, 'text-anchor': 'end' }, kind === 'pass' ? `${t * 100}%` : String(t)),
    );
  if (kind === 'eff') svg.append(s('line', { class: 'ref', x1: left, x2: width - right, y1: y(1), y2: y(1) }, s('title', {}, 'the original scores 1')));
  for (const p of points) svg.append(s('text', { class: 'tick', x: x(p.k), y: height - 6, 'text-anchor': 'middle' }, String(p.k)));
  if (n > 0) {
    svg.append(s('polyline', { class: `line ${kind}`, points: points.map((p) => `${x(p.k)},${y(p.value)}`).join(' '), fill: 'none' }));
    for (const p of points)
      svg.append(
        s('circle', { class: `dot ${kind}`, cx: x(p.k), cy: y(p.value), r: 3 }, s('title', {}, `${name.replace('k', String(p.k))} = ${show(p.value)}`)),
      );
  }
  return svg;
}

/** Legend entries for a chart (HTML, so it wraps in a narrow panel). */
export function legend(items: Array<[string, string]>): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    items.map(([cls, text]) => h('li', {}, h('span', { class: `swatch ${cls}` }), text)),
  );
}
