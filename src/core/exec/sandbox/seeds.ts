// Seeds derived from (base seed, what, where): every process computes the same seed for the same
// generator or case, so verification and benchmark processes regenerate identical inputs.

export const DEFAULT_SEED = 20240101;
/** 2024-01-01T00:00:00Z */
export const DEFAULT_FIXED_CLOCK_MS = 1704067200000;

/** FNV-1a over the parts' text, as an unsigned 31-bit integer (safe for Python's random.seed too). */
function mixSeed(base: number, ...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const text = [String(base), ...parts.map(String)].join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

export const generatorSeed = (base: number, level: number, index: number): number => mixSeed(base, 'generator', level, index);
export const caseSeed = (base: number, caseId: string): number => mixSeed(base, 'case', caseId);
