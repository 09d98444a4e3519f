import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.reports/', 'coverage/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in the sandbox and its bundle must stay deterministic: the payload codec
    // (node:crypto) runs in the worker and client, never in a workflow.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../codec', '../codec/*'], message: 'codecs run outside the workflow sandbox' },
            { group: ['node:*', 'crypto'], message: 'workflow code runs in the sandbox' },
          ],
        },
      ],
    },
  },
  {
    // The domain layer is pure: no I/O, no framework imports (README "Layers").
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@temporalio/*', 'pg', 'mssql', 'kafkajs', 'mongodb', 'ioredis', 'express', '@grpc/*'],
              message: 'domain/ is pure TypeScript',
            },
            {
              group: [
                '../db/*',
                '../activities/*',
                '../workflows/*',
                '../api/*',
                'node:*',
                'fs',
                'net',
                'http',
              ],
              message: 'domain/ depends on nothing outward',
            },
          ],
        },
      ],
    },
  },
);
