// Lint: typescript-eslint's recommended rules plus the layering rule of DESIGN §1:
// the engine (src/core) and the CLI never import the editor API.
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'src/core and src/cli must not depend on VS Code; put editor code in src/extension.' }],
  }],
  'no-restricted-modules': 'off',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.vscode-test/**', 'out/**', 'test/fixtures/**/*.js', 'test/fixtures/parse/**', 'examples/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      ...noVscode,
      // require('vscode') would slip past no-restricted-imports.
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
        message: 'src/core and src/cli must not depend on VS Code.',
      }],
    },
  },
);
