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
  | { type: 'state'; protocol: typeof PROTOCOL_VERSION; entries: ReportEntryView[]; selected?: string; run?: RunView }
  | { type: 'run'; run?: RunView };

export type EntryAction = 'diff' | 'apply' | 'dismiss' | 'rerun' | 'reveal';
export const ENTRY_ACTIONS: readonly EntryAction[] = ['diff', 'apply', 'dismiss', 'rerun', 'reveal'];

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'select'; key: string }
  | { type: 'action'; action: EntryAction; key: string }
  | { type: 'cancel' }
  /** After each render: what the panel now shows (headings and text), for logs and tests. */
  | { type: 'rendered'; key?: string; sections: string[]; text: string; collapsed?: string[]; allText?: string };

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
      return (m.key === undefined || isString(m.key)) && Array.isArray(m.sections) && m.sections.every(isString) && isString(m.text) && (m.collapsed === undefined || (Array.isArray(m.collapsed) && m.collapsed.every(isString))) && (m.allText === undefined || isString(m.allText));
    default:
      return false;
  }
}
