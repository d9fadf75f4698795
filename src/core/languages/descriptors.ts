// One descriptor per language: which grammar to load, which query files drive extraction, and
// small data tables the generic code reads (token names, node types). Adding a language means
// adding a descriptor here and a folder of .scm files under grammars/ — the extraction, context,
// hotness and normalisation code stays the same.
import type { LanguageId } from './types';

export interface LanguageDescriptor {
  id: LanguageId;
  /** File extensions (lower case, with the dot) that select this language. */
  extensions: readonly string[];
  /** The grammar's .wasm file, under dist/grammars/ (copied there by esbuild.mjs). */
  wasmFile: string;
  /** The grammar package's native binding (CLI only): `require(pkg)[exportName ?? '']`. */
  native: { pkg: string; exportName?: string };
  /** Folder under grammars/ holding this language's query files. */
  queryDir: string;

  /** Fields of a function node that hold its parameters (the first present wins). */
  paramsFields: readonly string[];
  /** Node types that are a parenthesised parameter list (their named children are the parameters). */
  parameterListTypes: readonly string[];
  /** Field of a function node that holds its body. */
  bodyField: string;
  /** Function kind by function node type, for query captures named plain `@definition`. */
  kindByNodeType: Readonly<Record<string, 'function' | 'arrow' | 'method' | 'objectMethod'>>;
  /** Anonymous tokens, direct children of the function node, that mark it async / a generator. */
  asyncTokens: readonly string[];
  generatorTokens: readonly string[];
  /** Node types that are generator functions by themselves. */
  generatorNodeTypes: readonly string[];
  /**
   * Node types that start a new function scope: a yield inside one is not the outer function's
   * (the yields themselves are @yield captures of functions.scm).
   */
  functionScopeTypes: readonly string[];

  /** Comment-like nodes dropped by normalisation and parameter rendering. */
  commentTypes: readonly string[];
  /** Nodes taken verbatim as one token (string literals: their inside is not reformatted). */
  atomicTypes: readonly string[];
  /** Nodes whose named children are statements, one per line, indented one level deeper. */
  statementContainerTypes: readonly string[];
  /** Block nodes that have no braces of their own (Python), so their nesting is shown by indentation. */
  indentedBlockTypes: readonly string[];
  /** Parent node types whose `=` is written without spaces (Python `key=None`). */
  tightAssignParents: readonly string[];
  /** Canonical spacing by parent node type (see src/core/parse/canonicalText.ts). */
  spacing: {
    /** Tokens of these nodes are written together (`*args`, `-x`, `a[1:2]`), unless two words meet. */
    tightParents: readonly string[];
    /** `:` with a space before (`a ? b : c`). */
    spacedColonParents: readonly string[];
    /** Generic angle brackets (`Map<K, V>`). */
    angleParents: readonly string[];
    /** A `?` or `!` written against the name before it (`x?: T`, `x!`). */
    tightSuffixParents: readonly string[];
    /** Literal types whose simple single-quoted form is rewritten with double quotes. */
    stringTypes: readonly string[];
    /** JSX node types, when the language has JSX (whitespace between children is content). */
    jsx?: { open: string; close: string; selfClosing: string; expression: string; text: string };
  };
  /** Node types for hotness: list literals, containers where `in` is not a list scan, string literals. */
  hotnessTypes: { listLiterals: readonly string[]; notLists: readonly string[]; strings: readonly string[] };
  /** Nodes after which a line always breaks (decorators: required by Python, conventional elsewhere). */
  lineBreakAfterTypes: readonly string[];
  /** JSX text nodes: whitespace runs with a line break fold away, as JSX itself does. */
  jsxTextTypes: readonly string[];
  /** A statement terminator that normalisation drops (ASI; `a; b` in Python): one statement per line instead. */
  optionalStatementTerminator?: string;

  /** Regular expression (source) that, found in a recursive function's text, means it memoises. */
  memoPattern: string;
  /** Names of the current instance inside methods (`this`, `self`). */
  selfNames: readonly string[];
}

