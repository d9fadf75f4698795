// Number formats shared by the lenses, notifications and the report panel (no DOM, no vscode).

export { formatInterval, formatSpeedup } from '../core/pipeline/format';

/** Seconds as µs/ms/s. */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  if (s < 1e-3) return `${(s * 1e6).toFixed(s < 1e-5 ? 2 : 1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(s < 1e-2 ? 2 : 1)} ms`;
  return `${s.toFixed(s < 10 ? 2 : 1)} s`;
}

export function formatScore(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : '–';
}

export function formatUsd(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'unknown (no price for this model)';
  return x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
