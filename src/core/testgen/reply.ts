// From the model's JSON reply to a TestSuite: generators per level as code defining
// `generate(rng)`, assertion tests as argument/expected expressions in the function's language.
// The JSON is validated with zod entry by entry, so one bad entry (or a reply cut off by the
// token limit) costs only that entry: it goes to `dropped` with the reason. Code is only parsed
// here (tree-sitter), never executed: the sandbox runs it.
import { z } from 'zod';
import type { LanguageId } from '../languages/types';
import { extractFunctions, withTree, type SyntaxNode } from '../parse';
import { findJsonObject, salvageArray } from './json';
import type { AssertionTest, DroppedTestMaterial, InputGenerator, TestSuite } from './types';

export interface ParseTestsOptions {
  language: LanguageId;
  /** Number of size levels including level 0 (default 4); higher levels are dropped. */
  levels?: number;
  /** The function's parameter texts: argument lists of the wrong length are dropped. */
  params?: string[];
  /** An instance method: every argument list starts with the instance's state (one more argument than the parameters say). */
  receiver?: boolean;
  /** At most this many assertion tests are kept (default 50). */
  maxAssertions?: number;
  signal?: AbortSignal;
}

const MAX_CODE = 20_000;
const MAX_EXPR = 20_000;

/** Values given as JSON rather than as expression text (salvaged replies). */
const jsonValue: z.ZodType<unknown> = z.unknown().refine((v) => v !== undefined, 'missing');

const generatorSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const o = raw as Record<string, unknown>;
    return { level: o.level ?? o.size ?? o.sizeLevel, code: o.code ?? o.source ?? o.generator };
  },
  z.object({
    level: z
      .union([z.number(), z.string().regex(/^\s*\d+\s*$/)])
      .transform(Number)
      .pipe(z.number().int().min(0)),
    code: z.string().trim().min(1, 'empty code').max(MAX_CODE, `code longer than ${MAX_CODE} characters`),
  }),
);

const assertionSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const o = raw as Record<string, unknown>;
    // Canonical keys hold expression text; alias keys (args, expected, …) hold JSON values.
    const args = o.argsExpr !== undefined ? { expr: o.argsExpr } : { value: o.args ?? o.arguments ?? o.input ?? o.inputs };
    const expected = o.expectedExpr !== undefined ? { expr: o.expectedExpr } : { value: 'expected' in o ? o.expected : 'output' in o ? o.output : o.returns };
    return { args, expected, note: typeof o.note === 'string' ? o.note : typeof o.reason === 'string' ? o.reason : undefined };
  },
  z.object({
    args: z.union([z.object({ expr: z.union([z.string().trim().min(1).max(MAX_EXPR), z.array(z.unknown())]) }), z.object({ value: jsonValue })]),
    expected: z.union([z.object({ expr: z.unknown().refine((v) => v !== undefined, 'missing') }), z.object({ value: jsonValue })]),
    note: z.string().optional(),
  }),
);

const isPython = (language: LanguageId): boolean => language === 'python';

/** A JSON value as an expression of the function's language. */
export function jsonToExpression(value: unknown, language: LanguageId): string {
  if (!isPython(language)) return JSON.stringify(value) ?? 'undefined';
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => jsonToExpression(v, language)).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${jsonToExpression(v, language)}`)
      .join(', ')}}`;
  return 'None';
}

