// ESLint flat config (run as `eslint --config scripts/eslint.config.mjs .`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', '**/dist/**', 'node_modules/**', '.cache/**', 'test/consumers/projects/**', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['components/**/*.ts', 'extension/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['components/**/*.ts', 'extension/**/*.ts'],
    ...wcConfigs['flat/recommended'],
    settings: { wc: { elementBaseClasses: ['LitElement', 'NasElement'] } },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.ts', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