const ecmaCommon = {
  paramsFields: ['parameters', 'parameter'],
  parameterListTypes: ['formal_parameters'],
  bodyField: 'body',
  kindByNodeType: {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    function_expression: 'function',
    generator_function: 'function',
    arrow_function: 'arrow',
    method_definition: 'method',
  },
  asyncTokens: ['async'],
  generatorTokens: ['*'],
  generatorNodeTypes: ['generator_function_declaration', 'generator_function'],
  functionScopeTypes: [
    'function_declaration',
    'generator_function_declaration',
    'function_expression',
    'generator_function',
    'arrow_function',
    'method_definition',
    'class_body',
  ],
  commentTypes: ['comment', 'html_comment'],
  atomicTypes: ['string', 'template_string', 'regex', 'number', 'jsx_text'],
  statementContainerTypes: ['program', 'statement_block', 'class_body', 'switch_body', 'switch_case', 'switch_default'],
  indentedBlockTypes: [],
  optionalStatementTerminator: ';',
  tightAssignParents: ['jsx_attribute'],
  spacing: {
    tightParents: [
      'type_arguments',
      'type_parameters',
      'unary_expression',
      'update_expression',
      'spread_element',
      'rest_pattern',
      'non_null_expression',
      'decorator',
    ],
    spacedColonParents: ['ternary_expression', 'conditional_type'],
    angleParents: ['type_arguments', 'type_parameters'],
    tightSuffixParents: ['optional_parameter', 'property_signature', 'public_field_definition', 'non_null_expression'],
    stringTypes: ['string', 'template_string'],
    jsx: { open: 'jsx_opening_element', close: 'jsx_closing_element', selfClosing: 'jsx_self_closing_element', expression: 'jsx_expression', text: 'jsx_text' },
  },
  hotnessTypes: { listLiterals: ['array'], notLists: [], strings: ['string', 'template_string'] },
  jsxTextTypes: ['jsx_text'],
  lineBreakAfterTypes: ['decorator'],
  memoPattern: String.raw`\b(memo\w*|cache\w*|\w*Cache|\w*Memo\w*|memoize\w*)\b`,
  selfNames: ['this'],
} satisfies Partial<LanguageDescriptor>;

const typescriptExtra = {
  functionScopeTypes: [...ecmaCommon.functionScopeTypes],
} as const;

export const LANGUAGES: Readonly<Record<LanguageId, LanguageDescriptor>> = {
  javascript: {
    ...ecmaCommon,
    id: 'javascript',
    extensions: ['.js', '.jsx', '.mjs', '.cjs'],
    wasmFile: 'tree-sitter-javascript.wasm',
    native: { pkg: 'tree-sitter-javascript' },
    queryDir: 'javascript',
  },
  typescript: {
    ...ecmaCommon,
    ...typescriptExtra,
    id: 'typescript',
    extensions: ['.ts', '.mts', '.cts'],
    wasmFile: 'tree-sitter-typescript.wasm',
    native: { pkg: 'tree-sitter-typescript', exportName: 'typescript' },
    queryDir: 'typescript',
  },
  tsx: {
    ...ecmaCommon,
    ...typescriptExtra,
    id: 'tsx',
    extensions: ['.tsx'],
    wasmFile: 'tree-sitter-tsx.wasm',
    native: { pkg: 'tree-sitter-typescript', exportName: 'tsx' },
    queryDir: 'tsx',
  },
  python: {
    id: 'python',
    extensions: ['.py', '.pyi', '.pyw'],
    wasmFile: 'tree-sitter-python.wasm',
    native: { pkg: 'tree-sitter-python' },
    queryDir: 'python',
    paramsFields: ['parameters'],
    parameterListTypes: ['parameters', 'lambda_parameters'],
    bodyField: 'body',
    kindByNodeType: { function_definition: 'function', lambda: 'arrow' },
    asyncTokens: ['async'],
    generatorTokens: [],
    generatorNodeTypes: [],
    functionScopeTypes: ['function_definition', 'lambda', 'class_definition'],
    commentTypes: ['comment', 'line_continuation'],
    atomicTypes: ['string', 'concatenated_string', 'integer', 'float'],
    statementContainerTypes: ['module', 'block'],
    indentedBlockTypes: ['block'],
    optionalStatementTerminator: ';',
    tightAssignParents: ['default_parameter', 'keyword_argument'],
    spacing: {
      tightParents: ['slice', 'list_splat_pattern', 'dictionary_splat_pattern', 'list_splat', 'dictionary_splat', 'unary_operator', 'decorator'],
      spacedColonParents: [],
      angleParents: [],
      tightSuffixParents: [],
      stringTypes: ['string'],
    },
    hotnessTypes: {
      listLiterals: ['list', 'tuple', 'list_comprehension'],
      notLists: ['set', 'dictionary', 'set_comprehension', 'dictionary_comprehension', 'string', 'call'],
      strings: ['string', 'concatenated_string'],
    },
    jsxTextTypes: [],
    lineBreakAfterTypes: ['decorator'],
    memoPattern: String.raw`@(functools\.)?(lru_cache|cache)\b|\b(memo\w*|cache\w*|\w*_cache|\w*_memo)\b`,
    selfNames: ['self', 'cls'],
  },
};
