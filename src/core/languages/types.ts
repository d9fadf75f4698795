/** The languages effopt reads. TSX is its own grammar; JSX files parse with the JavaScript grammar. */
export type LanguageId = 'javascript' | 'typescript' | 'tsx' | 'python';

/** The runtime that executes a language's code in the sandbox. */
export type RuntimeId = 'node' | 'python';

export const runtimeOf = (language: LanguageId): RuntimeId => (language === 'python' ? 'python' : 'node');
