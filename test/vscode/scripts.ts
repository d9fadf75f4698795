// Scripts for the scripted OpenAI-compatible server used by the tests inside VS Code.
import dedupe from '../fixtures/llm-server/scripts/dedupe.json';

export const TEST_KEY = 'sk-effopt-test-0123456789abcdefSECRET';

/** The shared dedupe script, answering only requests that carry the test key. */
export const dedupeScript = { ...dedupe, apiKey: TEST_KEY };

/**
 * Tests that contradict the user's dedupe (they expect sorted output) and four rewrites that
 * sort: B4's winning set is the sorting rewrites, without the original, so the run is flagged
 * ("tests disagree") while c1, a correct and faster rewrite, is still proposed.
 */
const disagreeingTests = {
  generators: [
    { level: 0, code: 'function generate(rng) {\n  return [[[3, 1, 3, 2, 1]]];\n}' },
    { level: 1, code: 'function generate(rng) {\n  const xs = [];\n  for (let i = 0; i < 1000; i++) xs.push(Math.floor(rng() * 500));\n  return [[xs]];\n}' },
  ],
  assertions: [
    ['[[3, 1, 3, 2, 1]]', '[1, 2, 3]'],
    ['[[5, 4, 4]]', '[4, 5]'],
    ['[[2, 1]]', '[1, 2]'],
    ['[[9, 8, 7]]', '[7, 8, 9]'],
    ['[[6, 5, 6]]', '[5, 6]'],
    ['[[10, 2, 10, 3]]', '[2, 3, 10]'],
    ['[[4, 3, 2, 1]]', '[1, 2, 3, 4]'],
    ['[[8, 1, 8]]', '[1, 8]'],
  ].map(([argsExpr, expectedExpr]) => ({ argsExpr, expectedExpr, note: 'sorted unique values' })),
};

const fence = (code: string, prose: string): string => '```javascript\n' + code + '\n```\n' + prose;

export const disagreeScript = {
  models: ['gpt-4o-mini'],
  apiKey: TEST_KEY,
  rules: [
    { when: { kind: 'tests' }, reply: '```json\n' + JSON.stringify(disagreeingTests) + '\n```' },
    { when: { kind: 'repair' }, reply: fence('function dedupe(xs) {\n  return Array.from(new Set(xs));\n}', 'Keeps order.') },
    {
      when: { kind: 'optimize' },
      reply: [
        fence('function dedupe(xs) {\n  return [...new Set(xs)];\n}', 'A set keeps first occurrences.'),
        fence('function dedupe(xs) {\n  return [...new Set(xs)].sort((a, b) => a - b);\n}', 'Sorted.'),
        fence('function dedupe(xs) {\n  return Array.from(new Set(xs)).sort((p, q) => p - q);\n}', 'Sorted too.'),
        fence('function dedupe(xs) {\n  return [...new Set(xs)].sort(function (a, b) { return a - b; });\n}', 'Sorted, classic.'),
        fence('function dedupe(xs) {\n  const s = new Set(xs);\n  const out = [...s];\n  out.sort((a, b) => a - b);\n  return out;\n}', 'Sorted, in steps.'),
      ],
    },
  ],
};

/** Every chat request fails with HTTP 429 insufficient_quota. */
export const quotaScript = {
  models: ['gpt-4o-mini'],
  rules: [{ fault: { type: 'rate-limit', code: 'insufficient_quota' } }],
};
