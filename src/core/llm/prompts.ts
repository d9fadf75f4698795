// Every prompt effopt sends, in one place, versioned: a report records the version that produced
// its candidates and tests, and a change of wording is a change of version. The reply formats
// asked for here are exactly what src/core/llm/replyParser.ts and src/core/testgen/reply.ts parse.
import type { LanguageId } from '../languages/types';
import type { FunctionKind } from '../parse/types';
import { estimateTokens } from './tokens';
import type { ChatMessage } from './types';

// Version 2: instance methods (the class is shown; the receiver's state is the first input element).
// Version 3 (optimize, repair): keep the docstring and the comments at the top of the body.
export const PROMPT_VERSIONS = Object.freeze({ optimize: 'optimize/3', tests: 'tests/3', repair: 'repair/3' });
export type PromptKind = keyof typeof PROMPT_VERSIONS;

/** What the prompts need to know about the function (the pipeline fills it from discovery). */
export interface FunctionPromptInput {
  language: LanguageId;
  /** The name it is defined and called by (a method's own name). */
  name: string;
  /** `Class.method`, `outer.inner`; defaults to `name`. */
  qualifiedName?: string;
  kind?: FunctionKind;
  /** The function's source exactly as in the file. */
  code: string;
  /** Same-file helpers it calls, imports and types it uses, as source text (read-only context). */
  context?: string;
  /** Why discovery considers it hot ("nested loop depth 2", "includes() inside a loop", ...). */
  hotnessReasons?: string[];
  /** Path of the file, for orientation only. */
  path?: string;
  /** Set for an instance method: how the instance is named, its class, and the class's source (its constructor and fields). */
  instance?: InstanceInfo;
}

export interface InstanceInfo {
  receiver: 'this' | 'self';
  className: string;
  classCode: string;
}

const LANGUAGE_NAMES: Readonly<Record<LanguageId, string>> = {
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  tsx: 'TypeScript (TSX)',
  python: 'Python',
};
const FENCE_TAGS: Readonly<Record<LanguageId, string>> = { javascript: 'javascript', typescript: 'typescript', tsx: 'tsx', python: 'python' };

/** Context beyond this many (estimated) tokens is cut, so the function itself always fits. */
const CONTEXT_TOKEN_LIMIT = 6000;
/** The class of an instance method is cut here: its top (fields, constructor) matters most. */
const CLASS_TOKEN_LIMIT = 3000;

const fence = (language: LanguageId, code: string): string => {
  const ticks = code.includes('```') ? '````' : '```';
  return `${ticks}${FENCE_TAGS[language]}\n${code.replace(/\s+$/, '')}\n${ticks}`;
};

function clipContext(language: LanguageId, context: string, limit = CONTEXT_TOKEN_LIMIT): string {
  if (estimateTokens(context) <= limit) return context;
  const lines = context.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    used += estimateTokens(line) + 1;
    if (used > limit) break;
    kept.push(line);
  }
  return `${kept.join('\n')}\n${commentPrefix(language)} … (context cut: ${lines.length - kept.length} more lines)`;
}

const commentPrefix = (language: LanguageId): string => (language === 'python' ? '#' : '//');

/** "function `f`", "method `m` (`C.m`)", "arrow function bound to `f`" (without an article). */
function describeTarget(input: FunctionPromptInput): string {
  const qualified = input.qualifiedName ?? input.name;
  switch (input.kind) {
    case 'method':
    case 'objectMethod':
      return qualified === input.name ? `method \`${input.name}\`` : `method \`${input.name}\` (\`${qualified}\`)`;
    case 'arrow':
      return `arrow function bound to \`${input.name}\``;
    case 'getter':
      return qualified === input.name ? `property getter \`${input.name}\`` : `property getter \`${input.name}\` (\`${qualified}\`)`;
    default:
      return `function \`${qualified}\``;
  }
}

function functionBlock(input: FunctionPromptInput): string {
  const where = input.path ? ` from \`${input.path}\`` : '';
  const parts = [`The ${LANGUAGE_NAMES[input.language]} ${describeTarget(input)}${where}:`, fence(input.language, input.code)];
  if (input.instance) {
    parts.push(
      `It is an instance method of class \`${input.instance.className}\`, which is (read-only, do not rewrite or repeat it):`,
      fence(input.language, clipContext(input.language, input.instance.classCode, CLASS_TOKEN_LIMIT)),
    );
  }
  if (input.context && input.context.trim() !== '') {
    parts.push(
      'Context it uses (imports, helpers, types from the same file; read-only, do not rewrite or repeat it):',
      fence(input.language, clipContext(input.language, input.context)),
    );
  }
  if (input.hotnessReasons && input.hotnessReasons.length > 0) {
    parts.push(`Why it may be slow: ${input.hotnessReasons.join('; ')}.`);
  }
  return parts.join('\n\n');
}

