// Speedups, times and money as text, one rule each for the terminal, Markdown, the log, the lenses
// and the report panel.

/**
 * Three significant digits (0.713×, 1.05×, 2.29×, 10.1×, 307×, 4521×): enough to tell an interval's ends apart
 * at any size, so a report never reads "10× (10×–10×)".
 */
export function formatSpeedup(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return (Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(3)) + '×';
}

/** An interval's ends, `2.25×–2.31×`. */
export function formatInterval(i: { low: number; high: number }): string {
  return `${formatSpeedup(i.low)}–${formatSpeedup(i.high)}`;
}

/** Seconds as µs/ms/s with three or four significant digits (– when unknown). */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  if (s < 1e-3) return `${(s * 1e6).toFixed(s < 1e-5 ? 2 : 1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(s < 1e-2 ? 2 : 1)} ms`;
  return `${s.toFixed(s < 10 ? 2 : 1)} s`;
}

/** US dollars: four decimals below a cent, two above. */
export function formatUsd(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'unknown (no price for this model)';
  return x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}
