// Type-aware lint: typescript-eslint with the project's tsconfig.
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox; these are the imports that break it.
// Tested by test/unit/workflow-import-rules.test.ts (each forbidden import must be reported).
const workflowImportRules = {
  patterns: [
    {
      // Every Node built-in, bare ('fs', 'fs/promises') or node:-prefixed (also node:-only ones like node:test).
      // Built-in names are plain [a-z0-9_/], so they go into the regex unescaped.
      regex: `^(?:node:|(?:${builtinModules.join('|')})(?:/|$))`,
      message: "Workflows run in Temporal's sandbox: no Node built-ins; do I/O in an activity.",
    },
    {
      // Modules with side effects, from any depth under src/workflows ('../db/x', '../../activities/y').
      // `import type` stays allowed: workflows take activity types for proxyActivities.
      regex:
        '^(?:\\./)?(?:\\.\\./)+(?:activities|db|api|twilio|sandbox|dev|mail|ops|worker|config|config-cli|logger|temporal-connection|temporal-logger)(?:/|$)',
      allowTypeImports: true,
      message: 'Workflows import activity, db, api and other I/O modules only as types (`import type`); call activities through proxyActivities.',
    },
    {
      regex: '^(?:@temporalio/(?:activity|client|worker|testing)|pg|knex|twilio|express|nodemailer|smtp-server|pino|pino-http|prom-client)(?:/|$)',
      message: 'Workflows may not use Temporal client/worker/activity APIs or I/O libraries; do it in an activity.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.data/', 'eslint.config.mjs', 'jest.config.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    // Tests assert on parsed JSON bodies (supertest's `body` is `any` by design).
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node APIs, no wall clock.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', workflowImportRules],
      // A dynamic import() would slip past the import rules (require() is already refused everywhere).
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: 'Workflows may not use dynamic import().' }],
    },
  },
);
