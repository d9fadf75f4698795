// One program's verification run: a sandbox that loads the program, builds its inputs in the
// program's own scope (generators, assertion expressions) and calls it on every case in order.
// When the sandbox dies on a case (timeout, memory, crash, exit), that case gets the death as its
// outcome and a fresh sandbox continues with the next case (inputs are rebuilt from the same seeds).
import type { AssertionTest } from '../../testgen/types';
import type { AssertionResult, CallResult, GenerateResult, LoadResult } from '../sandbox/protocol';
import { ExecCancelled, hardCallLimitMs, type PreparedGenerator, type PreparedProgram } from '../sandbox/programs';
import { caseSeed } from '../sandbox/seeds';
import { HarnessError, HarnessSession, SandboxDied, type SessionOptions } from '../sandbox/session';
import type { CaseOutcome } from '../types';

export interface AssertionPlan {
  set: string;
  test: AssertionTest;
  argsExpr: string;
  expectedExpr: string;
}

export interface PlannedCase {
  id: string;
  set: string;
  index: number;
}

export interface ProgramRun {
  key: string;
  loadError?: string;
  unsupported?: boolean;
  tamperedOnLoad: string[];
  /** Set when the entry is an instance method (argument 0 of every case is the receiver). */
  receiver?: 'this' | 'self';
  generators: Map<string, GenerateResult | { error: string }>;
  assertions: Map<string, AssertionResult | { error: string }>;
  cases: PlannedCase[];
  outcomes: Map<string, CaseOutcome>;
  /** Bounded previews of the arguments before each call (when requested). */
  argsBefore: Map<string, CallResult['argsBefore']>;
  restarts: number;
}

export interface RunnerOptions {
  session: SessionOptions;
  program: PreparedProgram;
  generators: PreparedGenerator[];
  assertions: AssertionPlan[];
  timeoutMs: number;
  seed: number;
  maxRestarts: number;
  captureArgsBefore: boolean;
  signal?: AbortSignal;
}

const PREVIEW_NODES = 400;

function caseIdOf(g: PreparedGenerator, index: number): string {
  return `L${g.level}/g${g.index}/${index}`;
}

const assertionCaseId = (test: AssertionTest): string => `A/${test.id}`;

function deathOutcome(err: SandboxDied): CaseOutcome {
  const status: CaseOutcome['status'] =
    err.kind === 'timeout'
      ? 'timeout'
      : err.kind === 'memory'
        ? 'memory'
        : err.kind === 'output'
          ? 'output-limit'
          : err.kind === 'exited'
            ? 'exited'
            : 'crashed';
  const outcome: CaseOutcome = { status, stdout: '', stdoutOverflow: err.kind === 'output', seconds: 0, tampered: [], detail: err.message };
  if (err.kind === 'exited' && err.exit.code !== null) outcome.exitCode = err.exit.code;
  return outcome;
}

function callOutcome(r: CallResult): CaseOutcome {
  let status: CaseOutcome['status'] = r.status;
  if (r.stdoutOverflow) status = 'output-limit';
  else if (r.memory) status = 'memory';
  const o: CaseOutcome = { status, stdout: r.stdout, stdoutOverflow: r.stdoutOverflow, seconds: r.seconds, tampered: r.tampered };
  if (r.value !== undefined) o.value = r.value;
  if (r.error) o.error = r.error;
  if (r.exitCode !== undefined) o.exitCode = r.exitCode;
  if (r.argsAfter) o.argsAfter = r.argsAfter;
  if (r.awaited) o.awaited = true;
  if (r.effects) o.effects = r.effects;
  if (status === 'output-limit') o.detail = 'printed more than the stdout limit';
  if (status === 'timeout') o.detail = `no result within ${r.seconds.toFixed(2)} s`;
  return o;
}

export class ProgramRunner {
  private session: HarnessSession | undefined;
  readonly run: ProgramRun;

  constructor(private readonly o: RunnerOptions) {
    this.run = emptyRun(o.program.key);
  }

