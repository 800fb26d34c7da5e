// ESLint flat config: typescript-eslint's recommended rules over the sources, tests and scripts.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/lint/schema/data.js', 'test/stack/standin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // TypeScript itself reports undefined names in .ts files; the scripts run on Node.
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'Buffer', 'console', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'structuredClone', 'performance', 'AbortController', 'TextDecoder'].map((g) => [g, 'readonly'])
      )
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  }
)