function shapeRule(input: FunctionPromptInput): string {
  const isMethod = input.kind === 'method' || input.kind === 'objectMethod';
  if (isMethod) {
    return `Return the complete method \`${input.name}\` as it would appear inside its ${input.kind === 'method' ? 'class' : 'object literal'} (not the whole ${input.kind === 'method' ? 'class' : 'object'}). Any helper goes in the same block as a separate top-level function.`;
  }
  if (input.kind === 'getter') {
    const form = input.language === 'python' ? `\`@property\` method \`${input.name}\` with its decorator` : `getter \`get ${input.name}() { … }\``;
    return `Return the complete ${form} as it would appear inside its class or object (not the whole class); it stays a property getter. Any helper goes in the same block as a separate top-level function.`;
  }
  if (input.kind === 'arrow') {
    return `Return the complete declaration \`const ${input.name} = (...) => ...\` (keep it an arrow function bound to \`${input.name}\`).`;
  }
  return `Return the complete function \`${input.name}\`.`;
}

/** The rules every rewrite must keep; shared by the optimisation and repair prompts. */
function optimizeSystem(input: FunctionPromptInput): string {
  const lang = LANGUAGE_NAMES[input.language];
  const tag = FENCE_TAGS[input.language];
  return [
    `You are an expert performance engineer. You rewrite one ${lang} function so that it runs faster while behaving exactly like the original. Your rewrite is checked automatically: it is run against the original on many inputs and benchmarked, and it is rejected on any difference.`,
    '',
    'Rules:',
    `1. Same signature: the same name, the same parameters in the same order with the same names, default values and rest/variadic markers${input.language === 'python' ? '' : ', the same type annotations'}; the same async/generator nature; the same kind of return value.`,
    '2. Identical behaviour for every input, including edge cases (empty inputs, a single element, duplicates, negative numbers, zero, NaN, null/None/undefined where the original accepts them), the order of results, floating-point results, and the type of any exception thrown.',
    '3. Mutation of arguments exactly as in the original: if the original modifies an argument, modify it in the same way; if it does not, do not modify it (copy first if you need scratch space).',
    '4. No new dependencies: only the language and its standard library, plus what the original already imports. No I/O, no printing, no global state, no caching of results between calls, no randomness, no reading the clock, no threads or processes.',
    '5. Make it faster for large inputs first (a better algorithm or data structure, avoiding repeated work), then for constant factors. Keep it readable.',
    ...(input.instance ? [instanceRule(input.instance)] : []),
    '',
    'Reply format:',
    `- Exactly one fenced code block, tagged \`${tag}\`, holding the rewritten code. ${shapeRule(input)} If you need a helper, define it in the same block with a new name that does not clash with existing code. Imports, if any, go at the top of the block. Keep the original's ${input.language === 'python' ? 'docstring and the comments' : 'comments'} at the top of the function body (and the comment above the function); update them only where they no longer describe the code.`,
    '- After the block, at most three sentences on why it is faster. No other code blocks, no tests, no usage examples.',
  ].join('\n');
}

function instanceRule(instance: InstanceInfo): string {
  const r = instance.receiver;
  return `6. It is an instance method of \`${instance.className}\` and stays one: same observable state. Read and write the same fields of \`${r}\` as the original, with the same values afterwards (the instance's fields after the call are compared too); do not add, remove or rename fields, do not store caches or scratch data on \`${r}\`, and do not depend on the constructor having run (only the fields are set).`;
}

/** Messages asking for one faster rewrite (send with n > 1 and temperature > 0 for several). */
export function optimizePrompt(input: FunctionPromptInput): ChatMessage[] {
  return [
    { role: 'system', content: optimizeSystem(input) },
    {
      role: 'user',
      content: `${functionBlock(input)}\n\nRewrite the ${describeTarget(input)} to run faster. Reply with one \`${FENCE_TAGS[input.language]}\` code block, then a short explanation.`,
    },
  ];
}

