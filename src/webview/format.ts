// Number formats shared by the lenses, notifications and the report panel (no DOM, no vscode).

export { formatInterval, formatSeconds, formatSpeedup, formatUsd } from '../core/pipeline/format';

export function formatScore(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : '–';
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
