// ESLint for the whole tree: the recommended JavaScript and typescript-eslint rules, plus the
// layer rule the compiler cannot see (electron only in main/electron).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/', 'release/', 'node_modules/', 'test-results/', 'playwright-report/', '**/*.min.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  // Tests assert on control characters: they are what the output policy is about.
  { files: ['test/**'], rules: { 'no-control-regex': 'off' } },
  {
    files: ['main/common/**', 'main/core/**', 'main/server/**', 'main/cli/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main/electron may import electron (see docs/architecture.md).' }] }],
    },
  },
);
