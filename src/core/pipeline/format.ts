// Speedups as text, one rule for the terminal, Markdown, the lenses and the report panel.

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