  private async start(first: boolean): Promise<boolean> {
    if (this.o.signal?.aborted) throw new ExecCancelled();
    const session = await HarnessSession.start({ ...this.o.session, signal: this.o.signal });
    this.session = session;
    const p = this.o.program;
    try {
      const loaded = await session.request<LoadResult>({ op: 'load', program: p.key, source: p.source, entry: p.entry, filename: p.filename }, 30_000);
      if (first) this.run.tamperedOnLoad = loaded.tampered;
      if (loaded.receiver) this.run.receiver = loaded.receiver;
    } catch (err) {
      if (err instanceof HarnessError) {
        this.run.loadError = err.message;
        this.run.unsupported = err.type === 'Unsupported';
        await session.close();
        return false;
      }
      if (err instanceof SandboxDied && err.kind !== 'cancelled') {
        this.run.loadError = `loading the module: ${err.message}`;
        return false;
      }
      throw err;
    }
    for (const g of this.o.generators) {
      if (g.error) {
        this.run.generators.set(g.set, { error: g.error });
        continue;
      }
      try {
        const r = await session.request<GenerateResult>(
          { op: 'generate', program: p.key, set: g.set, code: g.code, seed: g.seed, previewNodes: PREVIEW_NODES, timeoutMs: this.o.timeoutMs },
          hardCallLimitMs(this.o.timeoutMs),
        );
        if (first) this.run.generators.set(g.set, r);
      } catch (err) {
        if (err instanceof HarnessError) {
          if (first) this.run.generators.set(g.set, { error: err.message });
          continue;
        }
        if (err instanceof SandboxDied && err.kind !== 'cancelled') {
          // A generator that kills the process: drop it and start over without it.
          this.run.generators.set(g.set, { error: `generate(rng) ${err.message}` });
          g.error = `generate(rng) ${err.message}`;
          return this.restart(first);
        }
        throw err;
      }
    }
    for (const a of this.o.assertions) {
      try {
        const r = await session.request<AssertionResult>(
          {
            op: 'assertion',
            program: p.key,
            set: a.set,
            argsExpr: a.argsExpr,
            expectedExpr: a.expectedExpr,
            previewNodes: PREVIEW_NODES,
            timeoutMs: this.o.timeoutMs,
          },
          hardCallLimitMs(this.o.timeoutMs),
        );
        if (first) this.run.assertions.set(a.set, r);
      } catch (err) {
        if (err instanceof HarnessError) {
          if (first) this.run.assertions.set(a.set, { error: err.message });
          continue;
        }
        throw err;
      }
    }
    return true;
  }

  private async restart(first: boolean): Promise<boolean> {
    await this.session?.close();
    this.run.restarts++;
    return this.start(first);
  }

  /** Loads, builds the inputs and calls the program on every case. */
  async execute(): Promise<ProgramRun> {
    try {
      if (!(await this.start(true))) return this.run;
      const cases: PlannedCase[] = [];
      for (const g of this.o.generators) {
        const r = this.run.generators.get(g.set);
        if (r && !('error' in r)) for (let i = 0; i < r.count; i++) cases.push({ id: caseIdOf(g, i), set: g.set, index: i });
      }
      for (const a of this.o.assertions) {
        const r = this.run.assertions.get(a.set);
        if (r && !('error' in r)) cases.push({ id: assertionCaseId(a.test), set: a.set, index: 0 });
      }
      this.run.cases = cases;
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i];
        if (this.o.signal?.aborted) throw new ExecCancelled();
        if (!this.session?.alive) {
          if (this.run.restarts >= this.o.maxRestarts) {
            for (const rest of cases.slice(i))
              this.run.outcomes.set(rest.id, {
                status: 'skipped',
                stdout: '',
                stdoutOverflow: false,
                seconds: 0,
                tampered: [],
                detail: `the sandbox died ${this.run.restarts + 1} times; remaining cases not run`,
              });
            break;
          }
          await this.restart(false);
        }
        const session = this.session as HarnessSession;
        try {
          const r = await session.request<CallResult>(
            {
              op: 'call',
              program: this.o.program.key,
              input: { set: c.set, index: c.index },
              seed: caseSeed(this.o.seed, c.id),
              timeoutMs: this.o.timeoutMs,
              capture: true,
              previewNodes: PREVIEW_NODES,
            },
            hardCallLimitMs(this.o.timeoutMs),
          );
          this.run.outcomes.set(c.id, callOutcome(r));
          if (this.o.captureArgsBefore) this.run.argsBefore.set(c.id, r.argsBefore);
          if (r.dirty) await session.close();
        } catch (err) {
          if (err instanceof SandboxDied) {
            if (err.kind === 'cancelled') throw new ExecCancelled();
            this.run.outcomes.set(c.id, deathOutcome(err));
            continue;
          }
          if (err instanceof HarnessError) {
            this.run.outcomes.set(c.id, { status: 'error', stdout: '', stdoutOverflow: false, seconds: 0, tampered: [], detail: err.message });
            continue;
          }
          throw err;
        }
      }
      return this.run;
    } catch (err) {
      if (err instanceof SandboxDied && err.kind === 'cancelled') throw new ExecCancelled();
      throw err;
    } finally {
      await this.session?.close();
    }
  }
}

/** A program's record before anything ran. */
export function emptyRun(key: string): ProgramRun {
  return { key, tamperedOnLoad: [], generators: new Map(), assertions: new Map(), cases: [], outcomes: new Map(), argsBefore: new Map(), restarts: 0 };
}
