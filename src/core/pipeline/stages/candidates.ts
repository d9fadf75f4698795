// Stage 3: the rewrites, supplied or asked of the LLM, each parsed, checked against the file and
// built into a module (or recorded with the reason it cannot run).
import { markDuplicates, parseCandidateReply, requestCandidates, samplingOptions, type CandidateParse } from '../../llm';
import type { Candidate, Discovered, RunContext } from '../context';
import { CandidateConflict, candidateModule, candidateParts } from '../proposal';
import { requireModel } from './model';

export async function obtainCandidates(ctx: RunContext, d: Discovered): Promise<Candidate[]> {
  const { opts } = ctx;
  const supplied = opts.candidates;
  if (supplied) {
    const parses: CandidateParse[] = [];
    for (const [i, c] of supplied.entries()) {
      ctx.progress('candidates', i, supplied.length, 'checking supplied rewrites');
      parses.push(await parseCandidateReply({ text: c.code, finishReason: 'stop' }, d.target, { signal: opts.signal }));
    }
    const marked = markDuplicates(parses);
    // A supplied rewrite has no model's explanation (the reply parser's prose is the code itself)
    // and needs no fence.
    return linkDuplicates(
      await Promise.all(
        marked.map((p, i) =>
          accept(ctx, d, {
            id: supplied[i].id ?? `s${i + 1}`,
            origin: 'supplied',
            parse: p.ok ? { ...p, explanation: '', notes: p.notes.filter((n) => !n.startsWith('no code fence')) } : p,
          }),
        ),
      ),
    );
  }
  const n = opts.settings.samples;
  let received = 0;
  const round = await requestCandidates(requireModel(opts), d.target, n, {
    ...samplingOptions(opts.settings),
    budget: ctx.budget,
    signal: opts.signal,
    onCandidate: () => ctx.progress('candidates', ++received, n, 'rewrites received'),
  });
  ctx.llm.promptVersions.optimize = round.promptVersion;
  if (round.stopped) ctx.llm.stopped = round.stopped.message;
  const slots: Candidate[] = [];
  for (const r of round.results) slots[r.index] = await accept(ctx, d, { id: `c${r.index + 1}`, origin: 'llm', parse: r });
  for (const f of round.failures) slots[f.index] = { id: `c${f.index + 1}`, origin: 'llm', rejected: `no reply: ${f.error.message}` };
  return linkDuplicates(slots.filter(Boolean));
}

/**
 * A duplicate (same code as an earlier candidate, up to formatting and comments) is not run
 * again: it is linked to the first candidate with that code and takes its outcome. It is still a
 * sample of its own: the model produced that code twice, and eff@k / pass@k count every sample.
 */
export function linkDuplicates(candidates: Candidate[], earlier: readonly Candidate[] = []): Candidate[] {
  const firstWith = new Map<string, string>();
  for (const c of [...earlier, ...candidates]) if (c.parse?.ok && !firstWith.has(c.parse.normalized)) firstWith.set(c.parse.normalized, c.id);
  return candidates.map((c) => {
    const p = c.parse;
    const source = p && !p.ok && p.reason === 'duplicate' && p.normalized !== undefined ? firstWith.get(p.normalized) : undefined;
    return source ? { ...c, rejected: undefined, duplicateOf: source } : c;
  });
}

/** Checks a parsed candidate against the file and builds its module, or records why it cannot run. */
export async function accept(ctx: RunContext, d: Discovered, c: Candidate & { parse: CandidateParse }): Promise<Candidate> {
  const p = c.parse;
  if (!p.ok) return { ...c, rejected: p.detail };
  try {
    const parts = await candidateParts(p, d.context, ctx.opts.source);
    return { ...c, parts, module: candidateModule(d.context, parts) };
  } catch (err) {
    if (err instanceof CandidateConflict) return { ...c, rejected: `rejected: ${err.message}` };
    throw err;
  }
}