/** What went wrong with a candidate, as the sandbox saw it (all strings are shown verbatim). */
export interface RepairFailure {
  /** One line: "returned a different value", "threw TypeError", "timed out", "changed the signature", ... */
  summary: string;
  /** The failing input as an argument-list expression. */
  argsExpr?: string;
  /** What the original returned (or the expected value of an assertion test). */
  expected?: string;
  /** What the candidate returned. */
  actual?: string;
  /** The exception or error output. */
  error?: string;
  /** Arguments after the call, when mutation differed. */
  mutation?: { expected: string; actual: string };
}

const MAX_SHOWN = 1500;
const shown = (s: string): string => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)} … (${s.length - MAX_SHOWN} more characters)` : s);

/** Messages asking to fix a failed rewrite, showing its failing case. */
export function repairPrompt(input: FunctionPromptInput, candidate: string, failure: RepairFailure): ChatMessage[] {
  const lines = [`That rewrite ${failure.summary}.`];
  if (failure.argsExpr !== undefined)
    lines.push(
      `Failing input (${input.instance ? `the instance's state as \`${input.instance.receiver}\`, then the arguments` : 'argument list'}): \`${shown(failure.argsExpr)}\``,
    );
  if (failure.expected !== undefined) lines.push(`The original returns: \`${shown(failure.expected)}\``);
  if (failure.actual !== undefined) lines.push(`The rewrite returned: \`${shown(failure.actual)}\``);
  if (failure.mutation)
    lines.push(`Arguments after the call — original: \`${shown(failure.mutation.expected)}\`, rewrite: \`${shown(failure.mutation.actual)}\``);
  if (failure.error !== undefined) lines.push(`Error:\n${fence(input.language, shown(failure.error))}`);
  return [
    { role: 'system', content: optimizeSystem(input) },
    {
      role: 'user',
      content: [
        functionBlock(input),
        `A previous rewrite failed the checks:\n\n${fence(input.language, candidate)}`,
        lines.join('\n'),
        `Write a corrected rewrite that behaves exactly like the original on this input and on every other one, and is still faster. Follow the same rules and reply format: one \`${FENCE_TAGS[input.language]}\` code block, then a short explanation.`,
      ].join('\n\n'),
    },
  ];
}

export interface TestsPromptOptions {
  /** Number of size levels, including level 0 (default 4: levels 0..3). */
  levels?: number;
  /** How many assertion tests to ask for (default 10). */
  assertions?: number;
}

/** Target run time of the original per timed level: 1 ms, 10 ms, 100 ms, then ×10. */
export const levelTargetMs = (level: number): number => 10 ** (level - 1);

function generatorShape(language: LanguageId): string {
  if (language === 'python') {
    return [
      '`def generate(rng):` returning a list of test cases; each case is a tuple (or list) of the positional arguments, e.g. `return [([3, 1, 2],), ([],)]`.',
      '`rng` is a seeded `random.Random` (use `rng.random()`, `rng.randint(a, b)`, `rng.choice(seq)`, `rng.shuffle(lst)`, `rng.sample(...)`); it is the only source of randomness: never `import random` or use the clock.',
      'You may import standard-library modules inside `generate`. No I/O.',
    ].join(' ');
  }
  const typed = language !== 'javascript';
  return [
    `\`function generate(rng${typed ? ': () => number' : ''})${typed ? ': unknown[][]' : ''} { ... }\` returning an array of test cases; each case is an array of the positional arguments, e.g. \`return [[[3, 1, 2]], [[]]];\` for a function of one array argument.`,
    '`rng()` returns a float in [0, 1) from a seeded generator; it is the only source of randomness: never use `Math.random`, `Date` or `performance`.',
    'No `import`/`require`, no I/O. Helper functions may be declared inside `generate`.',
  ].join(' ');
}

function assertionShape(language: LanguageId): string {
  if (language === 'python') {
    return '`argsExpr` is a Python expression for the argument tuple, e.g. `([3, 1, 2],)` (note the trailing comma for one argument) or `("abc", 2)`; `expectedExpr` is a Python expression for the return value, e.g. `[1, 2, 3]`, `None`, `float("inf")`, `{"a": 1}`, `{1, 2}`.';
  }
  return '`argsExpr` is a JavaScript expression for the argument array, e.g. `[[3, 1, 2]]` for one array argument or `["abc", 2]`; `expectedExpr` is a JavaScript expression for the return value, e.g. `[1, 2, 3]`, `undefined`, `null`, `new Map([["a", 1]])`, `new Set([1, 2])`, `Infinity`. Plain JavaScript only (no type annotations).';
}

