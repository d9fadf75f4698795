// The execution engine's public surface: sandboxed verification and benchmarking of generated code.
export { verify, passMatrix } from './verify';
export { benchmark } from './benchmark';
export { runGrid } from './enamel';
export { cpuLock, CpuLock } from './lock';
export { sandboxCapabilities, liveSandboxPids, type SandboxCapabilities } from './sandbox';
export { checkPython, RuntimeUnavailableError, HarnessBuildError } from './runtimes';
export { ExecCancelled, ExecRequestError } from './programs';
export { transpileForRuntime, TranspileError } from './transpile';
export { compareValues, formatDifferences, DEFAULT_EQUIVALENCE, type EquivalenceOptions, type Difference } from './equivalence';
export { compareOutcomes, describeOutcome } from './outcomes';
export { renderValue, renderArgs } from './render';
export { DEFAULT_SEED, DEFAULT_FIXED_CLOCK_MS } from './seeds';
export type { EValue } from './values';
export type * from './types';
