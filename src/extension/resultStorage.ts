// Where finished runs outlive a window reload: one JSON file per result under the workspace's
// storage folder (reports run to ~100 KB, too big for workspaceState) and a small index in
// workspaceState naming the files. A restored result is only trusted against the document text
// whose sha256 its report recorded: ResultStore re-checks that when it loads them.
import * as vscode from 'vscode';
import type { OptimizationReport } from '../core/pipeline';
import { sha256 } from '../core/pipeline';
import type { Log } from './log';

/** One result as stored (format 1). */
export interface StoredResult {
  format: 1;
  key: string;
  uri: string;
  qualifiedName: string;
  /** The document text the run read (the proposal's edits are offsets into it). */
  source: string;
  report: OptimizationReport;
  finishedAt: number;
  applied: boolean;
}

interface StoredIndex {
  format: 1;
  entries: Array<{ key: string; file: string; finishedAt: number }>;
}

const INDEX_KEY = 'effopt.results';

export class ResultStorage {
  /** What each stored file holds, to write only results that changed. */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly memento: vscode.Memento,
    /** The workspace's storage folder; undefined (no folder open) keeps results in memory only. */
    private readonly dir: vscode.Uri | undefined,
    private readonly log: Log,
  ) {}

  get enabled(): boolean {
    return this.dir !== undefined;
  }

  private fileOf(key: string): string {
    return `result-${sha256(key).slice(0, 24)}.json`;
  }

  /** Every stored result that still reads back; unreadable files are skipped (and logged). */
  async load(): Promise<StoredResult[]> {
    if (!this.dir) return [];
    const index = this.memento.get<StoredIndex>(INDEX_KEY);
    if (!index || index.format !== 1 || !Array.isArray(index.entries)) return [];
    const out: StoredResult[] = [];
    for (const e of index.entries) {
      try {
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.dir, e.file));
        const stored = JSON.parse(new TextDecoder().decode(bytes)) as StoredResult;
        if (stored.format !== 1 || stored.key !== e.key || typeof stored.source !== 'string' || !stored.report?.file?.sha256)
          throw new Error('not a stored effopt result');
        this.written.set(stored.key, signature(stored));
        out.push(stored);
      } catch (err) {
        this.log.warn(`could not restore the stored result ${e.key}: ${(err as Error)?.message ?? err}`);
      }
    }
    return out;
  }

  /** Makes storage hold exactly `results`: writes new or changed ones, deletes the rest. */
  async save(results: readonly StoredResult[]): Promise<void> {
    try {
      await this.write(results);
    } catch (err) {
      // Losing persistence must not break runs: the results stay in memory.
      this.log.warn(`could not store effopt results: ${(err as Error)?.message ?? err}`);
    }
  }

  private async write(results: readonly StoredResult[]): Promise<void> {
    if (!this.dir) return;
    await vscode.workspace.fs.createDirectory(this.dir);
    const keep = new Set(results.map((r) => r.key));
    for (const r of results) {
      const sig = signature(r);
      if (this.written.get(r.key) === sig) continue;
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.dir, this.fileOf(r.key)), new TextEncoder().encode(JSON.stringify(r)));
      this.written.set(r.key, sig);
    }
    for (const key of [...this.written.keys()].filter((k) => !keep.has(k))) {
      this.written.delete(key);
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.dir, this.fileOf(key)), { useTrash: false }).then(undefined, () => undefined);
    }
    const index: StoredIndex = { format: 1, entries: results.map((r) => ({ key: r.key, file: this.fileOf(r.key), finishedAt: r.finishedAt })) };
    if (JSON.stringify(this.memento.get(INDEX_KEY)) !== JSON.stringify(index)) await this.memento.update(INDEX_KEY, index);
  }
}

/** Identifies a stored result's content without comparing reports. */
const signature = (r: StoredResult): string => `${r.report.createdAt}|${r.finishedAt}|${r.report.file.sha256}|${r.applied}`;