/** For an instance method: the first element of every input is the instance's state. */
function instanceInputs(input: FunctionPromptInput): string[] {
  const instance = input.instance;
  if (!instance) return [];
  const py = input.language === 'python';
  const { className: cls, receiver: r } = instance;
  const built = py ? `\`${cls}.__new__(${cls})\` with the fields set on it` : `\`Object.create(${cls}.prototype)\` with the fields defined on it`;
  const example = py ? `\`({"items": [3, 1, 2], "limit": 10}, 5)\` for \`def m(self, x)\`` : `\`[{ items: [3, 1, 2], limit: 10 }, 5]\` for \`m(x)\``;
  return [
    '',
    `This is an instance method of class \`${cls}\`. The FIRST element of every test case and of every argsExpr is the instance's state: a plain ${py ? 'dict' : 'object'} mapping field names to values, e.g. ${example}; the method's own arguments follow it.`,
    `- The instance is built from that state WITHOUT running the constructor (${built}), then the method is called on it as \`${r}\`. So give every field the method reads${py ? '' : ' (directly or through the methods it calls)'}, including ones the constructor would derive, with realistic values consistent with each other and with the class's constructor and field declarations (the class is shown with the method). Fields the method never uses may be left out.`,
    `- Field values are plain data (numbers, strings, ${py ? 'lists, dicts, sets, tuples' : 'arrays, objects, Maps, Sets'}), built inside the case like any argument; size the state for the timing levels too (e.g. a large list field).`,
    `- The expected value of an assertion is the method's return value; the state after the call is compared automatically.`,
    ...(input.kind === 'getter'
      ? [
          `- \`${input.name}\` is a property getter: it is read as \`${r}.${input.name}\` and takes no arguments, so every test case and every argsExpr holds the instance's state only, e.g. ${py ? '`({"items": [3, 1, 2]},)`' : '`[{ items: [3, 1, 2] }]`'}.`,
        ]
      : []),
  ];
}

/** Messages asking for input generators per size level and assertion tests, as one JSON object. */
export function testsPrompt(input: FunctionPromptInput, options: TestsPromptOptions = {}): ChatMessage[] {
  const levels = Math.max(2, options.levels ?? 4);
  const assertions = options.assertions ?? 10;
  const lang = LANGUAGE_NAMES[input.language];
  const timed = Array.from({ length: levels - 1 }, (_, i) => i + 1)
    .map((l) => `level ${l} ≈ ${levelTargetMs(l)} ms`)
    .join(', ');
  const example = JSON.stringify(
    {
      generators: [
        { level: 0, code: '<source defining generate(rng) for level 0>' },
        { level: 1, code: '<source for level 1>' },
      ],
      assertions: [{ argsExpr: '<argument list expression>', expectedExpr: '<expected return value expression>', note: '<why this is the right answer>' }],
    },
    null,
    2,
  );
  const system = [
    `You write test inputs and test cases for a ${lang} function. Other programs use them to check that rewrites of the function behave identically and to time the original against the rewrites. Reply with a single JSON object and nothing else.`,
    '',
    'The JSON object has exactly this shape:',
    example,
    '',
    `"generators": one entry per size level, levels 0 to ${levels - 1}. "code" is ${lang} source text (a JSON string: escape newlines as \\n and quotes as \\") defining ${generatorShape(input.language)}`,
    `- Level 0: 5 to 20 small, valid edge cases for correctness (empty and single-element inputs, duplicates, negative numbers, zero, boundaries, already-sorted or reversed data, whatever is tricky for this function).`,
    `- Levels 1 to ${levels - 1}: 1 to 3 cases each, growing in size, for timing. Choose the sizes from the function's complexity so that ONE call of the original takes roughly: ${timed}. For example, for an O(n²) function that takes about 1 ms at n = 1,000, use n ≈ 1,000, 3,000 and 10,000.`,
    '- Every case must be a valid input the function is meant to handle: do not make it throw on levels 1 and above.',
    '',
    `"assertions": about ${assertions} input → expected-output tests you are certain of. ${assertionShape(input.language)} Work out each expected value carefully from the code; leave out any case you are unsure of, and cases where the function throws. Expressions must be self-contained literals (no variables, no calls of the function under test). "note" says briefly why the expected value is right.`,
    ...instanceInputs(input),
  ].join('\n');
  return [
    { role: 'system', content: system },
    {
      role: 'user',
      content: `${functionBlock(input)}\n\nWrite the generators for levels 0 to ${levels - 1} and the assertion tests for the ${describeTarget(input)}, as one JSON object.`,
    },
  ];
}
