// Shared helpers for the parser tests: fixture files and lookups by qualified name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionInfo } from '../../../src/core/parse';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'parse');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function byName(functions: FunctionInfo[], qualifiedName: string): FunctionInfo {
  const found = functions.filter((f) => f.qualifiedName === qualifiedName);
  if (found.length !== 1) throw new Error(`expected one ${qualifiedName}, found ${found.length} among ${functions.map((f) => f.qualifiedName).join(', ')}`);
  return found[0];
}

/** The function's text as a VS Code range would select it. */
export const textOf = (source: string, f: FunctionInfo): string => source.slice(f.startOffset, f.endOffset);
