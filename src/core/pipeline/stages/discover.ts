// Stage 1: find the function in the file and check that effopt can call it on its own.
import { privateNames } from '../../exec/sandbox/harness/private-names';
import { targetFromContext } from '../../llm';
import { extractContext, FunctionNotFound, languageForPath, ParseInputError } from '../../parse';
import type { Discovered, RunContext } from '../context';
import { PipelineInputError } from '../options';

export async function discover(ctx: RunContext): Promise<Discovered> {
  const { opts } = ctx;
  const language = opts.language ?? languageForPath(opts.filePath);
  if (!language) throw new PipelineInputError(`cannot tell the language of ${opts.filePath} (known: .js .jsx .mjs .cjs .ts .mts .cts .tsx .py)`);
  let context;
  try {
    context = await extractContext(opts.source, language, opts.functionName, { signal: opts.signal });
  } catch (err) {
    if (err instanceof FunctionNotFound || err instanceof ParseInputError) throw new PipelineInputError(err.message);
    throw err;
  }
  const fn = context.target;
  if (!fn.optimizable) throw new PipelineInputError(`${fn.qualifiedName} is not optimizable: ${fn.reason ?? 'unsupported kind'}`);
  const entry = context.accessPath;
  if (!entry)
    throw new PipelineInputError(`${fn.qualifiedName} cannot be called on its own (a nested or private function); optimize the function that contains it`);
  if (entry.includes('.prototype.')) {
    // A receiver built without the constructor has no #private fields (the harness refuses too; here before any LLM call).
    const found = privateNames(context.container.text);
    if (found.length > 0)
      throw new PipelineInputError(
        `${fn.qualifiedName} is an instance method of a class with #private members (${found.slice(0, 3).join(', ')}): effopt builds the instance from its fields without running the constructor, so private fields cannot be set up; make them ordinary fields to optimize this method`,
      );
  }
  if (context.truncated)
    ctx.notes.push('The function’s context was cut at the size bound: some referenced declarations are missing from the standalone module.');
  return { language, context, entry, target: targetFromContext(context, opts.filePath) };
}
