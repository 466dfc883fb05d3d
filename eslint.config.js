// ESLint with typescript-eslint's strict, type-aware rules over everything tsc checks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'drizzle/meta/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'bin/paperboy'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
      // Numbers and the like in messages are what we want to read.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // `() => void work()` and async handlers that satisfy an interface without awaiting are how this code reads.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/require-await': 'off',
      // Payloads from outside (LLM servers, Slack, Discord) are checked even where their declared types say
      // a field is always there: the wire does not promise what the types do.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Errors passed through unchanged (`.catch((err) => Promise.reject(wrap(err)))`) are whatever was thrown.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // Non-null assertions stand where an index was just checked (noUncheckedIndexedAccess).
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // expect.any() and friends are typed `any`: that is how matchers are written.
    files: ['test/**/*.ts'],
    // Fakes read untyped wire payloads into strings on purpose.
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-base-to-string': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
