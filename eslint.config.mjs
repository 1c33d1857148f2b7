import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.mjs', '**/oclif.manifest.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    plugins: { '@nx': nx },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
            { sourceTag: 'scope:daemon', onlyDependOnLibsWithTags: ['scope:core'] },
            { sourceTag: 'scope:tui', onlyDependOnLibsWithTags: ['scope:core'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:core', 'scope:daemon', 'scope:tui'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:core', 'scope:tools'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Core's public API is its index (plus the fast-path, picker-history and testing entries): no deep imports.
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^@anwbis/core/(?!fast$|history$|testing$)', message: 'import from @anwbis/core (or @anwbis/core/fast, @anwbis/core/history, @anwbis/core/testing)' }] },
      ],
    },
  },
  {
    // The bin is CommonJS (packages/cli/bin/package.json), so old Node can run its version check.
    files: ['packages/cli/bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // A focused or skipped test passes the suite while checking less than it says.
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        // A skip decided by a condition (root only, a shell that cannot be installed) is shown
        // as skipped with its reason; an unconditional one is a test switched off.
        {
          selector: 'MemberExpression[object.name=/^(it|test|describe)$/][property.name=/^(only|skip|todo)$/]:not(ConditionalExpression > MemberExpression)',
          message: 'commit no focused, skipped or todo tests',
        },
        { selector: 'Identifier[name=/^[fx](it|test|describe)$/]', message: 'commit no focused or skipped tests' },
      ],
    },
  },
  {
    // End-to-end tests drive the built CLI through the emulator harness in tools/.
    files: ['packages/*/test/**/*.ts', 'packages/*/test/**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['scope:core', 'scope:tools', 'scope:daemon', 'scope:tui'] }],
        },
      ],
    },
  },
);
