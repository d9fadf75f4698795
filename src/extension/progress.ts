// How a running optimisation shows itself: words for the pipeline's stages, a fraction for the
// notification's progress bar, and a status-bar item that cancels on click.
import * as vscode from 'vscode';
import type { PipelineProgress, Stage } from '../core/pipeline';

export const STAGE_LABELS: Record<Stage, string> = {
  discover: 'reading the function',
  tests: 'asking the model for tests',
  candidates: 'asking the model for rewrites',
  verify: 'verifying rewrites against the tests',
  repair: 'asking for repairs of failed rewrites',
  fuzz: 'fuzzing rewrites against the original',
  select: 'ranking with B4',
  benchmark: 'benchmarking',
  score: 'scoring (eff@k)',
};

/** Where each stage starts and ends on the progress bar (pipeline order; LLM and timing dominate). */
const SPANS: Record<Stage, [number, number]> = {
  discover: [0, 0.02],
  tests: [0.02, 0.15],
  candidates: [0.15, 0.4],
  verify: [0.4, 0.55],
  repair: [0.55, 0.6],
  fuzz: [0.6, 0.62],
  select: [0.62, 0.64],
  benchmark: [0.64, 0.98],
  score: [0.98, 1],
};

/** 0..1 through one run. */
export function runFraction(p: PipelineProgress): number {
  const [from, to] = SPANS[p.stage];
  const within = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  return from + (to - from) * within;
}

export function describeProgress(p: PipelineProgress): string {
  // A stage announces itself as 0/1; counts only mean something for a stage with several steps.
  const counts = p.total > 1 ? ` ${p.done}/${p.total}` : '';
  const detail = p.message ? ` (${p.message})` : '';
  return `${STAGE_LABELS[p.stage]}${counts}${detail}`;
}

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('effopt.run', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'effopt run';
    this.item.command = 'effopt.cancelRun';
  }

  show(functionName: string, progress: PipelineProgress | undefined, queued: number): void {
    const stage = progress ? ` · ${STAGE_LABELS[progress.stage]}` : '';
    const more = queued > 0 ? ` (+${queued} queued)` : '';
    this.item.text = `$(loading~spin) effopt: ${functionName}${stage}${more}`;
    this.item.tooltip = `effopt is optimizing ${functionName}${progress ? `: ${describeProgress(progress)}` : ''}.\nClick to cancel.`;
    this.item.accessibilityInformation = { label: `effopt is optimizing ${functionName}; activate to cancel` };
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
