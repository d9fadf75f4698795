// Tokens and money for one run. Every request reserves its worst case (estimated input + the
// output cap) before it is sent and settles with the real usage afterwards, so parallel requests
// can never overshoot a cap: a request that could exceed it is not sent, and the run says why.
import { LlmError } from './errors';
import type { TokenUsage } from './types';

/** USD per one million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices of a few OpenAI models (USD per 1M tokens, standard tier, as published in 2025).
 * Prices change: override or extend them with the `prices` setting. Models not listed (local
 * servers, Azure deployments with custom names) have an unknown cost; their tokens still count.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  o3: { input: 2, output: 8 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
});

/**
 * The price of a model: exact name, then the name without a provider prefix (`openai/gpt-4o`),
 * then the name without a date suffix (`gpt-4o-mini-2024-07-18`). Never a looser prefix match:
 * `gpt-4o-audio-preview` is not `gpt-4o`.
 */
export function lookupPrice(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice | undefined {
  const names = [model, model.slice(model.lastIndexOf('/') + 1)];
  for (const name of names) {
    const hit = table[name] ?? table[name.replace(/-(\d{4}-\d{2}-\d{2}|\d{4})$/, '')];
    if (hit) return hit;
  }
  return undefined;
}

export const costOf = (usage: Pick<TokenUsage, 'inputTokens' | 'outputTokens'>, price: ModelPrice): number =>
  (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1e6;

export interface BudgetLimits {
  /** Cap on input + output tokens for the run; 0 or undefined = no cap. */
  maxTokens?: number;
  /** Cap on the run's cost in USD; 0 or undefined = no cap. Needs a known price for the model. */
  maxCostUsd?: number;
}

export interface ModelSpend {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
  /** Undefined when the model has no known price. */
  costUsd?: number;
}

export interface BudgetReport {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** True when some counts were estimated (no usage from the server). */
  estimated: boolean;
  /** Sum over priced models; undefined when no model used had a price. */
  costUsd?: number;
  /** Models used without a known price: their cost is not in `costUsd`. */
  unpricedModels: string[];
  limits: BudgetLimits;
  /** Why generation stopped early, when the cap was hit. */
  stopped?: string;
  byModel: Record<string, ModelSpend>;
}

/** A request's hold on the budget until its real usage is known. */
export interface BudgetReservation {
  /** Books the real (or estimated) usage and frees the hold. Idempotent with `release`. */
  settle(usage: TokenUsage): void;
  /** Frees the hold without booking anything (the request cost nothing, e.g. a 429). */
  release(): void;
}

export class Budget {
  private readonly spend = new Map<string, ModelSpend>();
  private reservedTokens = 0;
  private reservedCost = 0;
  private stoppedReason: string | undefined;
  readonly limits: BudgetLimits;

  constructor(
    limits: BudgetLimits = {},
    private readonly prices: PriceTable = DEFAULT_PRICES,
  ) {
    this.limits = { ...limits };
  }

  /** The reason the budget refused a request, once it has. */
  get stopped(): string | undefined {
    return this.stoppedReason;
  }

  priceOf(model: string): ModelPrice | undefined {
    return lookupPrice(model, this.prices);
  }

  /**
   * Holds the worst case of a request before it is sent. Throws an LlmError of kind `budget`
   * (and remembers why) when the request could push the run over a cap.
   */
  reserve(model: string, inputTokens: number, maxOutputTokens: number): BudgetReservation {
    const check = this.check(model, inputTokens, maxOutputTokens);
    if ('refusal' in check) {
      this.stoppedReason ??= check.refusal;
      throw new LlmError('budget', `Stopped before sending another request: ${check.refusal}`);
    }
    const { tokens, cost } = check;
    this.reservedTokens += tokens;
    this.reservedCost += cost;
    let open = true;
    const close = (): void => {
      if (!open) return;
      open = false;
      this.reservedTokens -= tokens;
      this.reservedCost -= cost;
    };
    return {
      settle: (usage) => {
        if (!open) return;
        close();
        this.record(model, usage);
      },
      release: close,
    };
  }

  /** Whether `reserve` would accept the request now (no side effects). */
  fits(model: string, inputTokens: number, maxOutputTokens: number): boolean {
    return !('refusal' in this.check(model, inputTokens, maxOutputTokens));
  }

  private check(model: string, inputTokens: number, maxOutputTokens: number): { tokens: number; cost: number } | { refusal: string } {
    const { maxTokens, maxCostUsd } = this.limits;
    const tokens = inputTokens + maxOutputTokens;
    const totals = this.totals();
    if (maxTokens && maxTokens > 0 && totals.tokens + this.reservedTokens + tokens > maxTokens) {
      return {
        refusal:
          `token budget reached: ${fmtInt(totals.tokens)} of ${fmtInt(maxTokens)} tokens used` +
          (this.reservedTokens > 0 ? ` (${fmtInt(this.reservedTokens)} more held by requests in flight)` : '') +
          `, and the next request may need up to ${fmtInt(tokens)} (≈${fmtInt(inputTokens)} in + ${fmtInt(maxOutputTokens)} out). Raise effopt.budgetTokens or lower effopt.maxTokens/effopt.samples.`,
      };
    }
    let cost = 0;
    if (maxCostUsd && maxCostUsd > 0) {
      const price = this.priceOf(model);
      if (!price) {
        return {
          refusal: `a cost cap of $${maxCostUsd} is set but the price of model "${model}" is unknown, so the cap cannot be enforced. Add the model to effopt.prices (USD per 1M input/output tokens) or cap tokens with effopt.budgetTokens instead.`,
        };
      }
      cost = costOf({ inputTokens, outputTokens: maxOutputTokens }, price);
      const spent = totals.cost;
      if (spent + this.reservedCost + cost > maxCostUsd) {
        return {
          refusal:
            `cost budget reached: $${fmtUsd(spent)} of $${fmtUsd(maxCostUsd)} spent` +
            (this.reservedCost > 0 ? ` ($${fmtUsd(this.reservedCost)} more held by requests in flight)` : '') +
            `, and the next request may cost up to $${fmtUsd(cost)}. Raise effopt.budgetUsd or lower effopt.maxTokens/effopt.samples.`,
        };
      }
    }
    return { tokens, cost };
  }

  /** Books usage that was not reserved (or settles by hand). */
  record(model: string, usage: TokenUsage): void {
    const entry = this.spend.get(model) ?? { requests: 0, inputTokens: 0, outputTokens: 0, estimated: false };
    entry.requests += 1;
    entry.inputTokens += usage.inputTokens;
    entry.outputTokens += usage.outputTokens;
    entry.estimated ||= usage.estimated;
    const price = this.priceOf(model);
    entry.costUsd = price ? costOf(entry, price) : undefined;
    this.spend.set(model, entry);
  }

  report(): BudgetReport {
    const byModel: Record<string, ModelSpend> = {};
    let requests = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    let estimated = false;
    let costUsd: number | undefined;
    const unpricedModels: string[] = [];
    for (const [model, s] of this.spend) {
      byModel[model] = { ...s };
      requests += s.requests;
      inputTokens += s.inputTokens;
      outputTokens += s.outputTokens;
      estimated ||= s.estimated;
      if (s.costUsd === undefined) unpricedModels.push(model);
      else costUsd = (costUsd ?? 0) + s.costUsd;
    }
    return {
      requests,
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      estimated,
      costUsd,
      unpricedModels,
      limits: { ...this.limits },
      stopped: this.stoppedReason,
      byModel,
    };
  }

  private totals(): { tokens: number; cost: number } {
    let tokens = 0;
    let cost = 0;
    for (const s of this.spend.values()) {
      tokens += s.inputTokens + s.outputTokens;
      cost += s.costUsd ?? 0;
    }
    return { tokens, cost };
  }
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtUsd = (n: number): string => (n >= 1 ? n.toFixed(2) : n.toPrecision(2));

/** One-line human summary: "12,345 tokens (10,000 in, 2,345 out, estimated) · $0.0042". */
export function formatSpend(report: BudgetReport): string {
  const parts = [
    `${fmtInt(report.totalTokens)} tokens (${fmtInt(report.inputTokens)} in, ${fmtInt(report.outputTokens)} out${report.estimated ? ', partly estimated' : ''})`,
  ];
  if (report.costUsd !== undefined) parts.push(`$${report.costUsd.toFixed(4)}`);
  if (report.unpricedModels.length > 0) parts.push(`cost unknown for ${report.unpricedModels.join(', ')}`);
  return parts.join(' · ');
}
