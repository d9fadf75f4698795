// The engine's one-time set-up work, done ahead of the first run: compiling tree-sitter queries,
// probing what the sandbox may use (namespaces, setpriv, taskset) and which flags the Node runtime
// takes. All of it is synchronous; inside a run it blocks the process for one to two seconds,
// which in VS Code's extension host freezes code lenses and progress (they fell seconds behind).
import { tmpdir } from 'node:os';
import { sandboxCapabilities } from './exec';
import { checkPython, nodeLaunch } from './exec/sandbox/runtimes';
import type { LanguageId } from './languages/types';
import { analyzeSource, extractContext } from './parse';

const SNIPPETS: Record<LanguageId, string> = {
  javascript: 'function f(xs) {\n  const out = [];\n  for (const x of xs) out.push(x);\n  return out;\n}\n',
  typescript: 'function f(xs: number[]): number[] {\n  const out: number[] = [];\n  for (const x of xs) out.push(x);\n  return out;\n}\n',
  tsx: 'function f(xs: number[]): number[] {\n  return xs.map((x) => x);\n}\n',
  python: 'def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out\n',
};

export interface WarmUpResult {
  /** Milliseconds each step took (for the log). */
  steps: Record<string, number>;
  /** Steps that failed: the run that needs them reports the problem properly. */
  failed: string[];
}

/** Does the one-time work for these languages; never throws (a run meets any real problem again). */
export async function warmUp(languages: readonly LanguageId[], options: { pythonPath?: string } = {}): Promise<WarmUpResult> {
  const result: WarmUpResult = { steps: {}, failed: [] };
  const step = async (name: string, work: () => unknown): Promise<void> => {
    const start = performance.now();
    try {
      await work();
    } catch {
      result.failed.push(name);
    }
    result.steps[name] = Math.round(performance.now() - start);
  };
  for (const language of new Set(languages)) {
    await step(`parse ${language}`, async () => {
      await analyzeSource(SNIPPETS[language], language);
      await extractContext(SNIPPETS[language], language, 'f');
    });
  }
  await step('sandbox', () => sandboxCapabilities());
  if (languages.includes('python')) await step('python', () => checkPython(options.pythonPath));
  if (languages.some((l) => l !== 'python')) await step('node', () => nodeLaunch({ memoryMb: 64, readPaths: [], workDir: tmpdir(), exposeGc: false }));
  return result;
}
