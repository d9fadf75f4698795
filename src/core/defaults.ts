// Values more than one part of the engine must agree on, defined once.

/** The program id of the user's own function in verification, benchmarks and the passing matrix. */
export const ORIGINAL_ID = 'original';

/** ENAMEL's hardness weights per input level (level 0 checks correctness only). */
export const DEFAULT_LEVELS: readonly number[] = Object.freeze([0, 3, 3, 4]);

/** Benchmark rounds per case and program (three at least give a confidence interval). */
export const DEFAULT_REPEATS = 6;
