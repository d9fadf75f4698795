// The execution engine's public surface: sandboxed verification and benchmarking of generated code.
// Inside: sandbox/ (child processes, harnesses, protocol), compare/ (captured values and their
// equivalence), verify/ and benchmark/ (the two stages); types.ts and lock.ts are shared by both.
export { verify } from './verify/verify';
export { benchmark } from './benchmark/benchmark';
export { cpuLock, CpuLock } from './lock';
export { sandboxCapabilities, liveSandboxPids, type SandboxCapabilities } from './sandbox/sandbox';
export { checkPython, RuntimeUnavailableError, HarnessBuildError } from './sandbox/runtimes';
export { ExecCancelled, ExecRequestError } from './sandbox/programs';
export { transpileForRuntime, TranspileError } from './sandbox/transpile';
export { compareValues, formatDifferences, DEFAULT_EQUIVALENCE, type EquivalenceOptions, type Difference } from './compare/equivalence';
export { compareOutcomes, describeOutcome } from './compare/outcomes';
export { renderValue, renderArgs } from './compare/valueText';
export { DEFAULT_SEED, DEFAULT_FIXED_CLOCK_MS } from './sandbox/seeds';
export type { EValue } from './compare/values';
export type * from './types';
