// TypeScript/TSX → JavaScript without type checking, inside effopt at run time, with sucrase
// (pure JS: no native binary in the VSIX). ES module syntax becomes CommonJS so the Node harness
// can run a module as a function body and reach its top-level names; a script without
// import/export stays as it is (no added "use strict").
import { transform, type Transform } from 'sucrase';
import type { LanguageId } from '../../languages/types';

export class TranspileError extends Error {
  override readonly name = 'TranspileError';
}

export interface Transpiled {
  code: string;
  /** Milliseconds spent in the transpiler. */
  ms: number;
}

/** import/export at the start of a statement (not `import(` calls or `.import` members). */
const MODULE_SYNTAX = /(^|[;\n{}])\s*(import\s*[\w{*'"]|export\s)/;

export function hasModuleSyntax(code: string): boolean {
  return MODULE_SYNTAX.test(code);
}

/** Plain JS for the Node harness; Python is returned unchanged. */
export function transpileForRuntime(language: LanguageId, code: string, filePath = 'module.ts'): Transpiled {
  if (language === 'python') return { code, ms: 0 };
  const transforms: Transform[] = [];
  if (language === 'typescript' || language === 'tsx') transforms.push('typescript');
  if (language === 'tsx' || /\.[jt]sx$/.test(filePath)) transforms.push('jsx');
  if (hasModuleSyntax(code)) transforms.push('imports');
  if (transforms.length === 0) return { code, ms: 0 };
  const started = performance.now();
  try {
    const out = transform(code, { transforms, disableESTransforms: true, production: true, filePath, keepUnusedImports: false });
    return { code: out.code, ms: performance.now() - started };
  } catch (err) {
    throw new TranspileError(`cannot transpile ${language}: ${(err as Error).message}`);
  }
}
