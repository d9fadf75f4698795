// Number formats shared by the lenses, notifications and the report panel (no DOM, no vscode).

/** 2.4×, 15×, 1.03× — the precision a human needs at that size. */
export function formatSpeedup(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return (x >= 10 ? x.toFixed(0) : x >= 2 ? x.toFixed(1) : x.toFixed(2)) + '×';
}

export function formatInterval(i: { low: number; high: number }): string {
  return `${formatSpeedup(i.low)}–${formatSpeedup(i.high)}`;
}

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
