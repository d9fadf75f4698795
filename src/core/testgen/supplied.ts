// Test material a user supplies (`effopt evaluate --tests tests.json`), as a TestSuite:
//
// {
//   "inputs": {                        argument lists per size level; each entry is either
//     "0": [[[3, 1, 3]], "[[]]"],      a JSON array of arguments, or an argument-list expression
//     "1": ["[Array.from({length: 2000}, (_, i) => i % 50)]"]    in the function's language,
//   },                                 or {"args": …, "expected": …} (an expectation)
//   "generators": [{"level": 2, "code": "function generate(rng) { … }"}],
//   "assertions": [{"id": "a1", "argsExpr": "[[1, 1]]", "expectedExpr": "[1]"}]
// }
//
// For an instance method, the first element of every argument list is the instance's state: an
// object (JS/TS) or dict (Python) of its fields, e.g. [{"items": [1, 2]}, 3] for `m(x)`; the
// harness builds the instance from it without running the constructor.
//
// Inputs become one generator per level (code that returns the listed argument lists);
// expectations become assertion tests. Validated with zod; errors name the offending entry.
import { z } from 'zod';
import type { LanguageId } from '../languages/types';
import { argsFromJson, jsonToExpression } from './reply';
import type { AssertionTest, InputGenerator, TestSuite } from './types';

const expression = z.string().min(1);
const argsSpec = z.union([z.array(z.unknown()), expression]);
const inputSpec = z.union([argsSpec, z.object({ args: argsSpec, expected: z.unknown(), expectedExpr: expression.optional() }).strict()]);

export const suppliedTestsSchema = z
  .object({
    inputs: z
      .record(z.string(), z.array(inputSpec).min(1))
      .superRefine((levels, ctx) => {
        for (const key of Object.keys(levels))
          if (!/^\d+$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'levels are numbers: "0", "1", …' });
      })
      .optional(),
    generators: z.array(z.object({ level: z.number().int().min(0), code: z.string().min(1) }).strict()).optional(),
    assertions: z
      .array(z.object({ id: z.string().min(1).optional(), argsExpr: expression, expectedExpr: expression, note: z.string().optional() }).strict())
      .optional(),
  })
  .strict()
  .refine(
    (t) => (t.inputs && Object.keys(t.inputs).length > 0) || (t.generators?.length ?? 0) > 0 || (t.assertions?.length ?? 0) > 0,
    'the tests file has no inputs, generators or assertions',
  );

export type SuppliedTests = z.infer<typeof suppliedTestsSchema>;

export class SuppliedTestsError extends Error {
  override readonly name = 'SuppliedTestsError';
}

const argsExpression = (spec: unknown[] | string, language: LanguageId): string => (typeof spec === 'string' ? spec : argsFromJson(spec, language));

/** Code defining `generate(rng)` that returns the given argument-list expressions. */
export function literalGenerator(argsExprs: readonly string[], language: LanguageId): string {
  if (language === 'python') return `def generate(rng):\n    return [\n${argsExprs.map((a) => `        ${a},`).join('\n')}\n    ]\n`;
  return `function generate(rng) {\n  return [\n${argsExprs.map((a) => `    ${a},`).join('\n')}\n  ];\n}\n`;
}

/** Parses and validates a tests file's JSON text. Throws SuppliedTestsError with a readable message. */
export function parseSuppliedTests(text: string, language: LanguageId): TestSuite {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SuppliedTestsError(`the tests file is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = suppliedTestsSchema.safeParse(json);
  if (!parsed.success) {
    throw new SuppliedTestsError(
      `the tests file does not match the expected shape: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  }
  const t = parsed.data;
  const generators: InputGenerator[] = [];
  const assertions: AssertionTest[] = [];
  for (const [levelText, entries] of Object.entries(t.inputs ?? {}).sort(([a], [b]) => Number(a) - Number(b))) {
    const level = Number(levelText);
    const exprs: string[] = [];
    entries.forEach((entry, i) => {
      const withExpectation = typeof entry === 'object' && !Array.isArray(entry);
      const args = argsExpression(withExpectation ? entry.args : (entry as unknown[] | string), language);
      exprs.push(args);
      if (withExpectation && (entry.expectedExpr !== undefined || 'expected' in entry)) {
        assertions.push({ id: `L${level}.${i}`, argsExpr: args, expectedExpr: entry.expectedExpr ?? jsonToExpression(entry.expected, language) });
      }
    });
    generators.push({ level, language, code: literalGenerator(exprs, language) });
  }
  for (const g of t.generators ?? []) generators.push({ level: g.level, language, code: g.code });
  (t.assertions ?? []).forEach((a, i) =>
    assertions.push({ id: a.id ?? `a${i + 1}`, argsExpr: a.argsExpr, expectedExpr: a.expectedExpr, ...(a.note ? { note: a.note } : {}) }),
  );
  return { generators, assertions, dropped: [] };
}
