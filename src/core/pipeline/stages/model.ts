import type { ChatModel } from '../../llm';
import type { OptimizeOptions } from '../options';
import { PipelineInputError } from '../options';

/** The model for a stage that asks the LLM (optimize() checks up front that one is configured when needed). */
export function requireModel(opts: OptimizeOptions): ChatModel {
  if (!opts.model) throw new PipelineInputError('no LLM is configured to generate rewrites');
  return opts.model;
}
