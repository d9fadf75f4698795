// The examples (examples/examples.json) as the end-to-end tests and bench/pipeline.ts use them,
// and the scripted LLM server's script that answers effopt's prompts for them with the same
// tests and rewrites (test/fixtures/llm-server/scripts/examples.json, generated from the
// examples by `node --import tsx test/unit/e2e/make-script.ts`).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { LanguageId } from '../../../src/core/languages/types';
import { parseSuppliedTests } from '../../../src/core/testgen/supplied';
import type { Script } from '../../fixtures/llm-server/script';

export const ROOT = join(__dirname, '..', '..', '..');
export const EXAMPLES_DIR = join(ROOT, 'examples');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const SCRIPTS_DIR = join(ROOT, 'test', 'fixtures', 'llm-server', 'scripts');
export const EXAMPLES_SCRIPT = join(SCRIPTS_DIR, 'examples.json');
export const SCRIPTED_MODEL = 'scripted-model';

/** What a candidate is meant to show, and the report statuses that show it. */
export type CandidateKind = 'faster' | 'wrong-edge' | 'slower' | 'hangs';
export const EXPECTED_STATUS: Record<CandidateKind, readonly string[]> = {
  faster: ['winner', 'faster'],
  'wrong-edge': ['wrong'],
  slower: ['not-faster'],
  hangs: ['crashed'],
};

export interface ExampleCandidate {
  id: string;
  kind: CandidateKind;
  path: string;
  code: string;
}

export interface Example {
  id: string;
  pattern: string;
  language: LanguageId;
  /** Absolute paths. */
  file: string;
  testsFile: string;
  candidatesDir: string;
  function: string;
  edgeCase: string;
  /** In the order of examples.json (the order the scripted LLM sends them: c1, c2, …). */
  candidates: ExampleCandidate[];
}

interface Manifest {
  timeoutMs: number;
  examples: Array<{
    id: string;
    pattern: string;
    language: LanguageId;
    file: string;
    function: string;
    tests: string;
    candidates: Record<string, CandidateKind>;
    edgeCase: string;
  }>;
}

function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, 'examples.json'), 'utf8')) as Manifest;
}

/** The per-call timeout the examples are meant to run with (the hanging rewrites are cut there). */
export const exampleTimeoutMs = (): number => readManifest().timeoutMs;

export function loadExamples(): Example[] {
  return readManifest().examples.map((e) => {
    const file = join(EXAMPLES_DIR, e.file);
    const candidatesDir = join(dirname(file), 'candidates');
    const onDisk = new Map(readdirSync(candidatesDir).map((f) => [basename(f, extname(f)), join(candidatesDir, f)]));
    const candidates = Object.entries(e.candidates).map(([id, kind]) => {
      const path = onDisk.get(id);
      if (!path) throw new Error(`examples.json: ${e.id} lists candidate ${id}, which is not in ${candidatesDir}`);
      return { id, kind, path, code: readFileSync(path, 'utf8') };
    });
    const unlisted = [...onDisk.keys()].filter((id) => !(id in e.candidates));
    if (unlisted.length > 0) throw new Error(`examples.json: ${e.id} does not list ${unlisted.join(', ')}`);
    return {
      id: e.id,
      pattern: e.pattern,
      language: e.language,
      file,
      testsFile: join(EXAMPLES_DIR, e.tests),
      candidatesDir,
      function: e.function,
      edgeCase: e.edgeCase,
      candidates,
    };
  });
}

const FENCE: Record<LanguageId, string> = { javascript: 'javascript', typescript: 'typescript', tsx: 'tsx', python: 'python' };

/** The leading comment of a candidate file: what the "model" says about its rewrite. */
function explanationOf(code: string, language: LanguageId): string {
  const prefix = language === 'python' ? '#' : '//';
  const lines: string[] = [];
  for (const line of code.split('\n')) {
    if (!line.startsWith(prefix)) break;
    lines.push(line.slice(prefix.length).trim());
  }
  return lines.join(' ');
}

/** A model's reply carrying one rewrite: a fenced block, then a sentence about it. */
export function candidateReply(example: Pick<Example, 'language'>, candidate: Pick<ExampleCandidate, 'code'>): string {
  return `\`\`\`${FENCE[example.language]}\n${candidate.code.trimEnd()}\n\`\`\`\n\n${explanationOf(candidate.code, example.language) || 'A faster version.'}`;
}

/** The test material of tests.json as the JSON reply effopt's tests prompt asks for. */
export function testsReply(example: Pick<Example, 'language' | 'testsFile'>): string {
  const suite = parseSuppliedTests(readFileSync(example.testsFile, 'utf8'), example.language);
  const reply = {
    generators: suite.generators.map((g) => ({ level: g.level, code: g.code })),
    assertions: suite.assertions.map((a) => ({ argsExpr: a.argsExpr, expectedExpr: a.expectedExpr, note: a.note ?? 'worked out by hand from the docstring' })),
  };
  return '```json\n' + JSON.stringify(reply, null, 2) + '\n```';
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Matches a prompt about this function: effopt names it in backquotes. */
export const functionPattern = (name: string): string => '`' + escapeRegex(name) + '`';

/** One repair the scripted model knows: object-keys in js/dedupe, fixed with a prototype-free table. */
const REPAIRS: Record<string, { failing: string; reply: string }> = {
  'js/dedupe': {
    failing: 'const seen = \\{\\};',
    reply:
      '```javascript\nfunction uniqueTags(rawTags) {\n  const seen = Object.create(null);\n  const tags = [];\n  for (const raw of rawTags) {\n    const tag = normalizeTag(raw);\n    if (tag !== \'\' && !seen[tag]) {\n      seen[tag] = true;\n      tags.push(tag);\n    }\n  }\n  return tags;\n}\n```\n\nA table without a prototype has no inherited keys, so "constructor" and "__proto__" are ordinary tags.',
  },
};

/** The scripted server's script for every example: tests, rewrites (in examples.json order), repairs. */
export function examplesScript(examples: readonly Example[] = loadExamples()): Script {
  const rules: Script['rules'] = [];
  for (const e of examples) {
    const user = functionPattern(e.function);
    rules.push({ when: { kind: 'tests', user }, reply: testsReply(e) });
    rules.push({ when: { kind: 'optimize', user }, reply: e.candidates.map((c) => candidateReply(e, c)) });
    const repair = REPAIRS[e.id];
    if (repair) rules.push({ when: { kind: 'repair', user: `${repair.failing}[\\s\\S]*${user}|${user}[\\s\\S]*${repair.failing}` }, reply: repair.reply });
  }
  // Every other failing rewrite: the model gives up (the reply has no code, so it is rejected).
  rules.push({ when: { kind: 'repair' }, reply: 'I could not find a version that is both faster and correct on that case; keep the original.' });
  return { models: ['gpt-4o-mini', SCRIPTED_MODEL], rules };
}

export const scriptText = (script: Script): string => JSON.stringify(script, null, 2) + '\n';