/** An argument list given as a JSON array, as an expression (a tuple in Python). */
export function argsFromJson(values: unknown[], language: LanguageId): string {
  if (!isPython(language)) return JSON.stringify(values);
  const items = values.map((v) => jsonToExpression(v, language));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/**
 * Parses the model's test reply into a TestSuite. Never throws for bad content: everything that
 * cannot be used is in `dropped` with the reason (an unreadable reply is one dropped entry).
 */
export async function parseTestSuiteReply(reply: string, options: ParseTestsOptions): Promise<TestSuite> {
  const { language } = options;
  const levels = options.levels ?? 4;
  const maxAssertions = options.maxAssertions ?? 50;
  const suite: TestSuite = { generators: [], assertions: [], dropped: [] };
  const drop = (what: string, reason: string): void => void suite.dropped.push({ what, reason });

  // 1. The entries, from valid JSON or salvaged one by one from broken JSON.
  let generatorEntries: Array<{ index: number; value: unknown }> = [];
  let assertionEntries: Array<{ index: number; value: unknown }> = [];
  const found = findJsonObject(reply);
  if (found.ok) {
    const root = found.value as Record<string, unknown>;
    const gens = root.generators ?? root.inputGenerators;
    const asserts = root.assertions ?? root.tests ?? root.assertionTests;
    if (gens !== undefined && !Array.isArray(gens)) drop('generators', '"generators" is not an array');
    if (asserts !== undefined && !Array.isArray(asserts)) drop('assertions', '"assertions" is not an array');
    generatorEntries = (Array.isArray(gens) ? gens : []).map((value, index) => ({ index, value }));
    assertionEntries = (Array.isArray(asserts) ? asserts : []).map((value, index) => ({ index, value }));
    if (gens === undefined && asserts === undefined) drop('reply', 'the JSON object has neither "generators" nor "assertions"');
  } else {
    const g = salvageArray(found.text, 'generators');
    const a = salvageArray(found.text, 'assertions');
    if (!g.found && !a.found) {
      drop('reply', found.reason);
      return suite;
    }
    generatorEntries = g.entries;
    assertionEntries = a.entries;
    for (const b of g.broken) drop(`generator #${b.index + 1}`, b.reason);
    for (const b of a.broken) drop(`assertion #${b.index + 1}`, b.reason);
  }

  // 2. Generators: valid shape, level in range, one per level, code that parses and defines generate().
  const levelsSeen = new Set<number>();
  for (const { index, value } of generatorEntries) {
    const parsed = generatorSchema.safeParse(value);
    if (!parsed.success) {
      drop(`generator #${index + 1}`, `not a {level, code} entry: ${issues(parsed.error)}`);
      continue;
    }
    const { level, code } = parsed.data;
    const what = `generator for level ${level}`;
    if (level >= levels) {
      drop(what, `level ${level} is beyond the configured levels 0–${levels - 1}`);
      continue;
    }
    if (levelsSeen.has(level)) {
      drop(what, `a second generator for level ${level}; the first one is kept`);
      continue;
    }
    const problem = await checkGenerator(code, language, options.signal);
    if (problem) {
      drop(what, problem);
      continue;
    }
    levelsSeen.add(level);
    suite.generators.push({ level, language, code } satisfies InputGenerator);
  }
  suite.generators.sort((a, b) => a.level - b.level);

  // 3. Assertions: both expressions parse as single expressions; argument counts fit; no repeats.
  const arity = arityOf(options.params, language, options.receiver);
  const seenArgs = new Map<string, string>();
  for (const { index, value } of assertionEntries) {
    const what = `assertion #${index + 1}`;
    const parsed = assertionSchema.safeParse(value);
    if (!parsed.success) {
      drop(what, `not an {argsExpr, expectedExpr} entry: ${issues(parsed.error)}`);
      continue;
    }
    const { args, expected, note } = parsed.data;
    let argsExpr: string;
    if ('expr' in args) argsExpr = typeof args.expr === 'string' ? args.expr.trim() : argsFromJson(args.expr, language);
    else if (Array.isArray(args.value)) argsExpr = argsFromJson(args.value, language);
    else if (arity && arity.min <= 1 && arity.max >= 1)
      argsExpr = argsFromJson([args.value], language); // a lone value: the first argument
    else {
      drop(what, 'the arguments are not a list');
      continue;
    }
    const expectedExpr =
      'expr' in expected
        ? typeof expected.expr === 'string'
          ? expected.expr.trim()
          : jsonToExpression(expected.expr, language)
        : jsonToExpression(expected.value, language);
    if (expectedExpr === '') {
      drop(what, 'empty expectedExpr');
      continue;
    }
    const label = `${what} (${clip(argsExpr, 60)})`;
    const argsShape = await checkExpression(argsExpr, language, options.signal);
    if (typeof argsShape === 'string') {
      drop(label, `argsExpr ${argsShape}`);
      continue;
    }
    const expectedShape = await checkExpression(expectedExpr, language, options.signal);
    if (typeof expectedShape === 'string') {
      drop(label, `expectedExpr ${expectedShape}`);
      continue;
    }
    if (argsShape.listLength === undefined) {
      drop(label, `argsExpr is not an argument list (${isPython(language) ? 'a tuple or list' : 'an array literal'})`);
      continue;
    }
    if (arity && (argsShape.listLength < arity.min || argsShape.listLength > arity.max)) {
      drop(
        label,
        `${argsShape.listLength} argument${argsShape.listLength === 1 ? '' : 's'} for a function that takes ${arity.min === arity.max ? arity.min : `${arity.min}–${arity.max === Infinity ? '∞' : arity.max}`}`,
      );
      continue;
    }
    const key = argsExpr.replace(/\s+/g, '');
    const earlier = seenArgs.get(key);
    if (earlier) {
      drop(label, `same arguments as ${earlier}`);
      continue;
    }
    if (suite.assertions.length >= maxAssertions) {
      drop(label, `more than ${maxAssertions} assertion tests`);
      continue;
    }
    const id = `a${suite.assertions.length + 1}`;
    seenArgs.set(key, id);
    suite.assertions.push({ id, argsExpr, expectedExpr, ...(note ? { note: note.trim() } : {}) } satisfies AssertionTest);
  }
  return suite;
}

/** Why a generator's code is unusable, or undefined when it parses and defines generate. */
async function checkGenerator(code: string, language: LanguageId, signal?: AbortSignal): Promise<string | undefined> {
  const result = await extractFunctions(code, language, { signal });
  if (result.syntaxErrors.length > 0) {
    const e = result.syntaxErrors[0];
    return `the code does not parse as ${language}: line ${e.line}, column ${e.column + 1}: ${e.message}`;
  }
  const generate = result.functions.find((f) => f.name === 'generate' && f.qualifiedName === 'generate');
  if (!generate) return 'the code defines no top-level function `generate(rng)`';
  if (generate.async || generate.generator) return '`generate` must be a plain function returning the cases (not async, not a generator)';
  return undefined;
}

interface ExpressionShape {
  /** Number of elements when the expression is an array/list/tuple literal. */
  listLength?: number;
}

const LIST_NODES = new Set(['array', 'list', 'tuple']);

/** Parses text as exactly one expression; returns its shape or why it is not one. */
async function checkExpression(expr: string, language: LanguageId, signal?: AbortSignal): Promise<ExpressionShape | string> {
  const python = isPython(language);
  // Wrapped in parentheses so that an object literal is an expression and a second statement
  // (`1); process.exit(0); (1`) shows up as such.
  const source = python ? `__effopt_value__ = (\n${expr}\n)\n` : `(\n${expr}\n);\n`;
  return withTree(source, language, { signal }, (tree) => {
    const root = tree.rootNode;
    const statements = namedChildren(root).filter((n) => n.type !== 'comment');
    if (root.hasError || statements.length !== 1 || statements[0].type !== 'expression_statement') {
      return `is not a single ${language} expression`;
    }
    // JS: expression_statement > parenthesized_expression > expr; Python: … > assignment (right: parenthesized_expression).
    let node = statements[0].namedChild(0);
    if (python) node = node?.childForFieldName('right') ?? null;
    if (node?.type === 'parenthesized_expression') {
      const inner = namedChildren(node).filter((n) => n.type !== 'comment');
      node = inner.length === 1 ? inner[0] : node;
    }
    if (!node) return `is not a single ${language} expression`;
    if (LIST_NODES.has(node.type)) {
      return { listLength: namedChildren(node).filter((n) => n.type !== 'comment').length };
    }
    return {};
  });
}

function namedChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let i = 0; i < node.namedChildCount; i++) {
    const child = node.namedChild(i);
    if (child) out.push(child);
  }
  return out;
}

/** How many positional arguments the parameters accept (undefined when unknown). */
function arityOf(params: string[] | undefined, language: LanguageId, receiver = false): { min: number; max: number } | undefined {
  if (!params) return undefined;
  // The instance's state comes first; a Python method's own first parameter (self) is that state.
  let min = receiver ? 1 : 0;
  let max = min;
  for (const raw of receiver && isPython(language) ? params.slice(1) : params) {
    const p = raw.trim();
    if (isPython(language) && (p === 'self' || p === 'cls' || p === '/')) continue;
    if (!isPython(language) && /^this\s*(:|$)/.test(p)) continue; // TypeScript `this` parameter: not an argument
    if (isPython(language) && (p === '*' || p.startsWith('**'))) break; // keyword-only from here on
    if (p.startsWith('...') || (isPython(language) && p.startsWith('*'))) return { min, max: Infinity };
    max++;
    const optional = /=/.test(p.replace(/=>|==|<=|>=|!=/g, '')) || /^[^:=]*\?\s*(:|$)/.test(p);
    if (!optional) min = max;
  }
  return { min, max };
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ');
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

export type { DroppedTestMaterial };
