// ESLint for the scripts: the recommended rules, Node globals, and a few that catch real slips.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/', 'test-output/'] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    // The explorer's page, and the browser test's functions that run in it.
    files: ['explorer/*.js', 'test/explorer.test.js'],
    ignores: ['explorer/server.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
