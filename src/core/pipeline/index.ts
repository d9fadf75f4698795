// Public API of the pipeline: optimize() and the report it returns.
export { optimize, PipelineInputError, type OptimizeOptions, type PipelineProgress, type SuppliedCandidate, type BenchmarkTuning } from './optimize';
export { applyEdits, minimalEdit, singleEdit, sha256 } from './proposal';
export * from './report';
export { functionChange, reanchorProposal, type Reanchored, type ReanchorInput } from './reanchor';
export { applyHunks, proposalHunks, type Hunk } from './hunks';
export type { TestSuite } from '../testgen/types';
