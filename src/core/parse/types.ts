import type { LanguageId } from '../languages/types';

export type FunctionKind =
  | 'function' // declaration or named function expression
  | 'arrow' // arrow function bound to a name
  | 'method' // class method (static or not)
  | 'objectMethod' // method or function-valued property of an object literal
  | 'constructor'
  | 'getter'
  | 'setter';

/**
 * One function found in a file: the record of `effopt functions --json` (docs/CONTRACTS.md).
 * Lines are 1-based; offsets are UTF-16 code units (what VS Code uses), end exclusive.
 */
export interface FunctionInfo {
  name: string;
  /** `Class.method`, `outer.inner`. */
  qualifiedName: string;
  kind: FunctionKind;
  language: LanguageId;
  startLine: number;
  endLine: number;
  startOffset: number;
  endOffset: number;
  /**
   * Parameter source texts (`a`, `b = 1`, `...rest`, `x: number`, `*args`), comments dropped and
   * spacing canonical, so the same signature written with other formatting gives equal texts.
   */
  params: string[];
  async: boolean;
  generator: boolean;
  optimizable: boolean;
  /** Why it is not optimizable (constructor, accessor, abstract/declared body, …). */
  reason?: string;
  hotness: number;
  hotnessReasons: string[];

  // Beyond the docs/CONTRACTS.md record (optional, so other producers of FunctionInfo stay valid).
  /** 0-based UTF-16 columns of the start and end (VS Code positions). */
  startColumn?: number;
  endColumn?: number;
  /** The class a method belongs to (`Class` of `Class.method`). */
  className?: string;
  /** The function's extent contains a syntax error that tree-sitter recovered from. */
  syntaxError?: boolean;
}

/** One syntax error tree-sitter reported (1-based line, 0-based UTF-16 column). */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

export interface ExtractResult {
  language: LanguageId;
  /** In source order. */
  functions: FunctionInfo[];
  /** Empty when the file parsed cleanly. */
  syntaxErrors: SyntaxProblem[];
}
