import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.reports/', 'coverage/', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
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
