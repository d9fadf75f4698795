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
 * One function found in a file: the record of `effopt functions --json` (DESIGN §6).
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
  /** Parameter source texts as written (`a`, `b = 1`, `...rest`, `x: number`, `*args`). */
  params: string[];
  async: boolean;
  generator: boolean;
  optimizable: boolean;
  /** Why it is not optimizable (constructor, accessor, abstract/declared body, …). */
  reason?: string;
  hotness: number;
  hotnessReasons: string[];
}
