// Lint: typescript-eslint's recommended rules, a few type-aware ones, and the layering of
// docs/ARCHITECTURE.md: the engine (src/core) stands alone, the CLI and the webview build on it,
// and only src/extension talks to the editor.
import tseslint from 'typescript-eslint';

/** no-restricted-imports patterns, one per forbidden layer. */
const layer = {
  vscode: { group: ['vscode'], message: 'only src/extension may depend on VS Code.' },
  extension: { group: ['**/extension', '**/extension/**'], message: 'src/extension is the editor layer: nothing below it may import it.' },
  webview: { group: ['**/webview', '**/webview/**'], message: 'src/webview is the report UI (browser bundle): the engine and the CLI must not import it.' },
  cli: { group: ['**/cli', '**/cli/**'], message: 'src/cli is a front end: the engine and the other front ends must not import it.' },
  node: {
    group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'util', 'url', 'worker_threads'],
    message: 'src/webview runs in the browser: no Node modules.',
  },
};

const restrict = (message, ...patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
  // require('vscode') would slip past no-restricted-imports.
  'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.vscode-test/**', 'out/**', 'test/fixtures/**/*.js', 'test/fixtures/parse/**', 'examples/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // A cap on branching per function; a warning while long functions are being split up.
      complexity: ['warn', 25],
    },
  },
  // Type-aware rules for the TypeScript that tsconfig.json covers.
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/*.ts'],
    ignores: ['test/fixtures/**', 'test/adversarial/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its error: await it, or mark fire-and-forget with `void`.
      // node:test's test()/it()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      // A new member of a union (a stage, a status, an error kind) must be handled where it is switched on.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  { files: ['src/core/**/*.ts'], rules: restrict('src/core must not depend on VS Code.', layer.vscode, layer.extension, layer.webview, layer.cli) },
  { files: ['src/cli/**/*.ts'], rules: restrict('src/cli must not depend on VS Code.', layer.vscode, layer.extension, layer.webview) },
  { files: ['src/webview/**/*.ts'], rules: restrict('src/webview must not depend on VS Code.', layer.vscode, layer.extension, layer.cli, layer.node) },
);
