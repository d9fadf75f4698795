// Scoring and selection (docs/SCORING.md): pure math, no I/O.
export { effAtK, effAtKs, passAtK, passAtKOf } from './effk';
export {
  DEFAULT_EFFICIENCY_CONFIG,
  efficiencyScore,
  efficiencyScoreFromProfile,
  referenceProfile,
  scoreProblem,
  type CensoredRun,
  type EfficiencyConfig,
  type FailedRun,
  type ProblemScore,
  type ReferenceProfile,
  type RunEvent,
  type RunGrid,
  type RunResult,
  type SampleEfficiency,
} from './efficiency';
export { b4LogPosterior, b4Rank, DEFAULT_B4_PRIOR, resolveB4Prior, type B4Prior, type B4PriorInput } from './b4';
export { allBaselines, codeT, codeTPaper, maxPass, mbrExec, random, type Baselines, type CodeTVariant, type RandomSelection } from './baselines';
export {
  rankGroups,
  sameScore,
  summarizeMatrix,
  TIE_TOLERANCE,
  type ConsensusSet,
  type MatrixSummary,
  type PassMatrix,
  type RankedGroup,
  type Selection,
} from './selection';
export { logBeta, logGamma } from './lnBeta';
export { passMatrix } from './passMatrix';
export { runGrid } from './runGrid';
