// The one message protocol between the extension host and the report panel (the side view and
// the editor tab run the same bundle).
// Both sides import this file; the host validates what the webview sends (isWebviewMessage).
import type { OptimizationReport, Stage } from '../core/pipeline/report';

export const PROTOCOL_VERSION = 1;

/** One function's result as the panel shows it. */
export interface ReportEntryView {
  key: string;
  /** Workspace-relative path of the file. */
  file: string;
  qualifiedName: string;
  report: OptimizationReport;
  /** The file changed since the run read it: Apply would refuse. */
  stale: boolean;
  applied: boolean;
  /** A proposal exists and can be shown as a diff. */
  hasProposal: boolean;
  /** The proposal needs a second confirmation (the tests disagree with the user's code). */
  flagged: boolean;
}

export interface RunView {
  key: string;
  qualifiedName: string;
  file: string;
  stage?: Stage;
  /** The stage in words with counts, e.g. "benchmarking 2/3". */
  text: string;
  /** 0..1 through this function's run. */
  fraction: number;
  index: number;
  count: number;
  queued: number;
}

export type HostMessage =
  { type: 'state'; protocol: typeof PROTOCOL_VERSION; entries: ReportEntryView[]; selected?: string; run?: RunView } | { type: 'run'; run?: RunView };

export type EntryAction = 'diff' | 'apply' | 'dismiss' | 'rerun' | 'reveal';
export const ENTRY_ACTIONS: readonly EntryAction[] = ['diff', 'apply', 'dismiss', 'rerun', 'reveal'];

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'select'; key: string }
  | { type: 'action'; action: EntryAction; key: string }
  | { type: 'cancel' }
  /** After each render: what the panel now shows (headings and text), for logs and tests. */
  | { type: 'rendered'; key?: string; sections: string[]; text: string; collapsed?: string[]; allText?: string; inspect?: RenderInspection };

/** Facts about the rendered DOM that text cannot show (for the tests and the log). */
export interface RenderInspection {
  /** Element names inside the model's explanation, in document order, each once. */
  explanationTags: string[];
  /** Token spans per kind in the rewritten function's code block. */
  codeTokens: Record<string, number>;
  /** Chart bar classes that the legend of their section does not explain. */
  unexplainedBars: string[];
  /** Charts in the eff@k / pass@k section. */
  atKCharts: number;
  /** The surface: 'view' (side bar) or 'editor' (tab). */
  surface: string;
}

const isInspection = (x: unknown): x is RenderInspection => {
  if (typeof x !== 'object' || x === null) return false;
  const i = x as Record<string, unknown>;
  return (
    Array.isArray(i.explanationTags) &&
    i.explanationTags.every((t) => typeof t === 'string') &&
    typeof i.codeTokens === 'object' &&
    i.codeTokens !== null &&
    Array.isArray(i.unexplainedBars) &&
    typeof i.atKCharts === 'number' &&
    typeof i.surface === 'string'
  );
};

/** What the webview keeps with vscode.setState (survives the view being disposed and restored). */
export interface PersistedState {
  selected?: string;
  /** Ids of collapsed sections. */
  collapsed: string[];
  /** Ids of sections that start collapsed and were opened. */
  expanded?: string[];
  last?: Extract<HostMessage, { type: 'state' }>;
}

const isString = (x: unknown): x is string => typeof x === 'string';

/** Checks a message from the webview before the host acts on it. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'cancel':
      return true;
    case 'select':
      return isString(m.key);
    case 'action':
      return isString(m.key) && ENTRY_ACTIONS.includes(m.action as EntryAction);
    case 'rendered':
      return (
        (m.key === undefined || isString(m.key)) &&
        Array.isArray(m.sections) &&
        m.sections.every(isString) &&
        isString(m.text) &&
        (m.collapsed === undefined || (Array.isArray(m.collapsed) && m.collapsed.every(isString))) &&
        (m.allText === undefined || isString(m.allText)) &&
        (m.inspect === undefined || isInspection(m.inspect))
      );
    default:
      return false;
  }
}
