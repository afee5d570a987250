// ESLint flat config (run as `eslint --config scripts/eslint.config.mjs .`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';
import { fileURLToPath } from 'node:url';

export default tseslint.config(
  { ignores: ['dist/**', '**/dist/**', 'node_modules/**', '.cache/**', 'test/consumers/projects/**', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: fileURLToPath(new URL('..', import.meta.url)) },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // An async function turns a synchronous throw into a rejection: kept where a contract says Promise.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Lit binds template event listeners (`@click=${this.onClick}`) to the element itself.
    files: ['components/**/*.ts', 'extension/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
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
    // Tests keep the type-aware rules that catch real mistakes (unneeded casts, misused promises,
    // awaiting non-promises); chai's assertion chains type as promises and `any`, so the
    // floating-promise and unsafe-any rules would flag every `expect(...)`.
    files: ['**/*.test.ts', 'test/**/*.ts', '**/testing/**/*.ts', 'scripts/simulator/raw-client.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // puppeteer's target types are an enum of plain strings; IDB's request.error is a DOMException.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // setTimeout(() => sendKeys(...)): a test fires a key press while something else waits.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // The simulator mimics Python: str() of any value, as the middleware's messages do.
    files: ['scripts/simulator/**/*.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off' },
  },
);
