import { extname } from 'node:path';
import { LANGUAGES, type LanguageDescriptor } from './descriptors';
import type { LanguageId } from './types';

export type { LanguageId, RuntimeId } from './types';
export { runtimeOf } from './types';
export { LANGUAGES, type LanguageDescriptor } from './descriptors';

export const LANGUAGE_IDS = Object.keys(LANGUAGES) as LanguageId[];

const byExtension = new Map<string, LanguageId>(Object.values(LANGUAGES).flatMap((d) => d.extensions.map((ext) => [ext, d.id] as const)));

/** The language of a file by its extension (`.jsx` → javascript, `.tsx` → tsx), or undefined. */
export function languageForPath(path: string): LanguageId | undefined {
  return byExtension.get(extname(path).toLowerCase());
}

/** VS Code language ids (`typescriptreact`, …) to ours. */
const byVscodeId: Record<string, LanguageId> = {
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  python: 'python',
};

export function languageForVscodeId(languageId: string): LanguageId | undefined {
  return byVscodeId[languageId];
}

export function isLanguageId(value: string): value is LanguageId {
  return Object.prototype.hasOwnProperty.call(LANGUAGES, value);
}

export function descriptorOf(language: LanguageId): LanguageDescriptor {
  const d = LANGUAGES[language];
  if (!d) throw new Error(`unknown language "${language}" (known: ${LANGUAGE_IDS.join(', ')})`);
  return d;
}
