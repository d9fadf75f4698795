// A buggy original for the "tests disagree" path: countInBands' docstring says both ends of a
// band are included, the code excludes the upper end (an off-by-one at the boundary). The
// scripted model writes assertion tests from the docstring, and three of its four rewrites follow
// the docstring too; one keeps the code's behaviour. Random inputs (floats) never hit a boundary,
// so only the assertion tests tell the two readings apart.
import { join } from 'node:path';
import type { Script } from '../../fixtures/llm-server/script';
import { functionPattern, SCRIPTED_MODEL, SCRIPTS_DIR } from './examples';

export const BUGGY_FILE = join(__dirname, 'fixtures', 'bands.js');
export const BUGGY_FUNCTION = 'countInBands';
export const BUGGY_SCRIPT = join(SCRIPTS_DIR, 'buggy-bands.json');

const floats = (n: number, q: number): string =>
  `function generate(rng) {\n  const readings = Array.from({ length: ${n} }, () => Math.round(rng() * 1e6) / 1e4 + 1e-7);\n  const bands = Array.from({ length: ${q} }, () => {\n    const low = Math.round(rng() * 1e6) / 1e4;\n    return [low, low + Math.round(rng() * 2e5) / 1e4];\n  });\n  return [[readings, bands]];\n}`;

/** The assertion tests the model derives from the docstring; the original fails a1, a2 and a4. */
export const BUGGY_ASSERTIONS = [
  { argsExpr: '[[1, 2, 3, 4, 5], [[2, 4]]]', expectedExpr: '[3]', note: '2, 3 and 4 lie in [2, 4]; both ends are included' },
  { argsExpr: '[[1, 1, 2], [[1, 1]]]', expectedExpr: '[2]', note: 'a band of one point holds the readings equal to it' },
  { argsExpr: '[[], [[0, 10]]]', expectedExpr: '[0]', note: 'no readings' },
  { argsExpr: '[[5, 10, 15], [[5, 10], [10, 15]]]', expectedExpr: '[2, 2]', note: '10 is in both bands' },
  { argsExpr: '[[0.5, 9.5], [[0, 10], [20, 30]]]', expectedExpr: '[2, 0]', note: 'inside the first band, none in the second' },
];

const lowerBound = `function lowerBound(sorted, x) {\n  let lo = 0;\n  let hi = sorted.length;\n  while (lo < hi) {\n    const mid = (lo + hi) >>> 1;\n    if (sorted[mid] < x) lo = mid + 1;\n    else hi = mid;\n  }\n  return lo;\n}`;
const upperBound = `function upperBound(sorted, x) {\n  let lo = 0;\n  let hi = sorted.length;\n  while (lo < hi) {\n    const mid = (lo + hi) >>> 1;\n    if (sorted[mid] <= x) lo = mid + 1;\n    else hi = mid;\n  }\n  return lo;\n}`;

/** c1–c3 follow the docstring (upper end included), c4 keeps the code's behaviour (excluded). */
export const BUGGY_REWRITES = [
  `Sort once and count with two binary searches per band:\n\n\`\`\`javascript\n${lowerBound}\n\n${upperBound}\n\nfunction countInBands(readings, bands) {\n  const sorted = [...readings].sort((a, b) => a - b);\n  return bands.map(([low, high]) => upperBound(sorted, high) - lowerBound(sorted, low));\n}\n\`\`\`\n\nBoth ends of a band are included, as documented.`,
  `\`\`\`javascript\nfunction countInBands(readings, bands) {\n  const sorted = Float64Array.from(readings).sort();\n  const firstAbove = (x, inclusive) => {\n    let lo = 0, hi = sorted.length;\n    while (lo < hi) {\n      const mid = (lo + hi) >> 1;\n      if (inclusive ? sorted[mid] <= x : sorted[mid] < x) lo = mid + 1;\n      else hi = mid;\n    }\n    return lo;\n  };\n  return bands.map(([low, high]) => firstAbove(high, true) - firstAbove(low, false));\n}\n\`\`\`\n\nA typed array sorts numerically without a comparator.`,
  `\`\`\`javascript\nfunction countInBands(readings, bands) {\n  return bands.map(([low, high]) => readings.reduce((n, r) => (r >= low && r <= high ? n + 1 : n), 0));\n}\n\`\`\`\n\nThe same count, with the documented inclusive upper end.`,
  `\`\`\`javascript\n${lowerBound}\n\nfunction countInBands(readings, bands) {\n  const sorted = readings.filter((r) => r === r).sort((a, b) => a - b);\n  return bands.map(([low, high]) => Math.max(0, lowerBound(sorted, high) - lowerBound(sorted, low)));\n}\n\`\`\`\n\nSorted once (NaN readings, which no band counts, left out); each band is two binary searches (readings at the upper limit are not counted, as in the current code).`,
];

export function buggyScript(): Script {
  const user = functionPattern(BUGGY_FUNCTION);
  const tests = {
    generators: [
      {
        level: 0,
        code: `function generate(rng) {\n  return [\n    [[], []],\n    [[0.25], [[0, 1]]],\n    [[3.5, -1.25, 7.75, 3.5], [[0, 5], [-2, 0], [7, 8]]],\n    [[1.5, 2.5], [[3, 4]]],\n  ];\n}`,
      },
      { level: 1, code: floats(1000, 100) },
      { level: 2, code: floats(3000, 300) },
      { level: 3, code: floats(8000, 500) },
    ],
    assertions: BUGGY_ASSERTIONS,
  };
  return {
    models: [SCRIPTED_MODEL],
    rules: [
      { when: { kind: 'tests', user }, reply: '```json\n' + JSON.stringify(tests, null, 2) + '\n```' },
      { when: { kind: 'optimize', user }, reply: BUGGY_REWRITES },
      { when: { kind: 'repair' }, reply: 'The rewrite follows the documented behaviour; I would not change it.' },
    ],
  };
}
