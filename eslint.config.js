// One lint config for the whole repository: TypeScript's recommended rules on src/, test/ and bench/, Vue's on
// components, and eslint-config-prettier last so formatting is Prettier's alone.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-server/', 'data/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // TypeScript resolves names itself (DOM types such as ScrollBehavior included); the base rule cannot.
      'no-undef': 'off',
      // Export guards match control characters on purpose (CSV injection, XLSX escapes, file names).
      'no-control-regex': 'off',
    },
  },
  {
    // Stand-in sources in tests are generators that only wait or throw.
    files: ['test/**/*.ts'],
    rules: { 'require-yield': 'off' },
  },
  prettier,
)
