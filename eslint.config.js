import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const noHttp = { group: ['fastify', '@fastify/*', '**/http/**', '**/apis/**'], message: 'core knows no HTTP' }
const noSql = { group: ['kysely', 'node:sqlite', 'pg'], message: 'SQL lives in storage/repositories' }

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Fastify handlers and hooks are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/config/**', 'src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read configuration through loadConfig' },
      ],
    },
  },
  {
    files: ['src/core/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noHttp, noSql] }] },
  },
  {
    files: ['src/apis/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['kysely', 'node:sqlite', 'pg', '**/storage/**'], message: 'APIs call services, not storage' },
            {
              group: ['**/http/app.ts', '**/http/app.js'],
              message: 'take ParleyApp from http/parley-app.ts: only http/app.ts imports the API modules',
            },
          ],
        },
      ],
    },
  },
  {
    // Of http/, only app.ts registers the API families (conventions §3).
    files: ['src/http/**'],
    ignores: ['src/http/app.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apis/**'], message: 'of http/, only app.ts imports apis/' }] },
      ],
    },
  },
  {
    files: ['src/storage/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/core/**'], allowTypeImports: true, message: 'storage may only import core types' },
            { group: ['**/http/**', '**/apis/**', 'fastify'], message: 'storage knows no HTTP' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'src/**/*.test.ts', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
)
